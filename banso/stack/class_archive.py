"""A class-data-sharing archive for the embedded Neo4j, so that its JVM starts in about half the time.

Most of a Neo4j start on two cores is the JVM loading, verifying and linking some 20,000 classes (the
Cypher compiler alone is thousands of Scala classes) before the first query is planned. A dynamic CDS
archive (`-XX:ArchiveClassesAtExit`, Java 13+) keeps those classes parsed and verified in one mapped
file; later starts map it with `-XX:SharedArchiveFile`. It is built once by a training run — a Neo4j on
a throw-away store that creates Banso's schema and stops — and cached per Java build and classpath. A
missing, stale or mismatched archive never stops Neo4j: the JVM (with the default `-Xshare:auto`) then
loads its classes the ordinary way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from banso.stack.java import Java


def archive_path(java: Java, classpath: str, cache_dir: Path) -> Path:
    """Where the archive for this Java build and this classpath lives (another Java or jar → another file)."""
    real = java.executable.resolve()
    stamp = f"{real}|{real.stat().st_mtime_ns}|{classpath}"
    return cache_dir / "cds" / f"neo4j-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.jsa"


def archive_args(java: Java, classpath: str, cache_dir: Path) -> list[str]:
    """`-XX:SharedArchiveFile=…` when the archive is built, else nothing."""
    path = archive_path(java, classpath, cache_dir)
    return [f"-XX:SharedArchiveFile={path}"] if path.is_file() else []
