"""Uploaded import files, kept by their SHA-256 so the import job (on any worker) reads the very bytes uploaded.

`:ImportFile` nodes are not projection: `banso graph rebuild` keeps them (rebuild_queries.KEPT_LABELS).
"""

from __future__ import annotations

from neo4j import AsyncDriver, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from services.graph.errors import GraphUnavailable
from services.graph.store.import_file_queries import LOAD_FILE, SAVE_FILE


class ImportFiles:
    """Stores and reads uploaded files (bytes as a Neo4j byte array)."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def save(self, sha256: str, name: str, data: bytes, actor: str) -> None:
        """Keep the upload (a second upload of the same bytes keeps the first)."""
        params = {"sha256": sha256, "name": name, "data": bytearray(data), "size": len(data), "actor": actor}
        try:
            await self._driver.execute_query(SAVE_FILE, params, database_=self._database)
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err

    async def load(self, sha256: str) -> tuple[str, bytes] | None:
        """(file name, bytes) of the upload, or None."""
        try:
            records, _, _ = await self._driver.execute_query(
                LOAD_FILE, {"sha256": sha256}, database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        if not records:
            return None
        return str(records[0]["name"]), bytes(records[0]["data"])
