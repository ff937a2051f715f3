"""Which exceptions mean "an engine is down": Neo4j or Temporal cannot be reached, so the answer is 503.

Read services translate the driver's errors to `GraphUnavailable`, but a route may meet the driver's own
errors too (the event store, the health check, a pool that cannot hand out a connection), and Temporal's
client fails with an `RPCError` (UNAVAILABLE) or, on its first call when it never connected, a
`RuntimeError("Failed client connect …")`. Anything else is not an outage.
"""

from __future__ import annotations

from typing import Literal

from neo4j.exceptions import ConnectionPoolError, DatabaseUnavailable, ServiceUnavailable, SessionExpired
from temporalio.service import RPCError, RPCStatusCode

from services.graph.errors import GraphUnavailable

Engine = Literal["Neo4j", "Temporal"]

# ServiceUnavailable covers Routing/Read/WriteServiceUnavailable and IncompleteCommit; SessionExpired is a
# connection lost under a session; ConnectionPoolError (acquisition timeout) is a pool that cannot reach
# the server in time; DatabaseUnavailable is a server that answers but whose database is stopped or starting.
NEO4J_DOWN: tuple[type[Exception], ...] = (
    GraphUnavailable,
    ServiceUnavailable,
    SessionExpired,
    ConnectionPoolError,
    DatabaseUnavailable,
)
TEMPORAL_DOWN = frozenset({RPCStatusCode.UNAVAILABLE})


def connect_failure(err: BaseException) -> bool:
    """Whether `err` is the Temporal client failing to (re)connect (its first call on a lazy client)."""
    return isinstance(err, RuntimeError) and str(err).startswith("Failed client connect")


def engine_outage(err: BaseException) -> Engine | None:
    """The engine `err` says is unreachable, or None when `err` is not an outage."""
    if isinstance(err, NEO4J_DOWN):
        return "Neo4j"
    if isinstance(err, RPCError) and err.status in TEMPORAL_DOWN:
        return "Temporal"
    if connect_failure(err):
        return "Temporal"
    return None


# The exception classes the app installs the outage handler for (each is checked with engine_outage).
OUTAGE_TYPES: tuple[type[Exception], ...] = (*NEO4J_DOWN, RPCError, RuntimeError)
