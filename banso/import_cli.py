"""`banso import FILE [--dry-run]`: upload a period's spreadsheet to the running API and follow its job.

The file is checked first (the report lists every problem by sheet, row and column, in the language of
`--lang`); without `--dry-run` a file without problems is then sent engagement by engagement through the
engagement workflows, with a progress bar. Running the same file again writes nothing.
"""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from banso.api_auth import OperatorAuth
from services.settings import get_settings

POLL_S = 0.5
FINISHED = {"rejected", "validated", "done", "failed"}
console = Console()


class Lang(StrEnum):
    """The language the report is printed in."""

    JA = "ja"
    EN = "en"


def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx または CSV (UTF-8) の取込ファイル")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="検証のみ (何も書き込まない)")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="報告の言語 (ja / en)")] = Lang.JA,
) -> None:
    """Import a past period's engagements, teams, activities and outcomes (through the running API)."""
    settings = get_settings()
    headers = {"Accept-Language": lang.value}
    try:
        with httpx.Client(
            base_url=settings.api_url, timeout=120, auth=OperatorAuth(settings), headers=headers
        ) as client:
            response = client.post(
                "/api/v1/imports",
                files={"file": (file.name, file.read_bytes())},
                data={"dry_run": "true" if dry_run else "false"},
            )
            if response.status_code != 202:
                body = response.json() if response.headers.get("content-type", "").endswith("json") else {}
                detail = body.get("detail_ja" if lang is Lang.JA else "detail") or response.text
                console.print(f"[red]{response.status_code}[/red] {detail}")
                raise typer.Exit(1)
            job = _follow(client, response.json()["href"])
    except httpx.HTTPError as err:
        console.print(f"[red]{err}[/red] (is `banso up` running at {settings.api_url}?)")
        raise typer.Exit(1) from err
    _print_result(job, lang)
    if job["status"] in ("rejected", "failed"):
        raise typer.Exit(1)


def _follow(client: httpx.Client, href: str) -> dict[str, Any]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("検証中 / validating", total=None)
        while True:
            response = client.get(href)
            response.raise_for_status()
            job: dict[str, Any] = response.json()
            if job["status"] == "importing":
                progress.update(
                    task, description="取込中 / importing", total=job["total"] or None, completed=job["done"]
                )
            if job["status"] in FINISHED:
                progress.update(task, total=job["total"] or 1, completed=job["done"] or job["total"] or 1)
                return job
            time.sleep(POLL_S)


STATUS_TEXT = {
    "rejected": ("問題があるため取り込みませんでした (何も書き込んでいません)", "rejected: nothing was written"),
    "validated": ("検証のみ: 問題はありません (何も書き込んでいません)", "dry run: no problems (nothing was written)"),
    "done": ("取込が完了しました", "imported"),
    "failed": ("一部の案件がサーバーに拒否されました", "the server refused part of some engagements"),
}


def _print_result(job: dict[str, Any], lang: Lang) -> None:
    ja, en = STATUS_TEXT[job["status"]]
    console.print(ja if lang is Lang.JA else en)
    counts = job.get("counts") or {}
    rows = (counts.get(k, 0) for k in ("engagements", "team_rows", "activity_rows", "outcome_rows"))
    e, t, a, o = rows
    total, written, skipped = job["total"], job["written"], job["skipped"]
    if lang is Lang.JA:
        console.print(
            f"案件 {e}・チーム {t}・活動 {a}・成果 {o} 行 / 更新 {total} 件 (新規 {written}, 記録済み {skipped})"
        )
    else:
        console.print(
            f"{e} engagements, {t} team, {a} activity, {o} outcome rows; "
            f"{total} updates ({written} written, {skipped} already recorded)"
        )
    if job["problems"]:
        head = ("シート", "行", "列", "内容") if lang is Lang.JA else ("sheet", "row", "column", "problem")
        table = Table(*head)
        for p in job["problems"]:
            table.add_row(p["sheet"] or "", str(p["row"] or ""), p["column"] or "", p["message"])
        console.print(table)
        console.print(f"{job['problems_total']} 件の問題" if lang is Lang.JA else f"{job['problems_total']} problems")
    for f in job["failures"]:
        console.print(f"{f['engagement_id']} {f['sheet']} {f['row']}: {f['message']}")
