"""The keyed check of a stream: every event's seal, an HMAC of its hash with a key the database does not hold."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SealVerdict(BaseModel):
    """The result of checking one stream's seals (services/graph/store/seal.py) next to its unkeyed hash chain."""

    model_config = ConfigDict(frozen=True)
    valid: bool = Field(description="No seal is wrong, made with another key, or missing after a sealed event")
    chain_valid: bool = Field(description="The unkeyed SHA-256 chain alone is consistent")
    key_id: str = Field(description="Id of the key the seals were checked with (first 16 hex of its SHA-256)")
    key_matches: bool = Field(description="Every sealed event names this key")
    verified: int = Field(description="Events whose seal matches their hash")
    unsealed: int = Field(description="Events stored before sealing existed: not protected against database writers")
    bad: int = Field(default=0, description="Events whose seal is wrong, made with another key, or removed")
    first_bad_sequence: int | None = None
    reason: str | None = None
