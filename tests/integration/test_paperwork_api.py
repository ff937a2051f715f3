"""The programme's paperwork over the API on the real servers: 併任 appointments, the roster, 支援旅費 plans,
settlements, the budget and the ledger; who may read money; bad input refused with nothing written.

Each test works in a period no other test used, which has no call (the paperwork starts the period's
workflow itself), with engagements of its own. The ledger test recomputes every total from the events
read back from the log.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from openpyxl import load_workbook

from schemas.events import OfficialRef, travel_key
from services.graph.store.access_log import record_from_node
from tests.auth import auth_for
from tests.conftest import new_municipality_code, next_period
from tests.integration.flows import COMPANY_VISIT, KICKOFF, SITE_VISIT, TEAM, application, command, engagement_id, post

pytestmark = pytest.mark.servers

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省").official_id  # the demo user shienkan
SHIRAMIZU = OfficialRef(name="白水 伸英", ministry="内閣官房").official_id
YAMAMOTO: dict[str, Any] = {"name": "山本 直樹", "ministry": "農林水産省", "post": "企画官"}
FURUTA: dict[str, Any] = {"name": "古田 匠", "ministry": "文部科学省", "post": "課長補佐"}
OTHER_TEAM: dict[str, Any] = {"officials": [TEAM["officials"][0], YAMAMOTO]}
AMOUNT_KEYS = ("transport_yen", "lodging_yen", "daily_allowance_yen")
LODGING, DAILY = 10_900, 2_200  # the test's rate table (an assumption, as the demo's)


@asynccontextmanager
async def client_as(api: httpx.AsyncClient, user: str | None) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the same app with another demo user's (None: the integration client's) real tokens."""
    async with httpx.AsyncClient(
        transport=api._transport, base_url=str(api.base_url), timeout=60, auth=auth_for(user)
    ) as client:
        yield client


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def engagement(api: httpx.AsyncClient, period: int, code: str, team: dict[str, Any] = TEAM) -> tuple[str, str]:
    """An engagement of `period` with its team, kickoff and a site visit; its id and the visit's event id."""
    eid = engagement_id(code, period)
    await ok(await post(api, "/api/v1/applications", application(code, period)), 201)
    await ok(await command(api, eid, "team", team))
    await ok(await command(api, eid, "kickoff", KICKOFF))
    visit = await ok(await command(api, eid, "activities", SITE_VISIT))
    return eid, str(visit["event_id"])


