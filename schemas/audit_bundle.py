"""The signed audit bundle (監査証跡パッケージ): streams' events, their heads, a manifest and its Ed25519 signature.

Pure: bytes in, bytes out. The bundle is verified with the hash chain of each stream and the signature
over the manifest (schemas/audit_bundle_verify.py); the seal key never leaves the server, so what the
server's keyed check said at export is recorded in the signed manifest instead. Layout and the offline
check: docs/audit-bundle.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, unquote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import EventEnvelope, canonical_json, parse_time

FORMAT: Literal["banso-audit-bundle"] = "banso-audit-bundle"
FORMAT_VERSION: Literal[1] = 1
ALGORITHM: Literal["Ed25519"] = "Ed25519"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
HEADS = "heads.json"
PUBLIC_KEY = "public-key.pem"
EVENTS_DIR = "events/"
EVENTS_SUFFIX = ".jsonl"
KEY_ID_HEX = 16


class Covers(BaseModel):
    """What a bundle covers: one engagement's stream, or a period's stream with its engagements'."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["engagement", "period"]
    engagement_id: str | None = None
    period: int | None = None


class StreamHead(BaseModel):
    """The end of one stream's chain as exported (heads.json)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    last_sequence: int
    last_hash: str
    count: int


class ServerCheck(BaseModel):
    """What the server's keyed check (chain and HMAC seals) said of a stream when the bundle was made."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    chain_valid: bool
    seals_valid: bool
    seals_verified: int
    unsealed: int
    seal_key_id: str


class StreamEntry(BaseModel):
    """One stream in the manifest: its file, its events' feed positions (when stored) and the server's check."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str
    positions: list[int] | None = Field(default=None, description="Feed position of each event, in sequence order")
    server_check: ServerCheck | None = None


class Manifest(BaseModel):
    """manifest.json: the signed statement of what the bundle holds (the signature covers its exact bytes)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: Literal["banso-audit-bundle"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    covers: Covers
    created_at: str
    created_by: str
    algorithm: Literal["Ed25519"] = ALGORITHM
    key_id: str
    files: dict[str, str] = Field(description="SHA-256 (hex) of every other file but manifest.sig")
    streams: dict[str, StreamEntry]


@dataclass(frozen=True)
class BundleStream:
    """One stream to export: its stored envelopes in sequence order, their feed positions, the server's check."""

    subject: str
    events: Sequence[EventEnvelope]
    positions: Sequence[int | None] = ()
    server_check: ServerCheck | None = None


def key_id(public_key: Ed25519PublicKey) -> str:
    """The short public name of a signing key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_HEX]


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    """The key as SubjectPublicKeyInfo PEM (what `openssl pkeyutl -verify -pubin` reads)."""
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_pem(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError when the text is not one."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"not an Ed25519 public key ({type(key).__name__})")
    return key


@dataclass(frozen=True)
class SigningKey:
    """The server's audit signing key (Ed25519); only its public half goes into a bundle."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        """A new random key."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        """The key in an unencrypted PKCS#8 PEM; ValueError when it is not an Ed25519 private key."""
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"not an Ed25519 private key ({type(key).__name__})")
        return cls(key)

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (for the 0600 key file)."""
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def public_pem(self) -> bytes:
        """The public key as PEM."""
        return public_pem(self.private.public_key())

    @property
    def key_id(self) -> str:
        """The key's short public name."""
        return key_id(self.private.public_key())

    def sign(self, data: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of `data`."""
        return self.private.sign(data)


def stream_file(subject: str) -> str:
    """The bundle path of a stream's events (the subject percent-encoded, so any subject is one file name)."""
    return f"{EVENTS_DIR}{quote(subject, safe='')}{EVENTS_SUFFIX}"


def file_subject(path: str) -> str | None:
    """The subject of an events file path, or None when `path` is not one."""
    if not (path.startswith(EVENTS_DIR) and path.endswith(EVENTS_SUFFIX)) or "/" in path[len(EVENTS_DIR) :]:
        return None
    return unquote(path[len(EVENTS_DIR) : -len(EVENTS_SUFFIX)])


def event_line(event: EventEnvelope) -> bytes:
    """One line of an events file: the stored envelope as canonical JSON (its hash recomputes from it)."""
    return canonical_json(event.model_dump(mode="json")) + b"\n"


def readable_json(value: Any) -> bytes:
    """JSON for people reading the bundle: indented, keys sorted, Japanese unescaped."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of `data` in hex."""
    return hashlib.sha256(data).hexdigest()


def _positions(stream: BundleStream) -> list[int] | None:
    positions = list(stream.positions)
    if len(positions) != len(stream.events) or any(p is None for p in positions):
        return None
    return [p for p in positions if p is not None]


def build_bundle(
    streams: Sequence[BundleStream], covers: Covers, created_at: str, created_by: str, key: SigningKey
) -> bytes:
    """The zip of `streams` (each with at least one event), heads.json, the manifest and its signature."""
    files: dict[str, bytes] = {}
    heads: dict[str, StreamHead] = {}
    entries: dict[str, StreamEntry] = {}
    for stream in streams:
        if not stream.events:
            raise ValueError(f"stream {stream.subject} has no events")
        path = stream_file(stream.subject)
        files[path] = b"".join(event_line(event) for event in stream.events)
        last = stream.events[-1]
        heads[stream.subject] = StreamHead(last_sequence=last.sequence, last_hash=last.hash, count=len(stream.events))
        entries[stream.subject] = StreamEntry(file=path, positions=_positions(stream), server_check=stream.server_check)
    files[HEADS] = readable_json({subject: head.model_dump() for subject, head in heads.items()})
    files[PUBLIC_KEY] = key.public_pem
    manifest = Manifest(
        covers=covers,
        created_at=created_at,
        created_by=created_by,
        key_id=key.key_id,
        files={path: sha256_hex(data) for path, data in sorted(files.items())},
        streams=entries,
    )
    manifest_bytes = readable_json(manifest.model_dump(mode="json", exclude_none=True))
    return _zip({MANIFEST: manifest_bytes, SIGNATURE: key.sign(manifest_bytes), **files}, created_at)


def _zip(files: dict[str, bytes], created_at: str) -> bytes:
    # Stored, not deflated: one byte changed in the zip is one byte changed in a file, which the verifier
    # then names (a deflated member would only fail its CRC). The fixed time makes the bundle reproducible.
    moment = parse_time(created_at).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=moment)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


class PublicKeyView(BaseModel):
    """The key that signs audit bundles, as `GET /api/v1/audit/public-key` publishes it."""

    model_config = ConfigDict(frozen=True)
    algorithm: Literal["Ed25519"] = ALGORITHM
    key_id: str = Field(description="First 16 hex digits of the SHA-256 of the raw public key")
    public_key_pem: str = Field(description="SubjectPublicKeyInfo PEM")
