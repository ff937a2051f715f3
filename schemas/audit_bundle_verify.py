"""The offline check of an audit bundle: the signature over the manifest, every file's digest, each stream's chain.

Pure: the bundle's bytes and the trusted public key in, a verdict out. Every problem names where it is
(file, stream, event sequence) and what is wrong as a `Failure` code; people read it through the message
catalogue (banso/audit_cli.py). Within a stream only the first bad event is reported: every later hash
depends on it.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from enum import StrEnum
from typing import Literal

from cryptography.exceptions import InvalidSignature
from pydantic import BaseModel, ConfigDict, ValidationError

from schemas.audit_bundle import (
    HEADS,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    Manifest,
    StreamHead,
    file_subject,
    key_id,
    load_public_pem,
    sha256_hex,
)
from schemas.envelope import GENESIS_HASH, EventEnvelope, compute_hash

LOCAL_HEADER = struct.Struct("<4s22xHH")
LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"


class Failure(StrEnum):
    """What is wrong, one code per kind of problem."""

    UNREADABLE_BUNDLE = "unreadable_bundle"
    MISSING_FILE = "missing_file"
    UNREADABLE_FILE = "unreadable_file"
    UNLISTED_FILE = "unlisted_file"
    BAD_PUBLIC_KEY = "bad_public_key"
    BAD_SIGNATURE = "bad_signature"
    BAD_MANIFEST = "bad_manifest"
    DIGEST_MISMATCH = "digest_mismatch"
    UNREADABLE_EVENT = "unreadable_event"
    WRONG_STREAM = "wrong_stream"
    SEQUENCE_GAP = "sequence_gap"
    BROKEN_LINK = "broken_link"
    HASH_MISMATCH = "hash_mismatch"
    HEAD_MISMATCH = "head_mismatch"


class Problem(BaseModel):
    """One thing wrong with the bundle and where: `detail` is technical (an exception text, a value found)."""

    model_config = ConfigDict(frozen=True)
    failure: Failure
    file: str | None = None
    stream: str | None = None
    sequence: int | None = None
    detail: str = ""


class BundleVerdict(BaseModel):
    """The result of verifying a bundle: valid when no problem was found."""

    model_config = ConfigDict(frozen=True)
    problems: list[Problem]
    key_source: Literal["given", "embedded"]
    key_id: str | None = None
    manifest: Manifest | None = None
    events: int = 0
    streams: int = 0

    @property
    def valid(self) -> bool:
        """No problem found."""
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The first problem, in the order the checks run (signature, files in name order, heads)."""
        return self.problems[0] if self.problems else None


