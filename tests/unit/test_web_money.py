"""The back office's money text and the cockpit's budget chart (pure: no servers)."""

from __future__ import annotations

from datetime import date

from schemas.paperwork_views import Amounts, AppointmentTermView, BudgetLine, BudgetPoint, TravelLineView, TravelSummary
from schemas.redaction import redact_data
from services.api.auth.principal import Principal, Role
from services.api.web.cockpit_page import budget_chart
from services.api.web.money import day_or, last_covered, money_reader, over_share, travel_totals, yen
from services.api.web.timeline import timeline
from tests.unit.test_timeline import event


def _principal(*roles: Role) -> Principal:
    return Principal(subject="u", username="u", roles=frozenset(roles))


def test_yen_is_whole_yen_with_thousands_separators() -> None:
    assert yen(0) == "¥0"
    assert yen(None) == "¥0"
    assert yen(834300) == "¥834,300"
    assert yen(1_600_000) == "¥1,600,000"
    assert yen(-40300) == "−¥40,300"


def test_only_staff_admin_and_auditors_see_money() -> None:
    assert money_reader(_principal(Role.STAFF))
    assert money_reader(_principal(Role.ADMIN))
    assert money_reader(_principal(Role.AUDITOR))
    assert not money_reader(_principal(Role.ANALYST))
    assert not money_reader(_principal(Role.OFFICIAL))
    assert not money_reader(_principal(Role.INTEGRATION))
    assert not money_reader(None)


def _summary() -> TravelSummary:
    teams = [
        BudgetLine(key="032034", label="大船渡市", share_yen=800000, planned_yen=840300, over_share=True),
        BudgetLine(key="202045", label="岡谷市", share_yen=800000),
    ]
    series = [
        BudgetPoint(month="2025-05", budget_yen=1600000, planned_yen=156900, settled_yen=0, left_yen=1443100),
        BudgetPoint(month="2025-06", budget_yen=1600000, planned_yen=156900, settled_yen=156900, left_yen=1443100),
    ]
    total = BudgetLine(key="period", label="第2期", share_yen=1600000, planned_yen=840300)
    return TravelSummary(period=2, budget_yen=1600000, total=total, teams=teams, over_share=["032034"], series=series)


def test_the_budget_chart_in_japanese_and_english() -> None:
    ja = budget_chart(_summary(), "ja")
    assert ja["months"] == ["2025-05", "2025-06"]
    assert ja["full"] == ["令和7年5月", "令和7年6月"]
    assert ja["labels"] == ["令和7年\n5月", "6月"]
    assert [s["key"] for s in ja["series"]] == ["planned", "settled", "left"]
    assert ja["series"][0]["values"] == [156900, 156900]
    assert all(isinstance(v, int) for s in ja["series"] for v in s["values"])
    assert ja["series"][2]["text"] == ["¥1,443,100", "¥1,443,100"]
    assert ja["budget"]["values"] == [1600000, 1600000]
    assert ja["title"] == "支援旅費の執行状況"
    en = budget_chart(_summary(), "en")
    assert en["title"] == "Travel budget over the year"
    assert en["series"][1]["name"] == "Settled (cumulative)"


def test_teams_over_their_share() -> None:
    assert [t.key for t in over_share(_summary())] == ["032034"]


def test_an_engagements_travel_totals() -> None:
    def line(key: str, planned: int, settled: int | None) -> TravelLineView:
        return TravelLineView(
            key=key,
            engagement_id="engagement-2-032034",
            period=2,
            municipality_code="032034",
            visit_event_id="v",
            official_id=key,
            departs_on=date(2025, 5, 29),
            returns_on=date(2025, 5, 30),
            nights=1,
            planned_on=date(2025, 5, 15),
            planned=Amounts(transport_yen=planned),
            plan_event_id="p",
            settled=None if settled is None else Amounts(transport_yen=settled),
        )

    totals = travel_totals([line("a", 52300, 52300), line("b", 53200, None)])
    assert totals == {"planned": 105500, "settled": 52300, "open": 1}


def test_a_date_parameter_or_the_default() -> None:
    today = date(2026, 11, 30)
    assert day_or("2025-08-01", today) == date(2025, 8, 1)
    assert day_or("", today) == today
    assert day_or("2025-02-30", today) == today
    assert day_or(None, today) == today


def test_travel_on_the_timeline_reads_as_yen_and_names_its_visit() -> None:
    visit = event("SiteVisitMade", {"kind": "site_visit", "start_date": "2025-08-01", "end_date": "2025-08-03"})
    data = {
        "visit_event_id": visit.id,
        "official_id": "official-x",
        "departs_on": "2025-08-01",
        "returns_on": "2025-08-03",
        "nights": 2,
        "origin": "東京",
        "rates_id": "r7",
        "planned_on": "2025-07-18",
        "transport_yen": 34000,
        "lodging_yen": 26200,
        "daily_allowance_yen": 7800,
    }
    planned = event("TravelPlanned", data)
    rows = {e.event_type: e for e in timeline([visit, planned], "ja")}
    row = rows["TravelPlanned"]
    assert (row.name, row.date_label, row.when_text) == ("旅費の見込み", "見込み作成日", "令和7年7月18日")
    details = {d.field: d.value for d in row.details}
    assert details["transport_yen"] == "¥34,000"
    assert details["lodging_yen"] == "¥26,200"
    assert details["nights"] == "2泊"
    assert details["visit_event_id"] == f"#{visit.sequence} 現地訪問 令和7年8月1日〜3日"
    # a reader without the money roles gets the event redacted: no amount, and it says so
    hidden = event("TravelPlanned", redact_data("TravelPlanned", planned.data) or {})
    shown = {d.field: d.value for d in timeline([visit, hidden], "ja")[1].details}
    assert shown["redacted"] == "この役割には表示されません"
    assert not any("¥" in v for v in shown.values())


def test_a_closed_term_covered_its_team_until_the_day_before_it_closed() -> None:
    closed = AppointmentTermView(municipality_code="032034", from_date=date(2025, 4, 30), to_date=date(2026, 1, 1))
    assert last_covered(closed) == date(2025, 12, 31)
    assert last_covered(AppointmentTermView(municipality_code="032034", from_date=date(2025, 4, 30))) is None
