"""The one way the read side talks to Neo4j: a read query routed to readers, errors made typed."""

from __future__ import annotations

from typing import Any, TypeVar

from neo4j import AsyncDriver, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from pydantic import BaseModel

from schemas.api_views import Page
from services.graph.errors import GraphUnavailable

M = TypeVar("M", bound=BaseModel)


class GraphReader:
    """Base of the read services: `_read` returns plain dicts, `_page` a counted page of models."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = await self._driver.execute_query(
                query, params, database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        return [r.data() for r in records]

    async def _page(
        self, model: type[M], count: str, query: str, *, limit: int, offset: int, **filters: Any
    ) -> Page[M]:
        total = (await self._read(count, **filters))[0]["total"]
        rows = await self._read(query, **filters, limit=limit, offset=offset)
        return Page[model](total=total, items=[model.model_validate(r) for r in rows])  # type: ignore[valid-type]
