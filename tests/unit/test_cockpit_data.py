"""The cockpit's choice of the running period and its chart data, without servers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from services.api.web.cockpit_page import PREFECTURE_IDS, chart_data, month_label
from services.graph.reads.cockpit_reads import LastContact, MonthlyActivities, PeriodOverview, running_period

TODAY = date(2026, 11, 30)
JAPAN = Path(__file__).resolve().parents[2] / "services/api/web/node_modules/@svg-maps/japan/index.js"


def p(number: int, **kw: object) -> PeriodOverview:
    return PeriodOverview.model_validate({"number": number, **kw})


def test_the_intake_under_review_runs_not_a_call_that_opens_later() -> None:
    periods = [
        p(2, engagements=2, open=2),
        p(3, opens_on=date(2026, 2, 2), closes_on=date(2026, 2, 27), volunteers=18, applications=6),
        p(4, opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 26)),
    ]
    assert running_period(periods, TODAY) == 3


def test_support_under_way_runs_when_no_intake_does() -> None:
    assert running_period([p(1, engagements=3, open=0), p(2, engagements=2, open=1)], TODAY) == 2
    # every engagement closed: the newest period that has begun
    assert running_period([p(1, engagements=3), p(2, engagements=2), p(3, opens_on=date(2027, 1, 1))], TODAY) == 2
    assert running_period([p(5, opens_on=date(2027, 1, 1))], TODAY) == 5
    assert running_period([], TODAY) is None


def test_months_are_continuous_and_labelled_in_the_page_language() -> None:
    activities = [
        MonthlyActivities(month="2025-11", kind="site_visit", n=1),
        MonthlyActivities(month="2026-02", kind="online_meeting", n=2),
    ]
    data = chart_data(3, [("visits", 1)], activities, [], {}, TODAY, "ja")
    assert data["months"]["months"] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert data["months"]["full"] == ["令和7年11月", "令和7年12月", "令和8年1月", "令和8年2月"]
    assert data["months"]["labels"] == ["令和7年\n11月", "12月", "令和8年\n1月", "2月"]
    assert [s["kind"] for s in data["months"]["series"]] == ["online_meeting", "site_visit"]
    assert data["months"]["series"][0]["values"] == [0, 0, 0, 2]
    assert month_label("2026-01", "en", short=True) == "Jan\n2026"


def test_contact_days_quietest_first_and_never_contacted_left_out() -> None:
    contacts = [
        LastContact(
            engagement_id="e1",
            municipality_name="大船渡市",
            prefecture="岩手県",
            stage="visits",
            last_contact=date(2026, 11, 20),
        ),
        LastContact(
            engagement_id="e2",
            municipality_name="岡谷市",
            prefecture="長野県",
            stage="visits",
            last_contact=date(2026, 10, 31),
        ),
        LastContact(engagement_id="e3", municipality_name="x", prefecture=None, stage="matching", last_contact=None),
    ]
    data = chart_data(3, [], [], contacts, {"岩手県": 1, "長野県": 2}, TODAY, "en")
    assert data["contact"]["values"] == [30, 10]
    assert data["contact"]["links"] == ["/engagements/e2", "/engagements/e1"]
    assert data["contact"]["labels"] == ["岡谷市 (Nagano)", "大船渡市 (Iwate)"]
    assert data["map"]["areas"] == [
        {"id": "iwate", "name": "Iwate", "value": 1},
        {"id": "nagano", "name": "Nagano", "value": 2},
    ]
    assert data["map"]["max"] == 2


def test_every_prefecture_has_a_shape_in_the_map_package() -> None:
    text = JAPAN.read_text(encoding="utf-8").removeprefix("export default ").rstrip().rstrip(";")
    ids = {loc["id"] for loc in json.loads(text)["locations"]}
    assert set(PREFECTURE_IDS.values()) == ids
    assert len(PREFECTURE_IDS) == 47
