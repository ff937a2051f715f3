"""The paperwork forms' pure part: amounts as typed become whole yen or stay text (refused), the travel a form
may plan or settle is what the workflow would accept, and whom a 併任発令 may name."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.events.base import OfficialRef
from schemas.paperwork_views import AppointmentView
from schemas.views import EngagementState, Membership, RecordState, TravelLine
from services.api.web.paperwork_form_data import (
    appointable,
    appointment_fields,
    at_form_fields,
    payload_fields,
    travel_choices,
    whole_yen,
)
from services.graph.reads.paperwork_reads import Member

A = OfficialRef(official_id="a", name="石川 亨", ministry="国土交通省")
B = OfficialRef(official_id="b", name="古田 匠", ministry="文部科学省")
C = OfficialRef(official_id="c", name="白水 伸英", ministry="内閣官房")


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("34000", 34000),
        ("34,000", 34000),
        ("３４，０００", 34000),
        (" 0 ", 0),
        ("-100", -100),
        ("1.5", "1.5"),
        ("abc", "abc"),
    ],
)
def test_amounts_as_typed(typed: str, value: int | str) -> None:
    assert whole_yen(typed) == value


def test_payload_fields_drop_blanks_and_the_forms_own_fields() -> None:
    form = {"key": "k", "csrf_token": "t", "transport_yen": "1,200", "lodging_yen": " ", "origin": " 東京 "}
    assert payload_fields(form) == {"transport_yen": 1200, "origin": "東京"}


def _visit(
    start: str, participants: list[str], kind: str = "SiteVisitMade", retracted: str | None = None
) -> RecordState:
    return RecordState(
        event_type=kind, data={"start_date": start, "participant_ids": participants}, retracted_by=retracted
    )


def test_travel_choices_are_what_the_workflow_accepts() -> None:
    state = EngagementState(
        engagement_id="engagement-2-032034",
        memberships=[
            Membership(official=A, joined_on=date(2025, 4, 1)),
            Membership(official=B, joined_on=date(2025, 4, 1), left_on=date(2025, 9, 1)),
            Membership(official=C, joined_on=date(2025, 4, 1)),
        ],
        records={
            "v1": _visit("2025-05-29", ["a", "b"]),  # c is on the team but not a participant
            "v2": _visit("2025-10-01", []),  # no participants named: the team that day (b has left)
            "v3": _visit("2025-06-01", ["a"], retracted="x"),
            "m1": _visit("2025-06-02", ["a"], kind="OnlineMeetingHeld"),
        },
        travel={
            "v1/a": TravelLine(
                visit_event_id="v1",
                official_id="a",
                departs_on=date(2025, 5, 29),
                returns_on=date(2025, 5, 30),
                plan_event_id="p",
                planned_total_yen=1,
                settlement_event_id="s",
            ),
            "v1/b": TravelLine(
                visit_event_id="v1",
                official_id="b",
                departs_on=date(2025, 5, 29),
                returns_on=date(2025, 5, 30),
                plan_event_id="p2",
                planned_total_yen=1,
            ),
        },
    )
    choices = travel_choices(state)
    assert [(c.key, c.planned) for c in choices] == [("v1/b", True), ("v2/c", False), ("v2/a", False)]
    assert choices[1].end_date == date(2025, 10, 1)


def _member(official_id: str, code: str, to_date: date | None = None) -> Member:
    return Member("e", code, "大船渡市", official_id, official_id, "省", "post", None, to_date)


def test_whom_an_appointment_may_name() -> None:
    active = AppointmentView(
        event_id="x", period=2, official_id="a", name="a", ministry="省", appointed_on=date(2025, 4, 1)
    )
    members = [
        _member("a", "032034"),
        _member("b", "032034"),
        _member("b", "032034"),
        _member("c", "032034", date(2025, 1, 1)),
    ]
    assert [m.official_id for m in appointable(members, [active], date(2025, 6, 1))] == ["b"]
    data = appointment_fields({"member": "b@032034", "appointed_on": "2025-06-01"}, members)
    assert data == {
        "official": {"official_id": "b", "name": "b", "ministry": "省", "post": "post"},
        "team_codes": ["032034"],
        "appointed_on": "2025-06-01",
    }
    assert "official" not in appointment_fields({"member": "z@032034"}, members)  # not a member: refused, missing
    assert at_form_fields({"official": "必須", "team_codes": "x", "appointed_on": "y"}) == {
        "member": "必須",
        "appointed_on": "y",
    }
