"""pydantic's validation errors read in Japanese: by error type and ctx through the catalogue, fields by label."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from schemas.events import MunicipalityApplied, OnlineMeetingHeld
from services.i18n.validation import error_text, summary

# Three or more ASCII letters in a row: an English word (field paths and values are not quoted here).
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


class Query(BaseModel):
    limit: Annotated[int, Field(ge=1, le=500)] = 20
    start_date: date | None = None
    kind: Literal["online_meeting", "site_visit"] | None = None
    title: Annotated[str, Field(max_length=5)] = ""


def _errors(model: type[BaseModel], data: Any) -> list[Any]:
    with pytest.raises(ValidationError) as err:
        model.model_validate(data)
    return list(err.value.errors())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"limit": 501}, "件数: 500 以下で指定してください"),
        ({"limit": 0}, "件数: 1 以上で指定してください"),
        ({"limit": "many"}, "件数: 整数を入力してください"),
        ({"start_date": "2025-13-01"}, "開始日: 日付を YYYY-MM-DD で入力してください"),
        ({"start_date": "2025-05-01T10:00:00"}, "開始日: 日付を YYYY-MM-DD で入力してください"),
        ({"title": "とても長い題目"}, "題目: 5 文字以内で入力してください"),
        ({"kind": "phone"}, "種類: 次のいずれかを選んでください: online_meeting・site_visit"),
    ],
)
def test_each_error_reads_in_japanese_with_the_field_in_the_users_words(data: Any, expected: str) -> None:
    errors = _errors(Query, data)
    assert error_text(errors[0], "ja") == expected


def test_a_missing_field_and_a_rule_of_our_own() -> None:
    missing = _errors(MunicipalityApplied, {"period": 2, "municipality_code": "032034", "prefecture": "岩手県"})
    assert error_text(missing[0], "ja") == "市町村名: 入力してください"
    backwards = {"start_date": "2025-05-02", "end_date": "2025-05-01"}
    rule = _errors(OnlineMeetingHeld, backwards)
    assert rule[0]["type"] == "end_before_start"  # a language-neutral code, read through the catalogue
    assert error_text(rule[0], "ja").endswith("終了日が開始日より前です")
    assert error_text(rule[0], "en").endswith("The end date is before the start date")
    assert not ENGLISH_WORD.search(error_text(rule[0], "ja"))
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", error_text(rule[0], "en"))


def test_an_unknown_error_type_still_reads_in_japanese() -> None:
    error = {"type": "some_future_type", "loc": ("body", "limit"), "msg": "Something new went wrong", "ctx": {}}
    assert error_text(error, "ja") == "件数: 値が正しくありません"
    unknown_field = {"type": "missing", "loc": ("body", "zzz_unlabelled"), "msg": "Field required"}
    assert error_text(unknown_field, "ja") == "項目 zzz_unlabelled: 入力してください"


def test_the_summary_counts_the_rest_and_has_no_english() -> None:
    errors = _errors(Query, {"limit": 501, "start_date": "x", "title": "長すぎる題目です"})
    text = summary(errors, "ja")
    assert text.startswith("件数: 500 以下で指定してください")
    assert text.endswith("ほか2件")
    assert not ENGLISH_WORD.search(text), text
