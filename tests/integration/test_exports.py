"""Exports through the API on the real stack: the demo period as CSV, JSONL, .xlsx, a zip and the reports PDF,
each checked against the engagements' event logs; bad input answers problems; who may export."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from datetime import datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from temporalio.client import Client

from banso.demo.load import demo_steps
from services.api.exports.tables import COLUMNS, SHEET_NAMES, Table
from tests.auth import auth_for
from tests.conftest import next_period
from tests.pdf_facts import pdf_facts

pytestmark = pytest.mark.servers

ACTIVITY_TYPES = {"OnlineMeetingHeld", "SiteVisitMade", "CompanyVisitMade", "CoordinationHeld"}
BOM = b"\xef\xbb\xbf"


class Demo:
    """The demo period loaded once, and what its event logs say each table must hold."""

    def __init__(self, period: int, logs: dict[str, list[dict[str, Any]]]) -> None:
        self.period = period
        self.logs = logs
        events = [e for log in logs.values() for e in log]
        self.activity_ids = {e["id"] for e in events if e["type"] in ACTIVITY_TYPES}
        self.outcome_ids = {e["id"] for e in events if e["type"] == "OutcomeRecorded"}
        self.took_part = sum(len(e["data"].get("participant_ids") or []) for e in events if e["type"] in ACTIVITY_TYPES)
        self.led = sum(1 for e in events if e["type"] in ACTIVITY_TYPES and e["data"].get("led_by"))
        self.contributed = sum(
            len(e["data"].get("contributor_ids") or []) for e in events if e["type"] == "OutcomeRecorded"
        )
        self.members = sum(len(e["data"]["officials"]) for e in events if e["type"] in {"TeamAssigned", "MemberJoined"})
        self.introduced = sum(1 for e in events if e["type"] == "IntroductionMade" and e["data"].get("by_official_id"))

    def participation(self) -> Counter[str]:
        """Rows per relation the participation table must have."""
        return Counter(
            {
                "member": self.members,
                "took_part": self.took_part,
                "contributed_to": self.contributed,
                "introduced": self.introduced,
            }
        )


@pytest.fixture(scope="module")
async def demo(module_api: httpx.AsyncClient, temporal: Client) -> Demo:
    period = next_period()
    for step in demo_steps(period):
        headers = {"Idempotency-Key": step["key"]}
        response = await module_api.post(step["path"], json=step["body"], headers=headers)
        assert response.status_code in (200, 201), response.text
    listed = (await module_api.get("/api/v1/engagements", params={"period": period, "limit": 500})).json()
    logs = {}
    for item in listed["items"]:
        log = (await module_api.get(f"/api/v1/engagements/{item['engagement_id']}/events")).json()
        logs[item["engagement_id"]] = log["events"]
    assert len(logs) >= 2
    return Demo(period, logs)


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


class TestCsv:
    async def test_engagements_bom_japanese_headers_and_event_counts(
        self, module_api: httpx.AsyncClient, demo: Demo
    ) -> None:
        response = await module_api.get("/api/v1/exports/engagements.csv", params={"period": demo.period})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        assert response.content.startswith(BOM)
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == [c.ja for c in COLUMNS[Table.ENGAGEMENTS]]
        rows = {r["伴走支援ID"]: r for r in csv_rows(response.content)}
        assert set(rows) == set(demo.logs)
        for engagement_id, log in demo.logs.items():
            assert int(rows[engagement_id]["記録イベント数"]) == len(log)
            activities = sum(1 for e in log if e["type"] in ACTIVITY_TYPES)
            assert int(rows[engagement_id]["活動数"]) == activities
        ofunato = next(r for r in rows.values() if r["市町村"] == "大船渡市")
        assert ofunato["都道府県"] == "岩手県"
        assert ofunato["支援テーマ"].split("、") == sorted(
            ["産業振興", "子育て支援", "環境"], key=ofunato["支援テーマ"].index
        )

    async def test_activities_and_outcomes_are_the_logs_events(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        params: dict[str, Any] = {"period": demo.period, "header": "en"}
        activities = csv_rows((await module_api.get("/api/v1/exports/activities.csv", params=params)).content)
        assert {r["activity_id"] for r in activities} == demo.activity_ids
        assert len(activities) == len(demo.activity_ids)
        assert all(r["start_date"][:4].isdigit() for r in activities)
        outcomes = csv_rows((await module_api.get("/api/v1/exports/outcomes.csv", params=params)).content)
        assert {r["outcome_id"] for r in outcomes} == demo.outcome_ids

    async def test_participation_has_a_row_per_attribution(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        params: dict[str, Any] = {"period": demo.period, "header": "en"}
        rows = csv_rows((await module_api.get("/api/v1/exports/participation.csv", params=params)).content)
        assert +Counter(r["relation"] for r in rows) == +demo.participation()
        assert sum(1 for r in rows if r["role"] == "led") == demo.led
        assert demo.took_part > 0
        assert {"石川 亨", "白水 伸英", "古田 匠"} <= {r["official_name"] for r in rows}

    async def test_both_headers_and_filters(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        params: dict[str, Any] = {"period": demo.period, "header": "both", "prefecture": "岩手県"}
        body = (await module_api.get("/api/v1/exports/engagements.csv", params=params)).content
        records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert records[1] == [c.key for c in COLUMNS[Table.ENGAGEMENTS]]
        assert [r[3] for r in records[2:]] == ["大船渡市"]


class TestJsonl:
    async def test_every_line_is_an_object_with_english_keys(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        for table in Table:
            response = await module_api.get(f"/api/v1/exports/{table.value}.jsonl", params={"period": demo.period})
            assert response.status_code == 200, response.text
            objects = [json.loads(line) for line in response.text.splitlines()]
            assert all(list(o) == [c.key for c in COLUMNS[table]] for o in objects)
            if table is Table.ACTIVITIES:
                assert {o["activity_id"] for o in objects} == demo.activity_ids
                assert all(isinstance(o["officials"], list) for o in objects)
            if table is Table.ENGAGEMENTS:
                assert {o["engagement_id"]: o["events"] for o in objects} == {k: len(v) for k, v in demo.logs.items()}


class TestWorkbookAndZip:
    async def test_one_sheet_per_table_with_dates(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        response = await module_api.get("/api/v1/exports/all.xlsx", params={"period": demo.period})
        assert response.status_code == 200, response.text
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames == [SHEET_NAMES[t] for t in Table]
        activities = wb["活動"]
        assert activities.freeze_panes == "A2"
        assert activities.max_row - 1 == len(demo.activity_ids)
        start = [c.key for c in COLUMNS[Table.ACTIVITIES]].index("start_date") + 1
        assert all(
            isinstance(activities.cell(row=n, column=start).value, datetime) for n in range(2, activities.max_row + 1)
        )
        assert wb["伴走支援"].max_row - 1 == len(demo.logs)
        assert wb["成果"].max_row - 1 == len(demo.outcome_ids)
        assert wb["支援官の参加"].max_row - 1 == sum(demo.participation().values())

    async def test_the_zip_holds_four_csv_files(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        response = await module_api.get("/api/v1/exports/all.zip", params={"period": demo.period})
        assert response.status_code == 200, response.text
        with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
            assert zf.namelist() == [f"{t.value}.csv" for t in Table]
            outcomes = zf.read("outcomes.csv")
        assert outcomes.startswith(BOM)
        assert len(csv_rows(outcomes)) == len(demo.outcome_ids)


class TestReportsPdf:
    async def test_one_page_per_engagement_with_fonts_embedded(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        response = await module_api.get(f"/api/v1/periods/{demo.period}/reports.pdf")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        facts = pdf_facts(response.content)
        assert facts.pages == len(demo.logs)
        assert facts.media_boxes == {(842, 595)}
        assert facts.embedded_fonts
        assert facts.maps_text("大船渡市岡谷市")


class TestBadInput:
    async def test_unknown_period_is_a_404_problem(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        for url in (
            "/api/v1/exports/engagements.csv?period=98",
            "/api/v1/periods/98/reports.pdf",
            "/api/v1/exports/all.xlsx?period=98",
        ):
            response = await module_api.get(url)
            assert response.status_code == 404, url
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["code"] == "period_not_found"

    async def test_unknown_table_format_or_filter_is_a_problem(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        cases = {
            "/api/v1/exports/officials.csv": 422,
            "/api/v1/exports/engagements.xml": 404,
            "/api/v1/exports/engagements.csv?period=0": 422,
            "/api/v1/exports/engagements.csv?header=fr": 422,
            "/api/v1/exports/engagements.csv?stage=nowhere": 422,
            "/api/v1/periods/abc/reports.pdf": 422,
        }
        for url, status in cases.items():
            response = await module_api.get(url)
            assert response.status_code == status, (url, response.text)
            assert response.headers["content-type"].startswith("application/problem+json"), url


class TestWhoMayExport:
    async def test_officials_are_refused_and_the_integration_client_reads(
        self, module_api: httpx.AsyncClient, demo: Demo
    ) -> None:
        url = f"/api/v1/exports/participation.jsonl?period={demo.period}"
        official = await module_api.get(url, auth=auth_for("shienkan"))
        assert official.status_code == 403
        client = await module_api.get(url, auth=auth_for(None))
        assert client.status_code == 200
        analyst = await module_api.get(f"/api/v1/periods/{demo.period}/reports.pdf", auth=auth_for("bunseki"))
        assert analyst.status_code == 200

    async def test_an_export_is_recorded_as_a_personal_read(self, module_api: httpx.AsyncClient, demo: Demo) -> None:
        await module_api.get(f"/api/v1/exports/participation.csv?period={demo.period}")
        params: dict[str, Any] = {"object": f"period:{demo.period}", "limit": 500}
        log = (await module_api.get("/api/v1/access-log", params=params)).json()
        routes = {entry["route"] for entry in log["records"]}
        assert "GET /api/v1/exports/{table}.csv" in routes
