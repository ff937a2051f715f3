"""Cypher for bulk writes: one UNWIND for a run of plans with the same statements, each row running them.

Each statement reads its parameters from the row (`$name` of statement i becomes `batch_row.s<i>_name`),
and nested subqueries import the row too, so a row runs its event's statements exactly as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_SUBQUERY = re.compile(r"CALL \(([^)]*)\)")
ROW = "batch_row"  # a name no projection statement uses


def _row_param(index: int) -> Callable[[re.Match[str]], str]:
    return lambda match: f"{ROW}.s{index}_{match.group(1)}"


def _import_row(match: re.Match[str]) -> str:
    names = match.group(1).strip()
    return f"CALL ({ROW}, {names})" if names else f"CALL ({ROW})"


def _as_row_statement(index: int, query: str) -> str:
    """`query` reading its parameters from the batch row (nested subqueries import the row too)."""
    return _SUBQUERY.sub(_import_row, _PARAM.sub(_row_param(index), query.strip()))


def row_param(index: int, name: str) -> str:
    """The row field that carries parameter `name` of the run's statement `index`."""
    return f"s{index}_{name}"


def unwind_query(shape: Sequence[str]) -> str:
    """One statement running the queries of `shape`, in order, for every row of `$rows`."""
    parts = [f"  CALL ({ROW}) {{\n" + _as_row_statement(i, query) + "\n  }" for i, query in enumerate(shape)]
    body = "\n".join(parts)
    return f"UNWIND $rows AS {ROW}\nCALL ({ROW}) {{\n{body}\n}}"
