"""Validation of commands and events: codes, teams, Japanese text."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schemas.events import CompanyVisitMade, MunicipalityApplied, OfficialRef, SiteVisitMade, TeamAssigned
from schemas.text import municipality_check_digit, nfkc


@pytest.mark.parametrize(
    ("five", "digit"), [("03202", "6"), ("03203", "4"), ("20204", "5"), ("13101", "6"), ("01100", "2")]
)
def test_check_digits_of_real_codes(five: str, digit: str) -> None:
    assert municipality_check_digit(five) == digit


def applied(code: str) -> MunicipalityApplied:
    return MunicipalityApplied(period=2, municipality_code=code, municipality_name="大船渡市", prefecture="岩手県")


def test_full_width_code_is_normalised() -> None:
    assert applied("０３２０３４").municipality_code == "032034"


@pytest.mark.parametrize("code", ["032027", "03202", "0320346", "abcdef"])
def test_bad_codes_are_rejected_with_a_language_neutral_code(code: str) -> None:
    with pytest.raises(ValidationError) as err:
        applied(code)
    assert err.value.errors()[0]["type"] in {"municipality_code_digits", "municipality_check_digit"}


def test_nfkc_folds_half_width_kana_and_spaces() -> None:
    assert nfkc(" ｻｰｷｭﾗｰ　ＰＯＲＴ ") == "サーキュラー PORT"


def test_official_id_is_stable_and_depends_on_ministry() -> None:
    a = OfficialRef(name="古田 匠", ministry="文部科学省")
    assert a.official_id == OfficialRef(name="古田 匠", ministry="文部科学省").official_id
    assert a.official_id != OfficialRef(name="古田 匠", ministry="財務省").official_id


@pytest.mark.parametrize(
    "ministries",
    [["国土交通省"], ["国土交通省", "国土交通省"], ["a", "b", "c", "d"]],
    ids=["one", "same", "four"],
)
def test_team_rules(ministries: list[str]) -> None:
    with pytest.raises(ValidationError):
        TeamAssigned(officials=[OfficialRef(name=f"職員{i}", ministry=m) for i, m in enumerate(ministries)])


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        SiteVisitMade.model_validate({"start_date": "2025-05-29", "unexpected": 1})


def test_company_names_cannot_exceed_the_count() -> None:
    with pytest.raises(ValidationError):
        CompanyVisitMade(start_date=date(2025, 7, 15), company_count=1, companies=["A社", "B社"])