async def log_of(api: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    """The events of a stream's log (an empty list when the stream has none yet)."""
    response = await api.get(path)
    if response.status_code == 404:
        return []
    events: list[dict[str, Any]] = (await ok(response))["events"]
    return events


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["detail_ja"]
    assert problem["detail"]
    if code is not None:
        assert problem["code"] == code, problem


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_appointments_gaps_roster_and_departures(api: httpx.AsyncClient) -> None:
    period = next_period()
    a, b = new_municipality_code(), new_municipality_code()
    eid_a, _ = await engagement(api, period, a)
    eid_b, _ = await engagement(api, period, b, OTHER_TEAM)
    base = f"/api/v1/periods/{period}"
    period_log = f"{base}/events"
    appointment = {
        "official": TEAM["officials"][0],
        "team_codes": [a, b],
        "appointed_on": "2025-05-01",
        "term_ends_on": "2026-03-31",
        "notice": "府地創第1号 (試験)",
    }

    # a team that is no engagement of the period: refused before anything is sent (the period has no stream yet)
    foreign = appointment | {
        "official": TEAM["officials"][1],
        "team_codes": [a, "032026"],
    }  # 大船渡市: not of this period
    assert_problem(await post(api, f"{base}/appointments", foreign), 422, "not_a_team_of_the_period")
    assert await log_of(api, period_log) == []

    issued = await ok(await post(api, f"{base}/appointments", appointment, key=f"appoint-{period}"), 201)
    assert issued["event_type"] == "AppointmentIssued"
    # the same key again answers the same event; a second appointment while active is refused
    again = await ok(await post(api, f"{base}/appointments", appointment, key=f"appoint-{period}"), 201)
    assert again["event_id"] == issued["event_id"]
    before = await log_of(api, period_log)
    assert [e["type"] for e in before] == ["AppointmentIssued"]
    assert_problem(await post(api, f"{base}/appointments", appointment), 409)
    change = {"official_id": SHIRAMIZU, "team_codes": [a], "changed_on": "2025-06-01", "reason": "r"}
    assert_problem(await post(api, f"{base}/appointments/{ISHIKAWA}/changes", change), 422, "other_official")
    assert_problem(await post(api, f"{base}/appointments", appointment | {"appointed_on": "2025-05-01.5"}), 422)
    assert await log_of(api, period_log) == before

    # a period that keeps no appointments: nothing to change or end, and no workflow started for it
    nobody = f"/api/v1/periods/{next_period()}"
    ending = {"official_id": ISHIKAWA, "ended_on": "2025-06-01", "reason": "period_end"}
    assert_problem(await post(api, f"{nobody}/appointments/{ISHIKAWA}/end", ending), 404, "period_not_found")
    budget = {"amount_yen": 1, "allocated_on": "2025-06-01"}
    assert_problem(await post(api, f"{nobody}/travel-budget", budget), 404, "period_not_found")
    assert await log_of(api, f"{nobody}/events") == []

    views = (await api.get(f"{base}/appointments")).json()
    assert [(v["official_id"], sorted(v["team_codes"])) for v in views] == [(ISHIKAWA, sorted([a, b]))]

    gaps = (await api.get(f"{base}/appointments/gaps", params={"on": "2025-06-01"})).json()
    assert {(g["official_id"], g["municipality_code"], g["kind"]) for g in gaps} == {
        (SHIRAMIZU, a, "unappointed"),
        (OfficialRef(**YAMAMOTO).official_id, b, "unappointed"),
    }
    early = (await api.get(f"{base}/appointments/gaps", params={"on": "2025-04-20"})).json()
    assert {(g["official_id"], g["municipality_code"]) for g in early} >= {(ISHIKAWA, a), (ISHIKAWA, b)}

    # leaving one team changes the appointment to the other; leaving the last (人事異動) ends it
    left_a = await ok(
        await command(
            api,
            eid_a,
            "member-departures",
            {"official_id": ISHIKAWA, "left_on": "2025-07-01", "reason": "workload", "override_reason": "試験"},
        )
    )
    log = await log_of(api, period_log)
    assert log[-1]["type"] == "AppointmentChanged"
    assert log[-1]["data"]["team_codes"] == [b]
    assert log[-1]["data"]["changed_on"] == "2025-07-01"
    departure = {"official_id": ISHIKAWA, "left_on": "2025-08-01", "reason": "transfer", "override_reason": "試験"}
    left_b = await ok(await post(api, f"/api/v1/engagements/{eid_b}/member-departures", departure, key=f"l-{period}"))
    log = await log_of(api, period_log)
    ended = log[-1]
    assert ended["type"] == "AppointmentEnded"
    assert ended["data"]["reason"] == "personnel_transfer"
    assert ended["data"]["ended_on"] == "2025-08-01"
    assert ended["data"]["member_left_event_id"] == left_b["event_id"]
    assert left_a["event_id"] != left_b["event_id"]
    # the departure retried with its key: the same answer, and no second follow-up
    retried = await ok(await post(api, f"/api/v1/engagements/{eid_b}/member-departures", departure, key=f"l-{period}"))
    assert retried["event_id"] == left_b["event_id"]
    assert await log_of(api, period_log) == log

    # after the transfer 石川 is on no team and not appointed: no gap for him on A or B
    late = (await api.get(f"{base}/appointments/gaps", params={"on": "2025-09-01"})).json()
    assert ISHIKAWA not in {g["official_id"] for g in late}

    rows = csv_rows(await api.get(f"{base}/roster.csv", params={"header": "en"}))
    mine = [r for r in rows if r["official_id"] == ISHIKAWA]
    assert len(mine) == 1
    assert (mine[0]["appointed_on"], mine[0]["ended_on"]) == ("2025-05-01", "2025-08-01")
    assert mine[0]["end_reason"] == "personnel_transfer"
    xlsx = await api.get(f"{base}/roster.xlsx")
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content))["名簿"]
    assert sheet.cell(1, 1).value == "支援官ID"
    assert ISHIKAWA in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