def _member(raw: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes; a stored member is sliced out directly, so a changed byte reaches the digest and the
    chain checks (which name it) instead of failing the zip's CRC."""
    if info.compress_type != zipfile.ZIP_STORED:
        return archive.read(info)
    header = raw[info.header_offset : info.header_offset + LOCAL_HEADER.size]
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != LOCAL_HEADER_SIGNATURE:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    start = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
    return raw[start : start + info.compress_size]


def _read_zip(data: bytes) -> tuple[dict[str, bytes], list[Problem]]:
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            try:
                files[info.filename] = _member(data, archive, info)
            except (zipfile.BadZipFile, struct.error, OSError, ValueError) as err:
                problems.append(Problem(failure=Failure.UNREADABLE_FILE, file=info.filename, detail=str(err)))
    return files, problems


def _check_stream(path: str, subject: str, data: bytes) -> tuple[list[EventEnvelope], Problem | None]:
    """The stream's events, and its first bad event (or None when the chain holds)."""
    events: list[EventEnvelope] = []
    prev = GENESIS_HASH

    def bad(failure: Failure, sequence: int, detail: str = "") -> tuple[list[EventEnvelope], Problem]:
        return events, Problem(failure=failure, file=path, stream=subject, sequence=sequence, detail=detail)

    for expected, line in enumerate(data.splitlines(), start=1):
        try:
            event = EventEnvelope.model_validate_json(line)
        except ValidationError as err:
            return bad(Failure.UNREADABLE_EVENT, expected, err.errors()[0]["msg"] if err.errors() else str(err))
        if event.subject != subject:
            return bad(Failure.WRONG_STREAM, expected, event.subject)
        if event.sequence != expected:
            return bad(Failure.SEQUENCE_GAP, expected, str(event.sequence))
        if event.prev_hash != prev:
            return bad(Failure.BROKEN_LINK, expected)
        if compute_hash(event) != event.hash:
            return bad(Failure.HASH_MISMATCH, expected)
        events.append(event)
        prev = event.hash
    return events, None


def _check_signature(files: dict[str, bytes], trusted_pem: bytes | None) -> tuple[str | None, list[Problem]]:
    pem = trusted_pem if trusted_pem is not None else files.get(PUBLIC_KEY)
    if pem is None:
        return None, [Problem(failure=Failure.MISSING_FILE, file=PUBLIC_KEY)]
    try:
        public_key = load_public_pem(pem)
    except ValueError as err:
        return None, [
            Problem(failure=Failure.BAD_PUBLIC_KEY, file=None if trusted_pem else PUBLIC_KEY, detail=str(err))
        ]
    try:
        public_key.verify(files[SIGNATURE], files[MANIFEST])
    except InvalidSignature:
        return key_id(public_key), [Problem(failure=Failure.BAD_SIGNATURE, file=SIGNATURE)]
    return key_id(public_key), []


def _parse_manifest(data: bytes) -> tuple[Manifest | None, list[Problem]]:
    try:
        return Manifest.model_validate_json(data), []
    except ValidationError as err:
        detail = err.errors()[0]["msg"] if err.errors() else str(err)
        return None, [Problem(failure=Failure.BAD_MANIFEST, file=MANIFEST, detail=detail)]


def _parse_heads(data: bytes) -> dict[str, StreamHead] | None:
    try:
        raw = json.loads(data)
        return {str(subject): StreamHead.model_validate(head) for subject, head in raw.items()}
    except (ValueError, AttributeError, ValidationError):
        return None


def _check_heads(
    heads: dict[str, StreamHead] | None, chains: dict[str, list[EventEnvelope]], broken: set[str]
) -> list[Problem]:
    if heads is None:
        return [Problem(failure=Failure.HEAD_MISMATCH, file=HEADS, detail="unreadable")]
    problems: list[Problem] = []
    for subject, events in chains.items():
        head = heads.get(subject)
        found = StreamHead(last_sequence=events[-1].sequence, last_hash=events[-1].hash, count=len(events))
        if head != found:
            detail = "absent" if head is None else f"expected {head.model_dump()}, found {found.model_dump()}"
            problems.append(Problem(failure=Failure.HEAD_MISMATCH, file=HEADS, stream=subject, detail=detail))
    for subject in sorted(set(heads) - set(chains) - broken):
        problems.append(Problem(failure=Failure.HEAD_MISMATCH, file=HEADS, stream=subject, detail="no events"))
    return problems


def _check_listing(manifest: Manifest) -> list[Problem]:
    """The manifest lists heads.json, and a stream entry for exactly the events files it lists."""
    problems = []
    if HEADS not in manifest.files:
        problems.append(Problem(failure=Failure.BAD_MANIFEST, file=MANIFEST, detail=f"{HEADS} not listed"))
    listed = {subject for path in manifest.files if (subject := file_subject(path)) is not None}
    for subject in sorted(listed ^ set(manifest.streams)):
        problems.append(Problem(failure=Failure.BAD_MANIFEST, file=MANIFEST, stream=subject, detail="stream entry"))
    return problems


def verify_bundle(data: bytes, trusted_pem: bytes | None = None) -> BundleVerdict:
    """Verify a bundle with the trusted public key (PEM); without one, with the key the bundle carries (which
    proves only that the bundle is intact, not who made it)."""
    source: Literal["given", "embedded"] = "given" if trusted_pem is not None else "embedded"
    try:
        files, problems = _read_zip(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as err:
        return BundleVerdict(problems=[Problem(failure=Failure.UNREADABLE_BUNDLE, detail=str(err))], key_source=source)
    missing = [Problem(failure=Failure.MISSING_FILE, file=name) for name in (MANIFEST, SIGNATURE) if name not in files]
    if missing or problems:
        return BundleVerdict(problems=problems + missing, key_source=source)
    signer, problems = _check_signature(files, trusted_pem)
    manifest, bad_manifest = _parse_manifest(files[MANIFEST])
    problems += bad_manifest
    if manifest is None:
        return BundleVerdict(problems=problems, key_source=source, key_id=signer)
    problems += _check_listing(manifest)
    chains: dict[str, list[EventEnvelope]] = {}
    broken: set[str] = set()
    for path, digest in sorted(manifest.files.items()):
        content = files.get(path)
        subject = file_subject(path)
        if content is None:
            problems.append(Problem(failure=Failure.MISSING_FILE, file=path, stream=subject))
            broken |= {subject} if subject else set()
            continue
        if subject is not None:
            events, bad_event = _check_stream(path, subject, content)
            if bad_event is not None:
                problems.append(bad_event)
                broken.add(subject)
                continue
            if events:
                chains[subject] = events
        if sha256_hex(content) != digest:
            problems.append(Problem(failure=Failure.DIGEST_MISMATCH, file=path, stream=subject))
    for path in sorted(set(files) - set(manifest.files) - {MANIFEST, SIGNATURE}):
        problems.append(Problem(failure=Failure.UNLISTED_FILE, file=path))
    if HEADS in files:
        problems += _check_heads(_parse_heads(files[HEADS]), chains, broken)
    return BundleVerdict(
        problems=problems,
        key_source=source,
        key_id=signer,
        manifest=manifest,
        events=sum(len(events) for events in chains.values()),
        streams=len(chains),
    )
