"""Expertise search and health under /api/v1."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from temporalio.service import RPCError

from schemas.api_views import Availability, ExpertResults
from schemas.events import Seniority
from schemas.text import nfkc
from services.api.access_log import note_read
from services.api.deps import DriverDep, ExpertSearchDep, TemporalDep
from services.api.problems import problem_responses
from services.api.views import Health

router = APIRouter(prefix="/api/v1")


@router.get("/experts", tags=["graph"], responses=problem_responses(422, 503), summary="有識者検索 / Expertise search")
async def experts(
    request: Request,
    experts: ExpertSearchDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="検索語 (日本語・英語、1文字の漢字も可)")],
    ministry: Annotated[str | None, Query(min_length=1, max_length=100, description="府省庁")] = None,
    period: Annotated[int | None, Query(ge=1, le=99, description="第N期")] = None,
    seniority: Seniority | None = None,
    availability: Annotated[Availability | None, Query(description="free: 稼働中の支援なし / on_team")] = None,
    as_of: Annotated[
        date | None, Query(description="この日までに起きたことで答える / evidence that had happened by this day")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ExpertResults:
    """Officials ranked by how much of their recorded work matches the words or their expansions.

    Each comes with the evidence (engagement, theme, challenge, activity, outcome, body, programme or
    post), the event that recorded it, and whether it is personal (the official is named on it: took
    part, led, contributed, held the post) or their team's; personal evidence weighs more, ties are broken
    by it, and older evidence counts less (`BANSO_EXPERTISE_HALF_LIFE_DAYS`), counted from the day it happened.
    """
    results = await experts.search(
        q,
        limit=limit,
        ministry=nfkc(ministry) if ministry else None,
        period=period,
        seniority=seniority.value if seniority else None,
        availability=availability,
        as_of=as_of,
    )
    note_read(request, "official", [e.official_id for e in results.experts])  # whose records were read
    return results


@router.get(
    "/health",
    tags=["ops"],
    summary="稼働確認 / Health",
    responses={503: {"model": Health, "description": "Temporal or Neo4j unreachable (the same body, degraded)"}},
)
async def health(driver: DriverDep, temporal: TemporalDep, response: Response) -> Health:
    """Whether Temporal and Neo4j are both reachable (503 when either is not)."""

    async def temporal_ok() -> bool:
        try:
            async with asyncio.timeout(5):
                return bool(await temporal.service_client.check_health())
        except (RPCError, TimeoutError, OSError):
            return False

    async def neo4j_ok() -> bool:
        try:
            async with asyncio.timeout(5):
                await driver.verify_connectivity()
            return True
        except Exception:  # any driver failure means "not reachable" here
            return False

    t_ok, n_ok = await asyncio.gather(temporal_ok(), neo4j_ok())
    if not (t_ok and n_ok):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if t_ok and n_ok else "degraded", temporal=t_ok, neo4j=n_ok)
