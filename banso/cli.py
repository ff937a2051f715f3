"""The `banso` command: runs the local stack and checks engagement logs."""

from __future__ import annotations

import asyncio
import signal
import time
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from temporalio.service import RPCError

from banso.api_auth import OperatorAuth
from banso.audit_cli import audit_app
from banso.demo.load import DemoLoadError, load_demo
from banso.import_cli import import_file
from banso.reference.load import ReferenceLoadError, load_reference
from banso.repair_report import run_repair
from banso.stack.backup import create_backup
from banso.stack.errors import StackError
from banso.stack.health import check_all
from banso.stack.holds import supervisor_state
from banso.stack.keycloak import (
    DEMO_USERS,
    INTEGRATION_CLIENT,
    ROLES,
    credentials_path,
    demo_token,
    load_or_create_credentials,
)
from banso.stack.launch import Supervised, start_supervised
from banso.stack.local import STOP_ORDER, stop_recorded
from banso.stack.manifest import read_manifest
from banso.stack.restore import restore_backup
from banso.verify_report import report_verdict
from schemas.api_views import EngagementLog
from services.graph.driver import neo4j_driver
from services.graph.errors import GraphError
from services.graph.store.chain_key import ChainKeyError, load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.graph.store.rebuild import RebuildProfile, rebuild_projection
from services.settings import Settings, get_settings
from services.workflow.payload_keys import PayloadKeysError, payload_keys_path, rotate_payload_keys

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
    table.add_row("OIDC issuer", settings.oidc_issuer or "-")
    table.add_row("Logs", str(settings.data_dir.resolve() / "run"))
    console.print(table)
    if settings.keycloak_start:
        _print_demo_users(settings)


def _print_demo_users(settings: Settings) -> None:
    """The local stack's demo users with their generated passwords (demo only; see README)."""
    path = credentials_path(settings)
    if not path.exists():
        return
    creds = load_or_create_credentials(settings)
    table = Table("user", "role / 役割", "password", title=f"サインイン / sign-in (demo only; {path})")
    for user, role in DEMO_USERS.items():
        table.add_row(user, f"{role} / {ROLES[role]}", creds.users.get(user, "?"))
    table.add_row(INTEGRATION_CLIENT, f"integration / {ROLES['integration']}", "client secret in the file")
    table.add_row("admin", "Keycloak admin console", f"http://127.0.0.1:{settings.keycloak_port}/admin/ (file)")
    console.print(table)
    console.print("token: banso token jimukyoku  (banso token --client: the integration client's)")


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _load_reference(settings: Settings) -> int:
    async def run() -> int:
        async with httpx.AsyncClient(base_url=settings.api_url, timeout=120, auth=OperatorAuth(settings)) as client:
            with Progress(console=console) as progress:
                return await load_reference(client, progress)

    return asyncio.run(run())


