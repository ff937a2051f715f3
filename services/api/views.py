"""Response models only the API answers with (published nowhere else, built from nothing below it)."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    """Whether the API can reach its servers."""

    status: str
    temporal: bool
    neo4j: bool
