"""The actor directory: the display name of each actor id that events record (`user:<name>`, `client:<id>`).

An event's `actor` is the authenticated subject's id and is hashed into the chain; the person's name is
not, so it can be corrected or erased without touching the log. The API remembers a principal's display
name when it sees it (a bearer token or a web sign-in); pages read names for the actors they show and
fall back to the id. Not a projection: a rebuild keeps it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

from neo4j import AsyncDriver

from services.graph.store.actor_queries import ACTOR_NAMES, REMEMBER_ACTOR

# How long a process trusts that the name it wrote is still stored (a restored database may have lost it).
REWRITE_AFTER_S = 300.0


class ActorDirectory:
    """Actor id → display name; a process writes a name when it changes, and again every few minutes."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database
        self._written: dict[str, tuple[str, float]] = {}

    async def remember(self, actor: str, name: str | None) -> None:
        """Keep `name` for `actor` (nothing to do when this process wrote the same name lately)."""
        if not name:
            return
        written = self._written.get(actor)
        if written is not None and written[0] == name and time.monotonic() - written[1] < REWRITE_AFTER_S:
            return
        now = datetime.now(UTC).isoformat()
        await self._driver.execute_query(REMEMBER_ACTOR, id=actor, name=name, now=now, database_=self._database)
        self._written[actor] = (name, time.monotonic())

    async def names(self, actors: Iterable[str]) -> dict[str, str]:
        """The display names known for `actors` (ids without one are left out)."""
        ids = sorted(set(actors))
        if not ids:
            return {}
        records, _, _ = await self._driver.execute_query(ACTOR_NAMES, ids=ids, database_=self._database)
        return {str(r["id"]): str(r["name"]) for r in records}
