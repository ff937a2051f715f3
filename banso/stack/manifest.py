"""A backup's manifest: what was copied, when, how big, the SHA-256 of every file, and its own checksum."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from banso.stack.errors import StackError

FORMAT = "banso-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(StackError):
    """A backup that cannot be used: missing, unreadable or not what its manifest says."""


class BackupFile(BaseModel):
    """One copied file, relative to the backup directory."""

    path: str
    size: int
    sha256: str


class Component(BaseModel):
    """What one server's part of the backup holds and how it was taken."""

    method: str
    seconds: float
    files: list[BackupFile]

    @property
    def size(self) -> int:
        """Bytes in this component."""
        return sum(f.size for f in self.files)


class Manifest(BaseModel):
    """manifest.json; `sha256` covers every other field (canonical JSON)."""

    format: str = FORMAT
    created_at: str
    data_dir: str
    components: dict[str, Component]
    sha256: str = ""

    def digest(self) -> str:
        """SHA-256 of the manifest without its own checksum."""
        body = self.model_dump(exclude={"sha256"})
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def sealed(self) -> Manifest:
        """The same manifest with its checksum filled in."""
        return self.model_copy(update={"sha256": self.digest()})


def file_sha256(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """SHA-256 of a file, read in 1 MiB chunks (progress gets each chunk's size)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


def describe_files(root: Path, under: str) -> list[BackupFile]:
    """Every file below root/under with its size and SHA-256, paths relative to root, sorted."""
    base = root / under
    paths = sorted(p for p in ([base] if base.is_file() else base.rglob("*")) if p.is_file())
    return [
        BackupFile(path=p.relative_to(root).as_posix(), size=p.stat().st_size, sha256=file_sha256(p)) for p in paths
    ]


def new_manifest(data_dir: Path, components: dict[str, Component]) -> Manifest:
    """A sealed manifest for `components`, stamped now."""
    created = datetime.now(UTC).isoformat(timespec="seconds")
    return Manifest(created_at=created, data_dir=str(data_dir), components=components).sealed()


def write_manifest(root: Path, manifest: Manifest) -> Path:
    """Write manifest.json into the backup directory."""
    path = root / MANIFEST
    path.write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    return path


def read_manifest(root: Path) -> Manifest:
    """The backup's manifest, checked against its own checksum; BackupError says what is wrong."""
    if not root.is_dir():
        raise BackupError(f"バックアップがありません / no backup at {root}")
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} は Banso のバックアップではありません / not a Banso backup: {MANIFEST} is missing")
    try:
        manifest = Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError) as err:
        first = str(err).splitlines()[:3]
        raise BackupError(f"{path} を読めません / the manifest is unreadable: {' '.join(first)}") from err
    if manifest.format != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.format!r} (expected {FORMAT!r})")
    if manifest.sha256 != manifest.digest():
        raise BackupError(
            f"{path} のチェックサムが一致しません / manifest checksum mismatch: the manifest was altered or damaged "
            f"(recorded {manifest.sha256[:12] or '-'}…, computed {manifest.digest()[:12]}…)"
        )
    return manifest


def verify_files(root: Path, component: str, manifest: Manifest, progress: Callable[[int], None]) -> None:
    """Every file of `component` is present with its recorded size and SHA-256, or BackupError."""
    if component not in manifest.components:
        have = ", ".join(sorted(manifest.components)) or "nothing"
        raise BackupError(
            f"このバックアップに {component} はありません / the backup holds no {component} (only {have})"
        )
    for entry in manifest.components[component].files:
        path = root / entry.path
        if not path.is_file():
            raise BackupError(f"バックアップのファイルがありません / file missing from the backup: {entry.path}")
        if path.stat().st_size != entry.size:
            raise BackupError(
                f"サイズが一致しません / size mismatch for {entry.path}: "
                f"manifest {entry.size} bytes, file {path.stat().st_size} bytes"
            )
        if (found := file_sha256(path, progress)) != entry.sha256:
            raise BackupError(
                f"チェックサムが一致しません / checksum mismatch for {entry.path}: "
                f"manifest {entry.sha256[:12]}…, file {found[:12]}…"
            )
