"""A backup's manifest: its own checksum, and every file's size and SHA-256, checked before a restore."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from banso.stack.manifest import (
    BackupError,
    Component,
    describe_files,
    file_sha256,
    new_manifest,
    read_manifest,
    verify_files,
    write_manifest,
)


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    root = tmp_path / "banso-backup-20260101T000000Z"
    (root / "neo4j" / "data").mkdir(parents=True)
    (root / "neo4j" / "data" / "store").write_bytes(b"graph" * 1000)
    (root / "temporal").mkdir()
    (root / "temporal" / "temporal.sqlite").write_bytes(b"sqlite")
    components = {
        name: Component(method="test", seconds=0.1, files=describe_files(root, name)) for name in ("neo4j", "temporal")
    }
    write_manifest(root, new_manifest(tmp_path / "data", components))
    return root


def ignore(_: int) -> None:
    pass


def test_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 3_000_000)
    seen: list[int] = []
    assert file_sha256(path, seen.append) == hashlib.sha256(b"x" * 3_000_000).hexdigest()
    assert sum(seen) == 3_000_000


def test_a_written_manifest_reads_back_and_its_files_verify(backup: Path) -> None:
    manifest = read_manifest(backup)
    assert manifest.components["neo4j"].files[0].path == "neo4j/data/store"
    assert manifest.components["neo4j"].size == 5000
    assert manifest.sha256 == manifest.digest()
    verify_files(backup, "neo4j", manifest, ignore)
    verify_files(backup, "temporal", manifest, ignore)


def test_an_edited_manifest_fails_its_own_checksum(backup: Path) -> None:
    data = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    data["components"]["temporal"]["files"][0]["sha256"] = "0" * 64
    (backup / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BackupError, match="manifest checksum mismatch"):
        read_manifest(backup)


def test_a_changed_file_fails_its_checksum(backup: Path) -> None:
    (backup / "neo4j" / "data" / "store").write_bytes(b"GRAPH" * 1000)
    with pytest.raises(BackupError, match="checksum mismatch for neo4j/data/store"):
        verify_files(backup, "neo4j", read_manifest(backup), ignore)


def test_a_truncated_or_missing_file_is_named(backup: Path) -> None:
    (backup / "temporal" / "temporal.sqlite").write_bytes(b"sql")
    with pytest.raises(BackupError, match=r"size mismatch for temporal/temporal\.sqlite"):
        verify_files(backup, "temporal", read_manifest(backup), ignore)
    (backup / "temporal" / "temporal.sqlite").unlink()
    with pytest.raises(BackupError, match=r"file missing from the backup: temporal/temporal\.sqlite"):
        verify_files(backup, "temporal", read_manifest(backup), ignore)


def test_missing_and_unreadable_backups_say_so(backup: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no backup at"):
        read_manifest(tmp_path / "nowhere")
    with pytest.raises(BackupError, match=r"manifest\.json is missing"):
        read_manifest(tmp_path)
    (backup / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(BackupError, match="the manifest is unreadable"):
        read_manifest(backup)


def test_a_component_the_backup_lacks_is_refused(backup: Path) -> None:
    manifest = read_manifest(backup)
    manifest.components.pop("temporal")
    with pytest.raises(BackupError, match="the backup holds no temporal"):
        verify_files(backup, "temporal", manifest, ignore)
