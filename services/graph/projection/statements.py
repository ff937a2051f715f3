"""What a projection plan is made of: parameterised statements, and the body-kind → label table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from schemas.events import BodyKind
from schemas.text import compared

BODY_LABELS: dict[BodyKind, str] = {
    BodyKind.MINISTRY: "Ministry",
    BodyKind.REGIONAL_BUREAU: "RegionalBureau",
    BodyKind.PREFECTURAL_DEPARTMENT: "PrefecturalDepartment",
    BodyKind.ORGANIZATION: "Organization",
    BodyKind.FUNDING_PROGRAM: "FundingProgram",
}


class Statement(NamedTuple):
    """One parameterised Cypher statement."""

    query: str
    params: dict[str, Any]


def iso(value: date | None) -> str | None:
    """A date as it is stored in the graph (ISO 8601 text), or None."""
    return value.isoformat() if value else None


def keys(names: Iterable[str]) -> list[str]:
    """Names as the graph's keys (a Theme, a Challenge, a body is one node however it was typed): each in the
    compared form (NFKC), once, in the order given. The events keep the names as typed."""
    return list(dict.fromkeys(compared(n) for n in names))