async def define_rates(api: httpx.AsyncClient) -> str:
    rates_id = f"t{uuid.uuid4().hex[:12]}"
    body = {
        "rates_id": rates_id,
        "name": "試験用 支援旅費 基準額",
        "valid_from": "2025-04-01",
        "valid_to": "2026-03-31",
        "lodging_yen_per_night": LODGING,
        "daily_allowance_yen_per_day": DAILY,
        "source": "試験 (仮定の額)",
    }
    await ok(await post(api, "/api/v1/travel-rates", body), 201)
    return rates_id


def plan(visit: str, official: str, **extra: Any) -> dict[str, Any]:
    return {
        "visit_event_id": visit,
        "official_id": official,
        "departs_on": "2025-05-29",
        "returns_on": "2025-05-30",
        "origin": "東京",
        "planned_on": "2025-05-20",
    } | extra


def recomputed(events: list[dict[str, Any]]) -> dict[str, dict[str, int] | None]:
    """Per travel line, from the log alone: the latest plan's and the settlement's amounts."""
    lines: dict[str, dict[str, int] | None] = {}
    for e in events:
        if e["type"] in ("TravelPlanned", "TravelSettled"):
            side = "planned" if e["type"] == "TravelPlanned" else "settled"
            key = travel_key(e["data"]["visit_event_id"], e["data"]["official_id"])
            line = lines.setdefault(key, {})
            assert line is not None
            for k in AMOUNT_KEYS:
                line[f"{side}_{k}"] = e["data"][k]
            line[f"{side}_total_yen"] = sum(e["data"][k] for k in AMOUNT_KEYS)
    return lines


