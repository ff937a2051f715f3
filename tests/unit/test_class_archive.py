"""Neo4j's class archive: found per Java build and classpath, used only when built."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from banso.stack.class_archive import archive_args, archive_path
from banso.stack.class_archive_training import prune
from banso.stack.java import Java

JAVA = Java(Path(sys.executable), 17)  # any existing file stands in for the executable: only its path and mtime count


def test_no_archive_means_no_flag(tmp_path: Path) -> None:
    assert archive_args(JAVA, "a.jar:lib/*", tmp_path) == []


def test_a_built_archive_is_mapped(tmp_path: Path) -> None:
    path = archive_path(JAVA, "a.jar:lib/*", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"archive")
    assert archive_args(JAVA, "a.jar:lib/*", tmp_path) == [f"-XX:SharedArchiveFile={path}"]


def test_another_classpath_or_java_gets_another_archive(tmp_path: Path) -> None:
    first = archive_path(JAVA, "a.jar:lib/*", tmp_path)
    assert archive_path(JAVA, "b.jar:lib/*", tmp_path) != first
    other_java = Java(Path(__file__), 17)
    assert archive_path(other_java, "a.jar:lib/*", tmp_path) != first
    assert first.parent == tmp_path / "cds"


def test_only_the_newest_archives_are_kept(tmp_path: Path) -> None:
    for i in range(5):
        archive = tmp_path / f"neo4j-{i}.jsa"
        archive.write_bytes(b"x")
        os.utime(archive, (1000 + i, 1000 + i))
    removed = prune(tmp_path, keep=3)
    assert sorted(p.name for p in removed) == ["neo4j-0.jsa", "neo4j-1.jsa"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j-2.jsa", "neo4j-3.jsa", "neo4j-4.jsa"]
