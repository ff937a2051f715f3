"""`banso repair` on the command line: run the repair over the chosen streams and print what it did."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from banso.repair import StreamReport, repair_all, stream_subjects
from services.graph.driver import neo4j_driver
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from services.workflow.clients import connect_temporal


def _spans(sequences: list[int]) -> str:
    return f"#{sequences[0]}–#{sequences[-1]} ({len(sequences)})" if sequences else "—"


def _row(report: StreamReport) -> list[str]:
    if report.problem:
        outcome = f"[red]{report.problem}[/]"
    elif report.recorded:
        outcome = f"[green]repaired, recorded as #{report.recorded}[/]"
    elif report.restored or report.adopted:
        outcome = "[yellow]would repair (dry run)[/]"
    else:
        outcome = "in line"
    workflow = "—" if report.workflow_sequence is None else f"#{report.workflow_sequence}"
    log = f"#{report.log_sequence}"
    return [report.subject, workflow, log, _spans(report.restored), _spans(report.adopted), outcome]


async def run_repair(settings: Settings, console: Console, stream: str | None, *, dry_run: bool) -> bool:
    """Repair `stream` (or every stream); True when nothing is left for a person."""
    client = await connect_temporal(settings)
    driver = neo4j_driver(settings)
    try:
        store = EventStore(driver, settings.neo4j_database, load_or_create_chain_key(settings))
        subjects = [stream] if stream else await stream_subjects(client, await store.subjects())
        table = Table("stream", "workflow", "log", "restored from history", "taken over from log", "outcome")
        reports = []
        with console.status(f"checking {len(subjects)} streams…") as status:
            async for report in repair_all(client, store, subjects, dry_run=dry_run):
                reports.append(report)
                status.update(f"checked {len(reports)} of {len(subjects)} streams…")
                if report.problem or report.restored or report.adopted:
                    table.add_row(*_row(report))
    finally:
        await driver.close()
    in_line = sum(1 for r in reports if r.in_line and not (r.restored or r.adopted))
    if table.row_count:
        console.print(table)
    console.print(f"{len(reports)} streams checked: {in_line} already in line, {table.row_count} shown above")
    return all(r.in_line for r in reports)
