"""Bulk import on the real stack: 30 bad rows in ~1,000 all reported and nothing written; corrected, it loads once."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from banso.reference.load import MUNICIPALITIES_FILE
from schemas.events import OfficialRef
from schemas.imports.reference import ListedPlace
from tests.conftest import LoadedReference, next_period
from tests.imports.generate import Sheets, period_file, spoil_thirty, to_csv, to_xlsx

pytestmark = pytest.mark.servers

MINISTRIES = ["総務省", "財務省", "国土交通省", "文部科学省", "経済産業省", "農林水産省"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _places(n: int, offset: int) -> list[ListedPlace]:
    data = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    places = [ListedPlace(m["code"], m["name"], p["name"]) for p in data["prefectures"] for m in p["municipalities"]]
    names = [p.name for p in places]
    unique = [p for p in places if names.count(p.name) == 1]
    return unique[offset : offset + n]


@pytest.fixture(scope="module")
async def officials(module_api: httpx.AsyncClient, reference_module: LoadedReference) -> list[OfficialRef]:
    """Twelve officials from six ministries and one outsider, registered through the API (fresh names)."""
    salt = uuid.uuid4().hex[:6]
    refs = [OfficialRef(name=f"取込{salt} {m}{k}", ministry=m) for m in MINISTRIES for k in range(2)]
    refs.append(OfficialRef(name=f"取込{salt} 外部", ministry="環境省"))
    for ref in refs:
        response = await module_api.post(
            "/api/v1/officials", json={"official": ref.model_dump(exclude={"official_id"})}
        )
        assert response.status_code == 201, response.text
    return refs


async def _events(driver: AsyncDriver, imported: bool = False) -> int:
    """Events in the log (only those answering an import's commands when `imported`)."""
    where = "WHERE e.command_id CONTAINS ':import-'" if imported else ""
    records, _, _ = await driver.execute_query(f"MATCH (e:Event) {where} RETURN count(e) AS n")
    return int(records[0]["n"])


async def _upload(api: httpx.AsyncClient, data: bytes, name: str, dry_run: bool, lang: str = "ja") -> httpx.Response:
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return await api.post(
        "/api/v1/imports",
        files={"file": (name, data, kind)},
        data={"dry_run": str(dry_run).lower()},
        headers={"Accept-Language": lang},
    )


async def _run(
    api: httpx.AsyncClient, data: bytes, name: str, dry_run: bool, lang: str = "ja"
) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """Upload and follow the job to its end; the (status, done) seen on the way."""
    response = await _upload(api, data, name, dry_run, lang)
    assert response.status_code == 202, response.text
    href = response.json()["href"]
    seen: list[tuple[str, int]] = []
    for _ in range(1200):
        job = (await api.get(href, headers={"Accept-Language": lang})).json()
        seen.append((job["status"], job["done"]))
        if job["status"] in ("rejected", "validated", "done", "failed"):
            return job, seen
        await asyncio.sleep(0.25)
    raise AssertionError(f"the job did not finish: {seen[-3:]}")


def _period(officials: list[OfficialRef], offset: int, engagements: int, activities: int) -> Sheets:
    return period_file(next_period(), _places(engagements, offset), officials[:-1], activities_per=activities)


class TestBadRows:
    @pytest.mark.parametrize("form", ["xlsx", "csv"])
    async def test_thirty_bad_rows_are_all_reported_and_nothing_written(
        self, module_api: httpx.AsyncClient, driver: AsyncDriver, officials: list[OfficialRef], form: str
    ) -> None:
        sheets = _period(officials, 0, 30, 28)
        spoil_thirty(sheets, officials[-1])
        assert sheets.total == 1020
        data, expected = (
            (to_xlsx(sheets), sheets.xlsx_rows()) if form == "xlsx" else (to_csv(sheets), sheets.csv_rows())
        )
        before = await _events(driver)
        for dry_run in (True, False):
            job, _ = await _run(module_api, data, f"period.{form}", dry_run)
            assert job["status"] == "rejected"
            assert job["problems_total"] == 30
            assert {(p["sheet"], p["row"]) for p in job["problems"]} == expected
            assert all(p["message_ja"] and p["message_en"] and p["message"] == p["message_ja"] for p in job["problems"])
            assert job["written"] == 0
        assert await _events(driver) == before

    async def test_messages_follow_accept_language(
        self, module_api: httpx.AsyncClient, officials: list[OfficialRef]
    ) -> None:
        sheets = _period(officials, 40, 2, 3)
        sheets.spoil("活動", 0, 日付="令和8年2月30日")
        job, _ = await _run(module_api, to_csv(sheets), "p.csv", dry_run=True, lang="en")
        (problem,) = job["problems"]
        assert problem["message"] == problem["message_en"] != problem["message_ja"]
        assert (problem["sheet"], problem["column"], problem["code"]) == ("活動", "日付", "impossible_date")


class TestLoad:
    async def test_the_corrected_file_loads_once(
        self, module_api: httpx.AsyncClient, driver: AsyncDriver, officials: list[OfficialRef]
    ) -> None:
        sheets = _period(officials, 60, 30, 28)
        data = to_xlsx(sheets)
        before = await _events(driver)
        dry, _ = await _run(module_api, data, "period.xlsx", dry_run=True)
        assert (dry["status"], dry["problems_total"], dry["total"]) == ("validated", 0, 990)
        assert await _events(driver) == before

        job, seen = await _run(module_api, data, "period.xlsx", dry_run=False)
        assert job["status"] == "done", job["failures"]
        assert (job["total"], job["done"], job["written"], job["skipped"]) == (990, 990, 990, 0)
        assert job["engagements_done"] == job["engagements_total"] == 30
        importing = [done for status, done in seen if status == "importing"]
        assert importing, seen  # progress seen while the job ran
        assert importing == sorted(importing)
        after = await _events(driver)
        # each engagement's workflow also raises its own FinalReportDue: the imported 最終報告期限 lies in the past
        assert after - before == 990 + 30
        assert await _events(driver, imported=True) >= 990

        again, _ = await _run(module_api, data, "period.xlsx", dry_run=False)
        assert (again["status"], again["written"], again["skipped"]) == ("done", 0, 990)
        assert await _events(driver) == after

    async def test_a_csv_file_loads(self, module_api: httpx.AsyncClient, officials: list[OfficialRef]) -> None:
        sheets = _period(officials, 100, 3, 5)
        job, _ = await _run(module_api, to_csv(sheets, bom=False), "period.csv", dry_run=False)
        assert (job["status"], job["written"]) == ("done", 3 * (3 + 5 + 2))
        code = sheets.rows["案件"][0]["市町村コード"]
        period = sheets.rows["案件"][0]["期"]
        detail = (await module_api.get(f"/api/v1/engagements/engagement-{period}-{code}")).json()
        assert detail["counts"]["online_meetings"] == 2


class TestBadFiles:
    async def test_not_a_spreadsheet_is_a_problem(self, module_api: httpx.AsyncClient) -> None:
        response = await _upload(module_api, b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.png", dry_run=True)
        assert response.status_code == 415
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "not_a_spreadsheet"

    async def test_an_oversized_file_is_refused(self, module_api: httpx.AsyncClient) -> None:
        response = await _upload(module_api, b"x" * (5 * 1024 * 1024 + 1), "big.csv", dry_run=True)
        assert response.status_code == 413
        assert "5 MB" in response.json()["detail"]

    async def test_the_template_downloads(self, module_api: httpx.AsyncClient) -> None:
        response = await module_api.get("/api/v1/imports/template.xlsx")
        assert response.status_code == 200
        job, _ = await _run(module_api, response.content, "template.xlsx", dry_run=True)
        assert (job["status"], job["total"]) == ("validated", 0)

    async def test_an_unknown_job_is_404(self, module_api: httpx.AsyncClient) -> None:
        response = await module_api.get(f"/api/v1/imports/{uuid.uuid4().hex}")
        assert response.status_code == 404