async def test_travel_plans_settlements_budget_and_a_ledger_that_reconciles_to_the_log(
    api: httpx.AsyncClient, driver: AsyncDriver
) -> None:
    period = next_period()
    code = new_municipality_code()
    eid, visit = await engagement(api, period, code)
    company = (await ok(await command(api, eid, "activities", COMPANY_VISIT)))["event_id"]
    await ok(await command(api, eid, "members", {"official": FURUTA, "joined_on": "2025-06-10"}))
    rates_id = await define_rates(api)
    rates = (await api.get("/api/v1/travel-rates")).json()
    assert [(r["rates_id"], r["lodging_yen_per_night"]) for r in rates] == [(rates_id, LODGING)]
    base, travel = f"/api/v1/periods/{period}", f"/api/v1/engagements/{eid}"

    # 交通費 only: 宿泊 and 日当 from the rates valid on the day the trip starts (1 night, 2 days)
    first = await ok(await post(api, f"{travel}/travel-plans", plan(visit, ISHIKAWA, transport_yen=28_000)))
    assert first["event_type"] == "TravelPlanned"
    data = (await log_of(api, f"{travel}/events"))[-1]["data"]
    assert (data["lodging_yen"], data["daily_allowance_yen"], data["nights"]) == (LODGING, 2 * DAILY, 1)
    assert data["rates_id"] == rates_id
    # a re-plan before settlement replaces the plan; 白水 with every amount given (no rates used)
    await ok(await post(api, f"{travel}/travel-plans", plan(visit, ISHIKAWA, transport_yen=27_500)))
    given = {"transport_yen": 30_000, "lodging_yen": 12_000, "daily_allowance_yen": 4_400}
    await ok(await post(api, f"{travel}/travel-plans", plan(visit, SHIRAMIZU, **given)))
    assert (await log_of(api, f"{travel}/events"))[-1]["data"]["rates_id"] is None

    # bad input: refused with a reason, nothing written
    before = await log_of(api, f"{travel}/events")
    for bad in (-1, 1500.0, 1500.5, "1500", None, 10_000_000_001):
        answer = await post(api, f"{travel}/travel-plans", plan(visit, SHIRAMIZU, transport_yen=bad))
        assert_problem(answer, 422, "validation_error")
    settle_bad = {
        "visit_event_id": visit,
        "official_id": ISHIKAWA,
        "settled_on": "2025-06-15",
        "transport_yen": 27_500,
        "lodging_yen": -10_900,
        "daily_allowance_yen": 4_400,
    }
    assert_problem(await post(api, f"{travel}/travel-settlements", settle_bad), 422, "validation_error")
    assert_problem(await post(api, f"{travel}/travel-settlements", settle_bad | {"lodging_yen": "10900"}), 422)
    no_plan = settle_bad | {"visit_event_id": company, "lodging_yen": 0}
    assert_problem(await post(api, f"{travel}/travel-settlements", no_plan), 409)
    furuta = OfficialRef(**FURUTA).official_id  # joined on 06-10: not on the team on the visit's day (05-29)
    assert_problem(await post(api, f"{travel}/travel-plans", plan(visit, furuta, transport_yen=1_000)), 409)
    backwards = plan(visit, SHIRAMIZU, transport_yen=1, returns_on="2025-05-28")
    assert_problem(await post(api, f"{travel}/travel-plans", backwards), 422)
    no_rates = plan(visit, SHIRAMIZU, transport_yen=1, departs_on="2024-05-29", returns_on="2024-05-30")
    assert_problem(await post(api, f"{travel}/travel-plans", no_rates), 422, "no_travel_rates")
    assert await log_of(api, f"{travel}/events") == before

    settled = settle_bad | {"lodging_yen": 10_900, "note": "見込みどおり"}
    await ok(await post(api, f"{travel}/travel-settlements", settled))
    assert_problem(await post(api, f"{travel}/travel-settlements", settled), 409)  # settled once

    # the budget: below what is settled → 409, nothing on the period's stream; then allocated
    period_log = f"{base}/events"
    assert await log_of(api, period_log) == []
    low = {"amount_yen": 10_000, "allocated_on": "2025-06-20"}
    assert_problem(await post(api, f"{base}/travel-budget", low), 409, "budget_below_settled")
    assert_problem(await post(api, f"{base}/travel-budget", low | {"amount_yen": 1e6}), 422)
    assert await log_of(api, period_log) == []
    budget = {
        "amount_yen": 1_000_000,
        "allocated_on": "2025-06-20",
        "team_shares": [{"municipality_code": code, "amount_yen": 50_000}],
    }
    await ok(await post(api, f"{base}/travel-budget", budget), 201)
    assert [e["type"] for e in await log_of(api, period_log)] == ["TravelBudgetAllocated"]

    # the ledger reconciles to the log: every line and every total recomputed from the events
    events = await log_of(api, f"{travel}/events")
    lines = recomputed(events)
    assert len(lines) == 2
    rows = csv_rows(await api.get(f"{base}/travel-ledger.csv", params={"header": "en"}))
    *body, total = rows
    assert total["engagement_id"] == "合計"
    assert {travel_key(r["visit_event_id"], r["official_id"]) for r in body} == set(lines)
    for row in body:
        line = lines[travel_key(row["visit_event_id"], row["official_id"])]
        assert line is not None
        for key, value in line.items():
            assert int(row[key]) == value, (key, row)
    columns = [f"{side}_{k}" for side in ("planned", "settled") for k in (*AMOUNT_KEYS, "total_yen")]
    for key in columns:
        assert int(total[key]) == sum((line or {}).get(key, 0) for line in lines.values()), key
    assert int(total["planned_total_yen"]) == 27_500 + LODGING + 2 * DAILY + 30_000 + 12_000 + 4_400
    assert int(total["settled_total_yen"]) == 27_500 + 10_900 + 4_400

    sheet = load_workbook(io.BytesIO((await api.get(f"{base}/travel-ledger.xlsx")).content))["支援旅費"]
    header = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "合計"
    for key, ja in (("planned_total_yen", "見込み 計 (円)"), ("settled_total_yen", "精算 計 (円)")):
        written = last[header.index(ja)]
        assert isinstance(written, int)
        assert written == int(total[key])

    summary = (await api.get(f"{base}/travel")).json()
    assert summary["budget_yen"] == 1_000_000
    assert summary["total"]["planned_yen"] == int(total["planned_total_yen"])
    assert summary["total"]["settled_yen"] == int(total["settled_total_yen"])
    one = (await api.get(f"{travel}/travel")).json()
    assert {line["key"] for line in one} == set(lines)

    # the reads of money are in the access log
    rows_, _, _ = await driver.execute_query("MATCH (a:Access) RETURN a {.*} AS record ORDER BY a.sequence")
    routes = {record_from_node(dict(r["record"])).route for r in rows_}
    assert {
        "GET /api/v1/periods/{period}/travel-ledger.csv",
        "GET /api/v1/engagements/{engagement_id}/travel",
    } <= routes