@app.command()
def up(
    detach: Annotated[bool, typer.Option(help="Start everything and return (stop with `banso down`).")] = False,
    demo: Annotated[bool, typer.Option(help="Load the demo engagements through the API.")] = True,
) -> None:
    """Start Temporal, Neo4j, the worker and the API under a supervisor; load the demo data; print the URLs.

    A supervising process (`python -m banso.stack.daemon`) owns the children and restarts any that
    crashes; --detach leaves it running, the foreground follows its log until Ctrl-C.
    """
    settings = get_settings()
    started = time.monotonic()

    def echo(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    supervised: Supervised | None = None
    try:
        supervised = start_supervised(settings)
        signal.signal(signal.SIGTERM, _raise_on_sigterm)
        supervised.wait_ready(echo, timeout=3 * settings.start_timeout_s + 900)
        steps = _load_reference(settings)
        console.print(
            f"reference data: {steps} streams (47 都道府県, 1,741 市町村, 府省庁, 地方支分部局, 制度, 旅費の基準額)"
        )
        console.print(f"ready in {time.monotonic() - started:.1f} s (servers, worker, API, reference data)")
        if demo:
            demo_started = time.monotonic()
            with (
                Progress(console=console) as progress,
                httpx.Client(base_url=settings.api_url, timeout=120, auth=OperatorAuth(settings)) as client,
            ):
                result = load_demo(client, progress)
            console.print(
                f"demo: {result.steps} steps, {result.new_events} new events ({time.monotonic() - demo_started:.1f} s)"
            )
    except (StackError, DemoLoadError, ReferenceLoadError, httpx.HTTPError, KeyboardInterrupt) as err:
        if supervised is not None:
            supervised.stop(echo)
        if isinstance(err, KeyboardInterrupt):
            raise _fail("interrupted / 中断しました") from err
        raise _fail(str(err)) from err
    _print_urls(settings)
    console.print(f"supervisor pid {supervised.process.pid}")
    if detach:
        return
    console.print("Ctrl-C で停止 / Ctrl-C stops everything")
    try:
        supervised.follow(echo)
    except KeyboardInterrupt:
        console.print("stopping…")
        supervised.stop(echo)
    console.print("stopped / 停止しました")


@app.command()
def down() -> None:
    """Stop a stack started by `banso up` (data is kept)."""
    stopped = stop_recorded(get_settings())
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@app.command()
def status() -> None:
    """Ask each service whether it works (exit 1 if any does not)."""
    settings = get_settings()
    answers = check_all(settings)
    table = Table("service", "pid", "answers", "detail")
    for health in answers:
        ok = "[green]yes[/]" if health.ok else "[red]no[/]"
        table.add_row(health.name, str(health.pid or "-"), ok, escape(health.detail))
    console.print(table)
    state = supervisor_state(settings.data_dir.resolve() / "run")
    if state is not None:
        services = state.get("services", {})
        order = list(
            reversed(STOP_ORDER)
        )  # the stack's order (keycloak, temporal, neo4j, worker, api), not start order
        named = sorted(services.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        restarts = ", ".join(f"{name} {info.get('restarts', 0)}" for name, info in named)
        console.print(f"supervisor pid {state['pid']}; restarts: {restarts}")
    if not all(h.ok for h in answers):
        raise typer.Exit(code=1)


@app.command()
def token(
    user: Annotated[str | None, typer.Argument(help="A demo user: jimukyoku, shienkan, bunseki, kansa, kanri.")] = None,
    client: Annotated[bool, typer.Option("--client", help="The integration client's token (credentials).")] = False,
) -> None:
    """Print an access token of the local stack's Keycloak (demo users by direct grant; demo only).

    `curl -H "Authorization: Bearer $(banso token jimukyoku)" …`
    """
    if (user is None) == (not client):
        raise _fail("give a demo user, or --client / ユーザー名か --client を指定してください")
    try:
        print(demo_token(get_settings(), None if client else user))
    except StackError as err:
        raise _fail(str(err)) from err


class Server(StrEnum):
    """A server of the local stack that backup and restore know."""

    neo4j = "neo4j"
    temporal = "temporal"


def _bytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _copy_progress() -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console)


@app.command()
def backup(
    to: Annotated[
        Path | None, typer.Option("--to", help="Directory for the backup (default <data dir>/backups).")
    ] = None,
) -> None:
    """Back up the local stack: Temporal's SQLite online, Neo4j's store with Neo4j briefly stopped."""
    settings = get_settings()
    target = to or settings.data_dir.resolve() / "backups"
    started = time.monotonic()

    def echo(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    try:
        with _copy_progress() as progress:
            root, manifest = create_backup(settings, target, progress, echo)
    except StackError as err:
        raise _fail(str(err)) from err
    for name, component in manifest.components.items():
        console.print(
            f"{name}: {len(component.files)} files, {_bytes(component.size)}, "
            f"{component.seconds:.1f} s ({component.method})"
        )
    total = sum(c.size for c in manifest.components.values())
    console.print(
        f"backup: {root} ({_bytes(total)}, {time.monotonic() - started:.1f} s, manifest sha256 {manifest.sha256[:12]}…)"
    )


@app.command()
def restore(
    backup_dir: Annotated[Path, typer.Argument(metavar="BACKUP", help="A directory written by `banso backup`.")],
    only: Annotated[Server | None, typer.Option("--only", help="Restore one server only.")] = None,
) -> None:
    """Restore a verified backup; under a running `banso up` only the restored server restarts."""
    settings = get_settings()
    started = time.monotonic()

    def echo(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    try:
        names: list[str] = (
            [only.value] if only else [s.value for s in Server if s.value in read_manifest(backup_dir).components]
        )
        with _copy_progress() as progress:
            aside = restore_backup(settings, backup_dir, names, progress, echo)
    except StackError as err:
        raise _fail(str(err)) from err
    console.print(f"restored {', '.join(names)} in {time.monotonic() - started:.1f} s; replaced files kept in {aside}")
    if "neo4j" in names and "temporal" not in names:
        console.print("the workflows may hold events the restored graph lacks: run `banso repair`")


@app.command()
def demo() -> None:
    """Load the demo engagements (大船渡市, 岡谷市) through the running API; idempotent."""
    settings = get_settings()
    try:
        with (
            Progress(console=console) as progress,
            httpx.Client(base_url=settings.api_url, timeout=120, auth=OperatorAuth(settings)) as client,
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
    as_of: Annotated[str | None, typer.Option("--as-of", help="この日 (YYYY-MM-DD) 時点で分かっていたこと")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
) -> None:
    """Who has worked on a topic, with the evidence (asks the running API as the operator)."""
    settings = get_settings()
    params: dict[str, str | int] = {"q": query, "limit": limit}
    if ministry:
        params["ministry"] = ministry
    if period:
        params["period"] = period
    if as_of:
        params["as_of"] = as_of
    try:
        response = httpx.get(
            f"{settings.api_url}/api/v1/experts", params=params, timeout=60, auth=OperatorAuth(settings)
        )
    except httpx.HTTPError as err:
        raise _fail(f"{err} (is `banso up` running at {settings.api_url}?)") from err
    if response.status_code != 200:
        raise _fail(response.json().get("detail", response.text))
    result = response.json()
    searched = ", ".join(f"{t['term']} ({t['source']})" for t in result.get("expansion", [])) or ", ".join(
        result["terms"]
    )
    console.print(f"terms searched: {searched}")
    console.print(f"{result.get('total', len(result['experts']))} officials matched")
    table = Table("#", "official", "ministry", "score (personal + team)", "evidence")
    for rank, expert in enumerate(result["experts"], start=1):
        evidence = "\n".join(
            f"{ev['attribution']}{'/' + ev['role'] if ev.get('role') else ''} {ev['kind']} {ev.get('on') or '-'}: "
            f"{ev['text'][:40]} ({ev.get('engagement_id') or '-'} #{ev.get('event_sequence') or '-'})"
            for ev in expert["evidence"][:3]
        )
        score = f"{expert['score']:.2f} ({expert['personal_score']:.2f} + {expert['team_score']:.2f})"
        table.add_row(str(rank), expert["name"], expert.get("ministry") or "", score, evidence)
    console.print(table)
    if not result["experts"]:
        console.print("nobody matched")


app.command("import")(import_file)

graph_app = typer.Typer(help="The knowledge graph (projection of the event log).", no_args_is_help=True)
app.add_typer(graph_app, name="graph")
app.add_typer(audit_app, name="audit")


@graph_app.command("rebuild")
def graph_rebuild() -> None:
    """Wipe the projection (never the events) and replay the whole event log in order."""
    settings = get_settings()

    profile = RebuildProfile()

    async def run(progress: Progress) -> int:
        task = progress.add_task("rebuild / 再構築", total=None)
        driver = neo4j_driver(settings)
        try:
            return await rebuild_projection(
                driver,
                settings.neo4j_database,
                profile=profile,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        finally:
            await driver.close()

    try:
        with Progress(console=console) as progress:
            replayed = asyncio.run(run(progress))
    except Exception as err:
        raise _fail(f"Neo4j ({settings.bolt_uri}) で再構築できません / rebuild failed: {err}") from err
    console.print(f"replayed {replayed} events ({profile.line()})")


@app.command()
def verify(
    engagement: Annotated[str, typer.Argument(help="engagement id, e.g. engagement-2-032034")],
    require_sealed: Annotated[
        bool, typer.Option("--require-sealed", help="also exit 1 when an event was stored before sealing existed")
    ] = False,
) -> None:
    """Check an engagement's hash chain and seals straight from Neo4j (exit 1 if it was altered)."""
    settings = get_settings()
    try:
        chain_key = load_or_create_chain_key(settings)
    except ChainKeyError as err:
        raise _fail(str(err)) from err

    async def read() -> EngagementLog | None:
        driver = neo4j_driver(settings)
        try:
            return await EventStore(driver, settings.neo4j_database, chain_key).verified_log(engagement)
        finally:
            await driver.close()

    try:
        log = asyncio.run(read())
    except Exception as err:
        raise _fail(f"Neo4j ({settings.bolt_uri}) に接続できません / cannot read from Neo4j: {err}") from err
    if log is None:
        raise _fail(f"{engagement}: イベントがありません / no events for this engagement")
    if not report_verdict(console, engagement, log.chain, require_sealed=require_sealed):
        raise typer.Exit(code=1)


@app.command()
def repair(
    stream: Annotated[str | None, typer.Argument(help="one stream, e.g. an engagement id; all if omitted")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="report what would be repaired, change nothing")] = False,
) -> None:
    """Bring streams whose log and workflow disagree back in line, recording it as events (exit 1 if any cannot)."""
    settings = get_settings()
    try:
        fine = asyncio.run(run_repair(settings, console, stream, dry_run=dry_run))
    except (ChainKeyError, PayloadKeysError, RPCError, GraphError, OSError) as err:
        raise _fail(f"修復できません / cannot repair: {err}") from err
    if not fine:
        raise typer.Exit(code=1)


@app.command("rotate-payload-key")
def rotate_payload_key() -> None:
    """Add a new key to the Temporal payload keyring: it encrypts from the next start, older keys still decrypt."""
    path = payload_keys_path(get_settings())
    try:
        key_id = rotate_payload_keys(path)
    except PayloadKeysError as err:
        raise _fail(f"鍵を追加できません / cannot rotate: {err}") from err
    console.print(
        f"{path}: 新しい鍵 {key_id} を追加しました。ワーカーと API の再起動後に暗号化に使われます。"
        "古い鍵は復号に残します。\n"
        f"added key {key_id}: the worker and API encrypt with it after their next start (`banso down; banso up`); "
        "the older keys still decrypt. Give every worker and API host the same file, and back it up."
    )


if __name__ == "__main__":
    app()
