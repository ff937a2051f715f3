"""The graph layer's own error family; driver errors are translated here, once."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error raised by services.graph."""


class GraphUnavailable(GraphError):
    """Neo4j could not be reached or the transaction could not commit; safe to retry."""


class ChainConflict(GraphError):
    """An event does not extend its stream's head: another writer got there first. Never retried."""


class CursorAhead(GraphError):
    """A feed cursor beyond the newest position: it was never handed out by this log."""
