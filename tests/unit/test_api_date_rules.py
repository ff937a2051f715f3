"""Every date in a command body lies in the programme's plausible range (checked at the API)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, TypeAdapter

from schemas.events import ActivityPayload, CallOpened, KickoffHeld, MunicipalityApplied
from services.api.date_rules import MIN_DATE, reject_implausible_dates
from services.api.problems import InvalidInput

NOW = datetime(2025, 6, 1, tzinfo=UTC)
APPLICATION = {
    "period": 2,
    "municipality_code": "131016",
    "municipality_name": "テスト市",
    "prefecture": "東京都",
    "challenges": ["人口減少"],
}


def _refusal(payload: BaseModel) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        reject_implausible_dates(payload, 7, NOW)
    return refused.value


def test_a_date_before_the_programme_is_refused() -> None:
    meeting: BaseModel = TypeAdapter(ActivityPayload).validate_python(
        {"kind": "online_meeting", "start_date": "0001-01-01"}
    )
    problem = _refusal(meeting)
    assert problem.status == 422
    assert problem.code == "date_out_of_range"
    assert "start_date" in problem.detail_en
    assert "0001-01-01" in problem.detail_ja


def test_a_deadline_is_checked_too() -> None:
    kickoff = KickoffHeld(held_on=date(2025, 5, 1), title="t", themes=["産業振興"], final_report_due=date(1999, 1, 1))
    assert _refusal(kickoff).code == "date_out_of_range"
    far = KickoffHeld(held_on=date(2025, 5, 1), title="t", themes=["産業振興"], final_report_due=date(9999, 1, 1))
    assert _refusal(far).code == "validation_error"


def test_nested_dates_and_the_first_day_allowed() -> None:
    app = MunicipalityApplied.model_validate(APPLICATION | {"applied_on": "2014-12-31"})
    assert "applied_on" in _refusal(app).detail_en
    reject_implausible_dates(MunicipalityApplied.model_validate(APPLICATION | {"applied_on": MIN_DATE}), 7, NOW)


def test_a_population_may_be_quoted_from_an_older_census() -> None:
    app = MunicipalityApplied.model_validate(APPLICATION | {"population_as_of": "2010-10-01"})
    reject_implausible_dates(app, 7, NOW)


def test_a_call_may_open_ahead_but_not_in_the_past_of_the_programme() -> None:
    call = CallOpened.model_validate({"period": 9, "opens_on": "2026-04-01", "closes_on": "2026-05-01"})
    reject_implausible_dates(call, 7, NOW)
    old = CallOpened.model_validate({"period": 9, "opens_on": "2001-04-01", "closes_on": "2026-05-01"})
    assert _refusal(old).code == "date_out_of_range"
