"""Seals: HMAC-SHA256(key, event hash) stored next to each :Event, with a key the database does not hold.

The unkeyed chain (schemas/envelope.py) exposes edits made without recomputing hashes; anyone who can
write to Neo4j can recompute them. A seal cannot be recomputed without the key, so an event rewritten
with a consistent chain shows up here as a wrong seal. The seal is not part of the envelope: the
workflow never sees the key, and a retried write seals the same hash the same way.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from schemas.envelope import ChainVerdict, EventEnvelope, verify_chain
from schemas.seal import SealVerdict

SEAL = "seal"
SEAL_KEY_ID = "seal_key_id"


class Chained(Protocol):
    """What a seal vouches for: an entry's position in its chain and its hash (an event, an access record)."""

    @property
    def sequence(self) -> int: ...

    @property
    def hash(self) -> str: ...


@dataclass(frozen=True)
class ChainKey:
    """The secret that seals events; its id is safe to store and show."""

    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """A short public name for the key: the first 16 hex digits of its SHA-256."""
        return hashlib.sha256(self.secret).hexdigest()[:16]

    def seal(self, event_hash: str) -> str:
        """HMAC-SHA256 of the event's hash, in hex."""
        return hmac.new(self.secret, event_hash.encode("utf-8"), hashlib.sha256).hexdigest()

    def seals(self, event_hash: str, seal: str) -> bool:
        """Whether `seal` is this key's seal of `event_hash` (constant-time; any stored text is compared)."""
        return hmac.compare_digest(self.seal(event_hash).encode("utf-8"), seal.encode("utf-8"))


def seal_params(key: ChainKey, event_hash: str) -> dict[str, str]:
    """The :Event node's seal properties."""
    return {SEAL: key.seal(event_hash), SEAL_KEY_ID: key.key_id}


@dataclass(frozen=True)
class StoredSeal:
    """The seal properties read back from an :Event node (None when the event was stored unsealed)."""

    seal: str | None
    key_id: str | None

    @classmethod
    def from_node(cls, props: Mapping[str, Any]) -> StoredSeal:
        """The seal of a stored :Event node's properties."""
        seal, key_id = props.get(SEAL), props.get(SEAL_KEY_ID)
        return cls(seal if isinstance(seal, str) else None, key_id if isinstance(key_id, str) else None)


def seal_fault(
    event: Chained, stored: StoredSeal, key: ChainKey, *, sealed_before: bool, noun: str = "event"
) -> str | None:
    """Why this entry's seal does not vouch for it, or None when it does (or, with nothing sealed before it,
    it predates sealing); `noun` names the entry in the reason (event, record)."""
    if stored.seal is None and stored.key_id is None:
        removed = f"{noun} #{event.sequence} is unsealed after sealed events (its seal was removed)"
        return removed if sealed_before else None
    if stored.seal is None or stored.key_id is None:
        return f"{noun} #{event.sequence} has a partial seal (seal or key id missing)"
    if stored.key_id != key.key_id:
        return f"{noun} #{event.sequence} is sealed with key {stored.key_id}, not {key.key_id}: it cannot be checked"
    if not key.seals(event.hash, stored.seal):
        return f"the seal of {noun} #{event.sequence} does not match its hash: altered by someone without the key"
    return None


def check_seals(
    events: Sequence[EventEnvelope], seals: Sequence[StoredSeal], key: ChainKey, *, chain_valid: bool
) -> SealVerdict:
    """Check each event's seal against its stored hash; `chain_valid` is the unkeyed chain's verdict.

    Events stored before sealing existed are counted as unsealed, never as verified; an unsealed event
    after a sealed one is a removed seal and counts as bad.
    """
    if len(events) != len(seals):
        raise ValueError("one seal per event")
    verified = unsealed = bad = 0
    first_bad: tuple[int, str] | None = None
    key_matches = True
    sealed_before = False
    for event, stored in zip(events, seals, strict=True):
        fault = seal_fault(event, stored, key, sealed_before=sealed_before)
        key_matches = key_matches and stored.key_id in (None, key.key_id)
        if fault is not None:
            bad += 1
            first_bad = first_bad or (event.sequence, fault)
        elif stored.seal is None:
            unsealed += 1
        else:
            verified += 1
        sealed_before = sealed_before or stored.seal is not None
    return SealVerdict(
        valid=bad == 0,
        chain_valid=chain_valid,
        key_id=key.key_id,
        key_matches=key_matches,
        verified=verified,
        unsealed=unsealed,
        bad=bad,
        first_bad_sequence=first_bad[0] if first_bad else None,
        reason=first_bad[1] if first_bad else None,
    )


def sealed_verdict(chain: ChainVerdict, seals: SealVerdict) -> ChainVerdict:
    """The chain verdict with the seal verdict in it; a wrong seal makes the stream invalid."""
    if not chain.valid or seals.valid:
        return chain.model_copy(update={"seals": seals})
    return chain.model_copy(
        update={
            "valid": False,
            "first_bad_sequence": seals.first_bad_sequence,
            "reason": f"the hash chain is consistent, but {seals.reason}",
            "seals": seals,
        }
    )


def verify_sealed(events: Sequence[EventEnvelope], seals: Sequence[StoredSeal], key: ChainKey) -> ChainVerdict:
    """The unkeyed chain and the seals of one stream, in one verdict."""
    chain = verify_chain(list(events))
    return sealed_verdict(chain, check_seals(events, seals, key, chain_valid=chain.valid))
