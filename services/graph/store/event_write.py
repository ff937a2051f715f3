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

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

# Every lookup is by a unique index (Event.id, Event(subject, sequence)), so the cost does not grow
# with the length of the stream. When the position is already taken, the stored event is returned
# whole: the caller adopts it (an earlier attempt of the same write, or a write whose workflow task was
# lost) instead of sealing a second version of it.
GUARDED_WRITE = """
OPTIONAL MATCH (existing:Event {{id: $id}})
OPTIONAL MATCH (prev:Event {{subject: $subject, sequence: $sequence - 1}})
OPTIONAL MATCH (taken:Event {{subject: $subject, sequence: $sequence}})
WITH existing.hash AS existing_hash, prev.hash AS prev_hash, taken
CALL (existing_hash, prev_hash, taken) {{
  WITH existing_hash, prev_hash, taken
  WHERE existing_hash IS NULL AND taken IS NULL
    AND coalesce(prev_hash, $genesis) = $prev_hash
    AND (prev_hash IS NOT NULL OR $sequence = 1)
{writes}
}}
RETURN existing_hash, prev_hash, taken IS NOT NULL AS taken, taken {{.*}} AS stored
"""


def _prefixed(prefix: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"${prefix}{match.group(1)}"


def guarded_write(key: dict[str, Any], statements: list[Statement]) -> Statement:
    """The single statement: check `key` (id, subject, sequence, prev_hash), then run every statement."""
    params: dict[str, Any] = {**key, "genesis": GENESIS_HASH}
    writes = []
    for index, statement in enumerate(statements):
        prefix = f"s{index}_"
        body = _PARAM.sub(_prefixed(prefix), statement.query.strip())
        writes.append("  CALL () {\n" + body + "\n  }")
        params |= {f"{prefix}{name}": value for name, value in statement.params.items()}
    return Statement(GUARDED_WRITE.format(writes="\n".join(writes)), params)
