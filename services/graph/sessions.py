"""The back office's server-side sessions, kept in Neo4j so that every API process sees the same ones.

A `:WebSession` node holds one session's data as JSON text under the SHA-256 of the id its cookie
carries, with its creation, expiry and last-seen times (epoch seconds). It is not part of the
projection: rebuilds and the event log never touch it.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from neo4j import AsyncDriver, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from services.graph import session_queries as q
from services.graph.errors import GraphUnavailable

PURGE_BATCH = 1_000
PURGE_EVERY_S = 600.0  # each process removes ended sessions at most this often


def session_key(session_id: str) -> str:
    """What the database stores for a session id: its SHA-256 (a leaked store yields no usable cookie)."""
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


class WebSessionStore:
    """Load, save, touch and delete sessions; `max_age_s` from creation, `idle_s` since last seen."""

    def __init__(self, driver: AsyncDriver, database: str, *, max_age_s: float, idle_s: float) -> None:
        self._driver = driver
        self._database = database
        self.max_age_s = max_age_s
        self.idle_s = idle_s
        self._purged_at = 0.0

    async def _run(self, query: str, routing: RoutingControl = RoutingControl.WRITE, **params: Any) -> list[Any]:
        try:
            records, _, _ = await self._driver.execute_query(query, params, database_=self._database, routing_=routing)
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        return list(records)

    async def load(self, session_id: str) -> tuple[dict[str, Any], float] | None:
        """The session's data and when it was last seen, or None when unknown, expired or idle too long."""
        now = time.time()
        rows = await self._run(
            q.LOAD, RoutingControl.READ, id=session_key(session_id), now=now, idle_since=now - self.idle_s
        )
        if not rows:
            return None
        data = json.loads(rows[0]["data"])
        return (data if isinstance(data, dict) else {}), float(rows[0]["last_seen"])

    async def save(self, session_id: str, data: dict[str, Any]) -> None:
        """Store the session's data (a new session's expiry is set now)."""
        now = time.time()
        await self._run(
            q.SAVE,
            id=session_key(session_id),
            data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            now=now,
            expires=now + self.max_age_s,
        )

    async def touch(self, session_id: str) -> None:
        """Mark the session as seen now (the idle timeout starts again)."""
        await self._run(q.TOUCH, id=session_key(session_id), now=time.time())

    async def delete(self, session_id: str) -> None:
        """End the session."""
        await self._run(q.DELETE, id=session_key(session_id))

    async def purge(self) -> int:
        """Remove every expired or idle session; how many were removed."""
        now, deleted = time.time(), 0
        while True:
            rows = await self._run(q.PURGE, now=now, idle_since=now - self.idle_s, batch=PURGE_BATCH)
            batch = int(rows[0]["deleted"]) if rows else 0
            deleted += batch
            if batch < PURGE_BATCH:
                return deleted

    async def purge_if_due(self) -> None:
        """Purge when this process has not done so for PURGE_EVERY_S (called as requests come in)."""
        now = time.monotonic()
        if now - self._purged_at >= PURGE_EVERY_S:
            self._purged_at = now
            await self.purge()
