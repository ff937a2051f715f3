"""The `banso` command: runs the local stack and checks engagement logs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.demo.load import DemoLoadError, load_demo
from banso.reference.load import ReferenceLoadError, load_reference
from banso.settings import Settings, get_settings
from banso.stack.errors import StackError
from banso.stack.local import LocalStack, api_healthy, stop_recorded
from banso.stack.processes import recorded_pid
from banso.stack.servers import neo4j_ready, temporal_ready
from schemas.envelope import EventEnvelope, verify_chain
from services.graph.event_store import EventStore
from services.graph.rebuild import rebuild_projection
from services.workflow.clients import neo4j_driver

app = typer.Typer(
    help="Banso (伴走) — 地方創生伴走支援制度のバックオフィス / the programme's back office.",
    no_args_is_help=True,
)
console = Console()


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]エラー / error:[/] {message}")
    return typer.Exit(code=1)


def _print_urls(settings: Settings) -> None:
    table = Table(title="Banso is running / 起動しました", show_header=False)
    table.add_row("バックオフィス / back office", f"{settings.api_url}/")
    table.add_row("API docs", f"{settings.api_url}/docs")
    table.add_row("API", f"{settings.api_url}/api/v1/engagements")
    if settings.temporal_address is None and not settings.temporal_headless:
        table.add_row(
            "Temporal UI",
            f"http://127.0.0.1:{settings.temporal_ui_port}/namespaces/{settings.temporal_namespace}/workflows",
        )
    table.add_row("Temporal", settings.temporal_target)
    table.add_row("Neo4j Bolt", settings.bolt_uri)
    table.add_row("Logs", str(settings.data_dir.resolve() / "run"))
    console.print(table)


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _load_reference(settings: Settings) -> int:
    async def run() -> int:
        async with httpx.AsyncClient(base_url=settings.api_url, timeout=120) as client:
            with Progress(console=console) as progress:
                return await load_reference(client, progress)

    return asyncio.run(run())


@app.command()
def up(
    detach: Annotated[bool, typer.Option(help="Start everything and return (stop with `banso down`).")] = False,
    demo: Annotated[bool, typer.Option(help="Load the demo engagements through the API.")] = True,
) -> None:
    """Start Temporal, Neo4j, the worker and the API; load the demo data; print the URLs."""
    settings = get_settings()
    stack = LocalStack(settings, console)
    started = time.monotonic()
    run_dir = settings.data_dir.resolve() / "run"
    try:
        stack.up()
        steps = _load_reference(settings)
        console.print(f"reference data: {steps} streams (47 都道府県, 1,741 市町村, 府省庁, 地方支分部局, 制度)")
        if demo:
            with (
                Progress(console=console) as progress,
                httpx.Client(base_url=settings.api_url, timeout=120) as client,
            ):
                result = load_demo(client, progress)
            console.print(f"demo: {result.steps} steps, {result.new_events} new events")
    except (StackError, DemoLoadError, ReferenceLoadError, httpx.HTTPError) as err:
        stack.down()
        raise _fail(str(err)) from err
    _print_urls(settings)
    console.print(f"ready in {time.monotonic() - started:.1f} s")
    if detach:
        return
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "up.pid").write_text(json.dumps({"pid": os.getpid(), "args": sys.argv}), encoding="utf-8")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    console.print("Ctrl-C で停止 / Ctrl-C stops everything")
    try:
        stack.watch()
    except KeyboardInterrupt:
        console.print("stopping…")
    except StackError as err:
        console.print(f"[bold red]{err}[/]")
    finally:
        stack.down()
        (run_dir / "up.pid").unlink(missing_ok=True)
    console.print("stopped / 停止しました")


@app.command()
def down() -> None:
    """Stop a stack started by `banso up` (data is kept)."""
    stopped = stop_recorded(get_settings())
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@app.command()
def status() -> None:
    """Show which services run and whether they answer."""
    settings = get_settings()
    run_dir = settings.data_dir.resolve() / "run"
    table = Table("service", "pid", "answers")
    checks: dict[str, Callable[[], bool]] = {
        "temporal": lambda: temporal_ready(settings),
        "neo4j": lambda: neo4j_ready(settings),
        "worker": lambda: recorded_pid(run_dir, "worker") is not None,
        "api": lambda: api_healthy(settings),
    }
    healthy = True
    for name, check in checks.items():
        ok = check()
        healthy &= ok
        table.add_row(name, str(recorded_pid(run_dir, name) or "-"), "[green]yes[/]" if ok else "[red]no[/]")
    console.print(table)
    if not healthy:
        raise typer.Exit(code=1)


@app.command()
def demo() -> None:
    """Load the demo engagements (大船渡市, 岡谷市) through the running API; idempotent."""
    settings = get_settings()
    try:
        with (
            Progress(console=console) as progress,
            httpx.Client(base_url=settings.api_url, timeout=120) as client,
        ):
            result = load_demo(client, progress)
    except (DemoLoadError, httpx.HTTPError) as err:
        raise _fail(f"{err} (is `banso up` running at {settings.api_url}?)") from err
    console.print(f"demo: {result.steps} steps, {result.new_events} new events")


@app.command()
def reference() -> None:
    """Load the national reference data through the running API; idempotent (changed data only)."""
    settings = get_settings()
    try:
        steps = _load_reference(settings)
    except (ReferenceLoadError, httpx.HTTPError) as err:
        raise _fail(f"{err} (is `banso up` running at {settings.api_url}?)") from err
    console.print(f"reference data: {steps} streams")


@app.command()
def experts(
    query: Annotated[str, typer.Argument(help="検索語 (例: 港, 港湾, port)")],
    ministry: Annotated[str | None, typer.Option(help="府省庁で絞り込む")] = None,
    period: Annotated[int | None, typer.Option(help="第N期で絞り込む")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
) -> None:
    """有識者検索 / Who has worked on a topic, with the evidence (asks the running API)."""
    settings = get_settings()
    params: dict[str, str | int] = {"q": query, "limit": limit}
    if ministry:
        params["ministry"] = ministry
    if period:
        params["period"] = period
    try:
        response = httpx.get(f"{settings.api_url}/api/v1/experts", params=params, timeout=60)
    except httpx.HTTPError as err:
        raise _fail(f"{err} (is `banso up` running at {settings.api_url}?)") from err
    if response.status_code != 200:
        raise _fail(response.json().get("detail", response.text))
    result = response.json()
    console.print(f"検索語 / terms: {', '.join(result['terms'])}")
    table = Table("#", "支援官 / official", "府省庁", "score", "根拠 / evidence")
    for rank, expert in enumerate(result["experts"], start=1):
        evidence = "\n".join(
            f"{ev['kind']}: {ev['text'][:40]} ({ev.get('engagement_id') or '-'} #{ev.get('event_sequence') or '-'})"
            for ev in expert["evidence"][:3]
        )
        table.add_row(str(rank), expert["name"], expert.get("ministry") or "", f"{expert['score']:.2f}", evidence)
    console.print(table)
    if not result["experts"]:
        console.print("該当なし / nobody matched")


graph_app = typer.Typer(help="The knowledge graph (projection of the event log).", no_args_is_help=True)
app.add_typer(graph_app, name="graph")


@graph_app.command("rebuild")
def graph_rebuild() -> None:
    """Wipe the projection (never the events) and replay the whole event log in order."""
    settings = get_settings()

    async def run(progress: Progress) -> int:
        task = progress.add_task("rebuild / 再構築", total=None)
        driver = neo4j_driver(settings)
        try:
            return await rebuild_projection(
                driver,
                settings.neo4j_database,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        finally:
            await driver.close()

    try:
        with Progress(console=console) as progress:
            replayed = asyncio.run(run(progress))
    except Exception as err:
        raise _fail(f"Neo4j ({settings.bolt_uri}) で再構築できません / rebuild failed: {err}") from err
    console.print(f"replayed {replayed} events")


@app.command()
def verify(
    engagement: Annotated[str, typer.Argument(help="engagement id, e.g. engagement-2-032034")],
) -> None:
    """Check an engagement's hash chain straight from Neo4j (exit 1 if it was altered)."""
    settings = get_settings()

    async def read() -> list[EventEnvelope]:
        driver = neo4j_driver(settings)
        try:
            return await EventStore(driver, settings.neo4j_database).stream(engagement)
        finally:
            await driver.close()

    try:
        events = asyncio.run(read())
    except Exception as err:
        raise _fail(f"Neo4j ({settings.bolt_uri}) に接続できません / cannot read from Neo4j: {err}") from err
    if not events:
        raise _fail(f"{engagement}: イベントがありません / no events for this engagement")
    verdict = verify_chain(events)
    if verdict.valid:
        console.print(f"[green]✓ chain valid[/] {engagement}: {verdict.events} events, head {verdict.head_hash}")
        return
    console.print(
        f"[bold red]✗ chain broken[/] {engagement}: first bad event #{verdict.first_bad_sequence} — {verdict.reason}"
    )
    raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
