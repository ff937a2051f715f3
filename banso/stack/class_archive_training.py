"""The training run that builds Neo4j's class archive (banso/stack/class_archive.py): once, from `scripts/setup`.

A Neo4j on a throw-away store with `-XX:ArchiveClassesAtExit` is started, given Banso's schema (so the
Cypher planner's and Bolt's classes are loaded too) and stopped; the JVM writes the archive as it exits,
to a temporary name that is then renamed into place.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from banso.stack.class_archive import archive_path
from banso.stack.errors import StackError
from banso.stack.java import Java
from banso.stack.processes import free_port, log_tail, start_child, wait_until
from banso.stack.servers import neo4j_args, neo4j_ready, prepare_graph
from services.settings import Settings


def ensure_archive(settings: Settings, java: Java, classpath: str) -> tuple[Path, float]:
    """Build the archive by a training run unless it exists; returns its path and the seconds it took (0 if cached)."""
    target = archive_path(java, classpath, settings.cache_dir)
    if target.is_file():
        return target, 0.0
    started = time.monotonic()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="banso-cds-"))
    partial = target.parent / f".{target.name}.{os.getpid()}"
    trial = settings.model_copy(
        update={
            "data_dir": work,
            "neo4j_uri": None,
            "neo4j_port": free_port(),
            "neo4j_password": SecretStr(secrets.token_urlsafe(18)),
        }
    )
    args = neo4j_args(trial, java, classpath, [f"-XX:ArchiveClassesAtExit={partial}"])
    env = {"BANSO_NEO4J_PASSWORD": trial.neo4j_password.get_secret_value()}
    child = start_child("neo4j-cds", args, work / "run", env)
    try:
        wait_until(child, lambda: neo4j_ready(trial), settings.start_timeout_s, "Neo4j (CDS training)")
        asyncio.run(prepare_graph(trial))
        child.stop(timeout=120)  # the archive is written as the JVM exits
        if not partial.is_file():
            raise StackError(
                "Neo4j のクラスアーカイブを作成できませんでした / the JVM wrote no class archive.\n"
                f"--- {child.log_path} (tail) ---\n{log_tail(child.log_path)}"
            )
        partial.replace(target)  # atomic: a concurrent start sees the whole archive or none
        prune(target.parent, keep=KEEP)
    finally:
        if child.alive():
            child.stop()
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return target, time.monotonic() - started


KEEP = 3  # archives kept: each checkout (or Java update) makes its own, ~120 MB apiece


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives (a Neo4j running on a deleted one keeps its mapping)."""
    archives = sorted(folder.glob("neo4j-*.jsa"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in archives[keep:]:
        old.unlink(missing_ok=True)
    return archives[keep:]
