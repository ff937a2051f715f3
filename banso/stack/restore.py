"""`banso restore BACKUP [--only neo4j|temporal]`: put a verified backup back into the local stack.

Everything is checked first (the manifest's own checksum, then every file's size and SHA-256) and
nothing is touched when anything is off. Each server's files are staged next to the live ones, then,
with that server stopped (through the supervisor when the stack runs, so the others keep running),
the live files are moved aside to `<data dir>/replaced/<time>/` and the staged ones moved in; the
supervisor starts the server again on the restored store. After restoring Neo4j alone, the workflows
hold events the restored graph lacks: `banso repair` stores them again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import Progress, TaskID

from banso.stack.manifest import Manifest, read_manifest, verify_files
from banso.stack.pause import server_stopped
from services.settings import Settings

SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def verify_backup(root: Path, components: list[str], progress: Progress) -> Manifest:
    """The manifest, once it and every file of `components` check out (BackupError otherwise)."""
    manifest = read_manifest(root)
    for name in components:
        total = sum(f.size for f in manifest.components[name].files) if name in manifest.components else 0
        task = progress.add_task(f"{name}: verifying SHA-256", total=total)

        def advance(n: int, task: TaskID = task) -> None:
            progress.advance(task, n)

        verify_files(root, name, manifest, advance)
    return manifest


def _new_dir(path: Path) -> Path:
    """`path`, or `path-2`, `path-3` … if a restore in the same second already used it."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    candidate.mkdir(parents=True)
    return candidate


def _stage(root: Path, manifest: Manifest, name: str, staging: Path) -> None:
    """Copy the component's files, exactly those the manifest lists, into `staging`."""
    prefix = f"{name}/"
    for entry in manifest.components[name].files:
        dest = staging / entry.path.removeprefix(prefix)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / entry.path, dest)


def restore_backup(
    settings: Settings,
    root: Path,
    components: list[str],
    progress: Progress,
    echo: Callable[[str], None],
) -> Path:
    """Restore `components` from the backup at `root`; returns where the replaced files were kept."""
    root = root.resolve()
    manifest = verify_backup(root, components, progress)
    data_dir = settings.data_dir.resolve()
    aside = _new_dir(data_dir / "replaced" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    for name in components:
        staging = data_dir / f"{name}.restoring"
        shutil.rmtree(staging, ignore_errors=True)
        _stage(root, manifest, name, staging)
        with server_stopped(settings, name, "restore", echo):
            (aside / name).mkdir(parents=True, exist_ok=True)
            if name == "neo4j":
                _swap_neo4j(data_dir / "neo4j", staging, aside / name)
            else:
                _swap_temporal(data_dir / "temporal", staging, aside / name)
        shutil.rmtree(staging, ignore_errors=True)
        echo(f"{name}: restored from {root.name} (taken {manifest.created_at})")
    return aside


def _swap_neo4j(live: Path, staging: Path, aside: Path) -> None:
    """Move the live store's data/ aside and the staged one in (logs stay where they are)."""
    live.mkdir(parents=True, exist_ok=True)
    if (live / "data").exists():
        (live / "data").rename(aside / "data")
    (staging / "data").rename(live / "data")


def _swap_temporal(live: Path, staging: Path, aside: Path) -> None:
    """Move temporal.sqlite (and any journal) aside and the staged copy in."""
    live.mkdir(parents=True, exist_ok=True)
    for suffix in ("", *SQLITE_SIDE_FILES):
        path = live / f"temporal.sqlite{suffix}"
        if path.exists():
            path.rename(aside / path.name)
    (staging / "temporal.sqlite").rename(live / "temporal.sqlite")
