"""Who read what: one access record per read of personal data, chained by hash in its own stream.

The access log is not an event stream of the programme (no workflow writes it): the API appends one
record per personal read before it answers. Its chain has the events' shape — sequence from 1,
`prev_hash` of the record before (GENESIS_HASH for the first), `hash` = SHA-256 of the previous hash
and the record's canonical JSON — and each stored record is sealed with the chain key like an event.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import GENESIS_HASH, canonical_json

ACCESS_STREAM = "access"


class AccessEntry(BaseModel):
    """What the API knows of one personal read when it answers: who, what, when, from where, the outcome."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="UUID of the record")
    time: str = Field(description="When the read was answered (UTC, ISO 8601, the events' format)")
    actor: str = Field(description="The authenticated subject who read (token `sub`)")
    actor_name: str | None = Field(default=None, description="The reader's display name when the token carries one")
    roles: list[str] = Field(default_factory=list, description="The reader's roles at the time of the read")
    route: str = Field(description="The route's name (its key in the policy table)")
    method: str
    path: str = Field(description="The path read, e.g. /api/v1/engagements/engagement-3-03203")
    objects: list[str] = Field(
        default_factory=list,
        description="What was read, as kind:id (engagement:…, official:…, period:…), from the path and the answer",
    )
    query: str | None = Field(default=None, description="The query string, decoded (search terms, filters)")
    client_ip: str | None = None
    user_agent: str | None = None
    status: int = Field(description="The HTTP status the read was answered with")


class AccessRecord(AccessEntry):
    """One stored access record: the entry at its position in the access chain."""

    sequence: int = Field(ge=1, description="Position in the access log, from 1")
    prev_hash: str
    hash: str = ""

    def sealed(self) -> AccessRecord:
        """This record with its hash computed from prev_hash and its content."""
        return self.model_copy(update={"hash": access_hash(self)})


def chained(entry: AccessEntry, sequence: int, prev_hash: str) -> AccessRecord:
    """`entry` as the record at `sequence` after the record whose hash is `prev_hash`, hashed."""
    return AccessRecord(**entry.model_dump(), sequence=sequence, prev_hash=prev_hash).sealed()


def access_hash(record: AccessRecord) -> str:
    """sha256(prev_hash || canonical JSON of the record without its hash), as for events."""
    digest = hashlib.sha256()
    digest.update(record.prev_hash.encode("ascii"))
    digest.update(canonical_json(record.model_dump(mode="json", exclude={"hash"})))
    return digest.hexdigest()


class AccessChainVerdict(BaseModel):
    """The access log checked end to end: sequence, links, hashes, seals and the head that closes it."""

    model_config = ConfigDict(frozen=True)
    valid: bool
    records: int = Field(description="Records found intact, from the first (up to the break when there is one)")
    first_bad_sequence: int | None = Field(default=None, description="The first record that breaks the chain")
    reason: str | None = None
    head_hash: str | None = Field(default=None, description="Hash of the last record")
    head_sequence: int | None = Field(default=None, description="The head node's sequence (what appends extend)")
    key_id: str = Field(description="Id of the chain key the seals were checked with")


class AccessLogPage(BaseModel):
    """One page of the access log, oldest first; `next_after` is the `after=` of the next page."""

    records: list[AccessRecord]
    next_after: int | None = Field(default=None, description="Pass as after= for the next page; absent at the end")


def chain_break(
    records: list[AccessRecord], *, first_sequence: int = 1, prev: str = GENESIS_HASH
) -> tuple[int, str] | None:
    """The first record of `records` (expected from `first_sequence`, after the hash `prev`) that breaks the
    chain and why, or None when they extend it intact (a long log is checked page by page this way)."""
    for expected, record in enumerate(records, start=first_sequence):
        if record.sequence != expected:
            return expected, f"sequence gap: expected {expected}, found {record.sequence}"
        if record.prev_hash != prev:
            return expected, "prev_hash does not match the previous record's hash"
        if access_hash(record) != record.hash:
            return expected, "content does not match its hash (the record was altered)"
        prev = record.hash
    return None
