"""One Cypher statement that appends an event and applies its projection, only if it extends the chain.

Each projection statement keeps its own parameters: they are renamed with a per-statement prefix and
the statement runs as a unit subquery, so the whole write is one round trip inside one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from schemas.envelope import GENESIS_HASH
from services.graph.statements import Statement

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

GUARDED_WRITE = """
OPTIONAL MATCH (existing:Event {{id: $id}})
WITH existing
OPTIONAL MATCH (head:Event {{subject: $subject}})
WITH existing, head
ORDER BY head.sequence DESC
LIMIT 1
WITH existing.hash AS existing_hash, head.sequence AS head_sequence, head.hash AS head_hash
CALL (existing_hash, head_sequence, head_hash) {{
  WITH existing_hash, head_sequence, head_hash
  WHERE existing_hash IS NULL
    AND coalesce(head_sequence, 0) = $sequence - 1
    AND coalesce(head_hash, $genesis) = $prev_hash
{writes}
}}
RETURN existing_hash, head_sequence, head_hash
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
