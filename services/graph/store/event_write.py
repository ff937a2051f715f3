"""One Cypher statement that appends an event and applies its projection, only if it extends the chain.

Each projection statement keeps its own parameters: they are renamed with a per-statement prefix and
the statement runs as a unit subquery, so the whole write is one round trip inside one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from schemas.envelope import GENESIS_HASH
from services.graph.projection.statements import Statement
from services.graph.store import event_queries as q

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _prefixed(prefix: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"${prefix}{match.group(1)}"


def guarded_write(key: dict[str, Any], statements: list[Statement]) -> Statement:
    """The single statement: check `key` (id, subject, sequence, prev_hash), then run every statement."""
    params: dict[str, Any] = {**key, "genesis": GENESIS_HASH}
    writes = []
    for index, statement in enumerate(statements):
        prefix = f"s{index}_"
        body = _PARAM.sub(_prefixed(prefix), statement.query.strip())
        writes.append(q.unit_subquery(body))
        params |= {f"{prefix}{name}": value for name, value in statement.params.items()}
    return Statement(q.guarded_write_query(writes), params)
