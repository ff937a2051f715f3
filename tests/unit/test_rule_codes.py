"""Rules of our own raise language-neutral codes, read in one language by the catalogue; text is kept as typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from schemas.events import (
    CallOpened,
    CompanyVisitMade,
    CoordinationHeld,
    IntroductionMade,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeRecorded,
    ProposalEdited,
    TeamAssigned,
)
from schemas.matching import Volunteer
from schemas.text import compared
from services.i18n.validation import RULE_MESSAGES, problem_text

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
A, B = "official-a", "official-b"
OUTCOME = {"kind": "guideline", "status": "achieved", "description": "d"}
TEAM = [{"name": "古田 匠", "ministry": "文部科学省"}, {"name": "石川 亨", "ministry": "文部科学省"}]


def _error(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as err:
        model.model_validate(data)
    return dict(err.value.errors()[0])


CASES = [
    (OnlineMeetingHeld, {"start_date": "2025-05-02", "end_date": "2025-05-01"}, "end_before_start"),
    (
        CompanyVisitMade,
        {"start_date": "2025-05-02", "company_count": 1, "companies": ["a", "b"]},
        "more_companies_than_count",
    ),
    (OnlineMeetingHeld, {"start_date": "2025-05-02", "participant_ids": [A, A]}, "official_twice"),
    (OnlineMeetingHeld, {"start_date": "2025-05-02", "participant_ids": [A], "led_by": B}, "lead_not_participant"),
    (OutcomeRecorded, OUTCOME | {"contributor_ids": [A, A]}, "official_twice"),
    (OutcomeRecorded, OUTCOME | {"description": "　 "}, "empty_text"),
    (OutcomeRecorded, OUTCOME | {"description": "a\x07b"}, "control_character"),
    (TeamAssigned, {"officials": TEAM}, "ministries_not_distinct"),
    (
        MunicipalityApplied,
        {"period": 2, "municipality_code": "0320", "municipality_name": "x", "prefecture": "y"},
        "municipality_code_digits",
    ),
    (
        MunicipalityApplied,
        {"period": 2, "municipality_code": "032030", "municipality_name": "x", "prefecture": "y"},
        "municipality_check_digit",
    ),
    (CallOpened, {"period": 3, "opens_on": "2026-05-02", "closes_on": "2026-05-01"}, "closes_before_opens"),
    (ProposalEdited, {"action": "swap", "official_id": A, "reason": "r"}, "swap_needs_other"),
    (ProposalEdited, {"action": "move", "official_id": A, "reason": "r"}, "action_needs_municipality"),
]


@pytest.mark.parametrize(("model", "data", "code"), CASES, ids=[c[2] + "-" + c[0].__name__ for c in CASES])
def test_each_rule_has_a_code_read_in_one_language(model: type[BaseModel], data: dict[str, Any], code: str) -> None:
    error = _error(model, data)
    assert error["type"] == code
    assert code in RULE_MESSAGES
    ja, en = problem_text(error, "ja"), problem_text(error, "en")
    assert JAPANESE.search(ja), ja
    assert not ENGLISH_WORD.search(ja.replace(A, "")), ja
    assert not JAPANESE.search(en), en
    assert " / " not in ja
    assert " / " not in en


def test_every_rule_code_has_a_japanese_translation() -> None:
    for code, msgid in RULE_MESSAGES.items():
        ja = problem_text({"type": code, "loc": (), "msg": "", "ctx": {"code": "032030", "expected": "032034"}}, "ja")
        assert JAPANESE.search(ja), (code, msgid, ja)


def test_text_is_kept_as_typed_but_stripped() -> None:
    meeting = OnlineMeetingHeld.model_validate(
        {"start_date": "2025-05-02", "notes": "　大船渡（港）で ＡＩ 活用の話 \n"}
    )
    assert meeting.notes == "大船渡（港）で ＡＩ 活用の話"
    body = CoordinationHeld.model_validate(
        {
            "held_on": "2025-05-02",
            "body": {"kind": "ministry", "name": "国土交通省（港湾局）"},
            "topic": "ｻｰｷｭﾗｰ\n二行目",
        }
    )
    assert body.body.name == "国土交通省（港湾局）"
    assert body.topic == "ｻｰｷｭﾗｰ\n二行目"
    intro = IntroductionMade.model_validate(
        {"made_on": "2025-05-02", "what": "expert", "subject": "（株）ＡＢＣ", "to_whom": "市"}
    )
    assert intro.subject == "（株）ＡＢＣ"


def test_names_typed_differently_are_the_same_official_and_ministry() -> None:
    half = OfficialRef(name="古田 匠", ministry="文部科学省")
    full = OfficialRef(name="古田　匠", ministry="文部科学省")
    assert full.name == "古田　匠"  # as typed
    assert full.official_id == half.official_id  # identity from the compared form
    assert compared("ＭＥＴＩ（経産省）") == compared("METI(経産省)")
    with pytest.raises(ValidationError) as err:
        TeamAssigned.model_validate({"officials": [TEAM[0], {"name": "x", "ministry": "文部科学省　"}]})
    assert err.value.errors()[0]["type"] == "ministries_not_distinct"


def test_what_the_solver_compares_is_in_the_compared_form() -> None:
    volunteer = Volunteer(official_id="o", name="古田　匠", ministry="ＪＩＣＡ", preferred_regions=["岩手県　"])
    assert volunteer.name == "古田　匠"  # shown as typed
    assert volunteer.ministry == "JICA"
    assert volunteer.preferred_regions == ["岩手県"]
