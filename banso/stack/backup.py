"""`banso backup`: a timestamped copy of the local stack's Temporal and Neo4j stores with a manifest.

- Temporal: `temporal.sqlite` copied with SQLite's online backup API in one step (a consistent
  snapshot; the server's writes wait for the read lock a few milliseconds per MB), server running.
- Neo4j Community has no online backup (`neo4j-admin database backup` is Enterprise; `dump` needs the
  database stopped too), so the Neo4j child is stopped through the supervisor, its `data/` directory
  is copied, and it is started again on the same store. Workflows retry their writes meanwhile.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import Progress

from banso.stack.errors import StackError
from banso.stack.manifest import Component, Manifest, describe_files, new_manifest, write_manifest
from banso.stack.pause import is_local, server_stopped
from services.settings import Settings


def backup_name(now: datetime | None = None) -> str:
    """`banso-backup-20261129T181900Z`."""
    return f"banso-backup-{(now or datetime.now(UTC)).strftime('%Y%m%dT%H%M%SZ')}"


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (online backup API, one step)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()


def copy_tree(source: Path, target: Path, progress: Progress, label: str) -> None:
    """Copy a directory tree with a byte progress bar."""
    files = [p for p in source.rglob("*") if p.is_file()]
    task = progress.add_task(label, total=sum(p.stat().st_size for p in files))
    for path in files:
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        progress.advance(task, path.stat().st_size)


def create_backup(
    settings: Settings, to: Path, progress: Progress, echo: Callable[[str], None]
) -> tuple[Path, Manifest]:
    """Back up every local server into a new directory under `to`; returns it and its manifest."""
    data_dir = settings.data_dir.resolve()
    root = to.resolve() / backup_name()
    if root.exists():
        raise StackError(f"{root} already exists; wait a second and retry")
    components: dict[str, Component] = {}
    sqlite_file = data_dir / "temporal" / "temporal.sqlite"
    neo4j_data = data_dir / "neo4j" / "data"
    if not (is_local(settings, "temporal") and sqlite_file.is_file()) and not (
        is_local(settings, "neo4j") and neo4j_data.is_dir()
    ):
        raise StackError(
            f"バックアップするものがありません / nothing to back up under {data_dir} (run `banso up` once)"
        )
    root.mkdir(parents=True)
    if is_local(settings, "temporal") and sqlite_file.is_file():
        started = time.monotonic()
        task = progress.add_task("temporal: sqlite3 backup API (online)", total=sqlite_file.stat().st_size)
        copy_sqlite(sqlite_file, root / "temporal" / "temporal.sqlite")
        progress.update(task, completed=sqlite_file.stat().st_size)
        seconds = time.monotonic() - started
        components["temporal"] = Component(
            method="sqlite3 online backup API, server running",
            seconds=round(seconds, 2),
            files=describe_files(root, "temporal"),
        )
    if is_local(settings, "neo4j") and neo4j_data.is_dir():
        started = time.monotonic()
        with server_stopped(settings, "neo4j", "backup", echo):
            copy_tree(neo4j_data, root / "neo4j" / "data", progress, "neo4j: store copy (server stopped)")
            stopped_for = time.monotonic() - started
        components["neo4j"] = Component(
            method="store copy with the Neo4j child stopped",
            seconds=round(stopped_for, 2),
            files=describe_files(root, "neo4j"),
        )
    manifest = new_manifest(data_dir, components)
    write_manifest(root, manifest)
    return root, manifest
