"""The demo's paperwork (banso/demo/paperwork.json) and the travel rates reference data: valid, consistent with
the demo visits, every number declared an assumption, re-homed with the engagements for tests."""

from __future__ import annotations

import json
from datetime import date

import pytest

from banso.demo.load import PAPERWORK_FILE, DemoLoadError, demo_steps, paperwork_steps, step_body
from banso.reference.load import TRAVEL_RATES_FILE, TRAVEL_RATES_PATH, reference_steps, travel_rate_steps
from schemas.events.appointments import AppointmentIssued
from schemas.events.reference import TravelRatesDefined
from schemas.events.travel import TRAVEL_VISITS, TravelBudgetAllocated, TravelSettled
from schemas.money import estimate, rates_on

KINDS = {"site_visit": "SiteVisitMade", "company_visit": "CompanyVisitMade"}


def _visits() -> dict[str, dict[str, object]]:
    return {s["key"]: s["body"] for s in demo_steps() if s["path"].endswith("/activities")}


def test_every_file_says_its_numbers_are_assumptions() -> None:
    for path in (PAPERWORK_FILE, TRAVEL_RATES_FILE):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["source"].startswith("illustrative"), path
        assert data["assumptions"], path
        assert any("assumption" in a for a in data["assumptions"]), path


def test_rates_are_valid_reference_steps_loaded_last() -> None:
    tables = [TravelRatesDefined.model_validate(s.body).rates() for s in travel_rate_steps()]
    assert [t.rates_id for t in tables] == ["r7", "r8"]
    assert all("仮定" in s.body["name"] and "仮定" in s.body["source"] for s in travel_rate_steps())
    assert reference_steps()[-len(tables) :] == travel_rate_steps()
    assert {s.path for s in travel_rate_steps()} == {TRAVEL_RATES_PATH}
    # one table on every day of 令和7年度 and 令和8年度
    assert rates_on(tables, date(2025, 4, 1)).rates_id == "r7"  # type: ignore[union-attr]
    assert rates_on(tables, date(2026, 3, 31)).rates_id == "r7"  # type: ignore[union-attr]
    assert rates_on(tables, date(2026, 4, 1)).rates_id == "r8"  # type: ignore[union-attr]


def test_steps_are_valid_events_for_recorded_visits_and_their_participants() -> None:
    visits = _visits()
    steps = paperwork_steps()
    assert len({s["key"] for s in steps}) == len(steps)
    planned: set[tuple[str, str]] = set()
    for step in steps:
        body = step["body"]
        if step["path"].endswith("/appointments"):
            issued = AppointmentIssued.model_validate(body)
            assert issued.team_codes == ["032034"]
        elif step["path"].endswith("/travel-budget"):
            TravelBudgetAllocated.model_validate(body)
        else:
            visit = visits[step["visit"]]
            assert KINDS[str(visit["kind"])] in TRAVEL_VISITS
            assert body["official_id"] in visit["participant_ids"]  # type: ignore[operator]
            assert all(isinstance(v, int) for k, v in body.items() if k.endswith("_yen"))
            pair = (step["visit"], body["official_id"])
            if step["path"].endswith("/travel-plans"):
                assert body["departs_on"] == visit["start_date"]
                assert body["returns_on"] == visit.get("end_date", visit["start_date"])
                planned.add(pair)
            else:
                assert pair in planned, "a settlement follows its plan"
                TravelSettled.model_validate({**body, "visit_event_id": "event-x"})
    # every participant of every site and company visit has a plan
    expected = {(k, p) for k, v in visits.items() if v["kind"] in KINDS for p in v["participant_ids"]}  # type: ignore[attr-defined]
    assert planned == expected


def test_site_visit_estimates_from_the_rates() -> None:
    tables = [TravelRatesDefined.model_validate(s.body).rates() for s in travel_rate_steps()]
    first = next(s["body"] for s in paperwork_steps() if s["key"] == "demo-ofunato-travel-plan-04-ishikawa")
    departs, returns = date.fromisoformat(first["departs_on"]), date.fromisoformat(first["returns_on"])
    table = rates_on(tables, departs)
    assert table is not None
    guess = estimate(table, departs, returns)
    assert (first["transport_yen"], guess.lodging_yen, guess.daily_allowance_yen) == (34000, 13100, 5200)
    settled = next(s["body"] for s in paperwork_steps() if s["key"] == "demo-ofunato-travel-settlement-04-ishikawa")
    assert (settled["transport_yen"], settled["lodging_yen"], settled["daily_allowance_yen"]) == (34000, 13100, 5200)


def test_rehomed_with_the_engagements() -> None:
    steps = paperwork_steps(42)
    keys = {s["key"] for s in demo_steps(42)}
    assert all("/periods/42/" in s["path"] or "/engagement-42-032034/" in s["path"] for s in steps)
    assert all(s["visit"] in keys for s in steps if "visit" in s)


def test_a_travel_step_gets_its_visits_event_id() -> None:
    step = next(s for s in paperwork_steps() if "visit" in s)
    assert step_body(step, {step["visit"]: {"event_id": "event-1"}})["visit_event_id"] == "event-1"
    with pytest.raises(DemoLoadError):
        step_body(step, {})