async def test_only_staff_admin_and_auditors_see_amounts(api: httpx.AsyncClient) -> None:
    period = next_period()
    code = new_municipality_code()
    eid, visit = await engagement(api, period, code)
    await define_rates(api)
    travel = f"/api/v1/engagements/{eid}"
    await ok(await post(api, f"{travel}/travel-plans", plan(visit, ISHIKAWA, transport_yen=28_000)))
    settled = {
        "visit_event_id": visit,
        "official_id": ISHIKAWA,
        "settled_on": "2025-06-15",
        "transport_yen": 27_000,
        "lodging_yen": LODGING,
        "daily_allowance_yen": 2 * DAILY,
        "note": "差額は運賃改定",
    }
    await ok(await post(api, f"{travel}/travel-settlements", settled))
    base = f"/api/v1/periods/{period}"
    await ok(await post(api, f"{base}/travel-budget", {"amount_yen": 900_000, "allocated_on": "2025-06-20"}), 201)
    appointment = {"official": TEAM["officials"][0], "team_codes": [code], "appointed_on": "2025-05-01"}
    await ok(await post(api, f"{base}/appointments", appointment), 201)

    money_reads = [
        f"{travel}/travel",
        f"{base}/travel",
        f"{base}/travel-ledger.csv",
        f"{base}/appointments",
        f"{base}/roster.csv",
        "/api/v1/travel-rates",
    ]
    for user in ("kansa", "jimukyoku"):
        async with client_as(api, user) as reader:
            for path in money_reads:
                assert (await reader.get(path)).status_code == 200, (user, path)
            log = (await reader.get(f"{travel}/events")).json()["events"]
            plans = [e for e in log if e["type"] == "TravelPlanned"]
            assert plans[0]["data"]["transport_yen"] == 28_000
    for other in ("bunseki", "shienkan", None):
        async with client_as(api, other) as reader:
            for path in money_reads:
                assert_problem(await reader.get(path), 403)
            if other is None or other == "shienkan":
                # the log of an engagement they may read: 支援旅費 without amounts, marked redacted
                log = (await reader.get(f"{travel}/events")).json()
                money = [e for e in log["events"] if e["type"] in ("TravelPlanned", "TravelSettled")]
                assert len(money) == 2
                for e in money:
                    assert e["data"]["redacted"] is True
                    assert not [k for k in e["data"] if "_yen" in k], e["data"]
                    assert "note" not in e["data"]
                    assert e["data"]["official_id"] == ISHIKAWA
                assert log["chain_valid"] is True
            if other == "shienkan":
                state = (await reader.get(f"{travel}/state")).json()
                assert state["state"]["travel"] == {}
            if other is None:
                types = "TravelPlanned,TravelSettled,TravelBudgetAllocated,TravelRatesDefined,AppointmentIssued"
                page = (await reader.get("/api/v1/feed", params={"types": types, "limit": 1000})).json()
                mine = [i for i in page["items"] if i["subject"] in (eid, f"period-{period}")]
                assert {i["type"] for i in mine} == {
                    "TravelPlanned",
                    "TravelSettled",
                    "TravelBudgetAllocated",
                    "AppointmentIssued",
                }
                for item in page["items"]:
                    assert item["data"]["redacted"] is True
                    assert not [k for k in item["data"] if "_yen" in k], item
                issued = next(i for i in mine if i["type"] == "AppointmentIssued")
                assert set(issued["data"]) <= {"event_type", "official_id", "schema_version", "redacted"}
    # staff read the feed unredacted
    page = (await api.get("/api/v1/feed", params={"types": "TravelBudgetAllocated", "limit": 1000})).json()
    assert [i["data"]["amount_yen"] for i in page["items"] if i["subject"] == f"period-{period}"] == [900_000]
