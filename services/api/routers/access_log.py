"""Who read what, for auditors: the access log in pages and its verification, under /api/v1/access-log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from schemas.access_log import AccessChainVerdict, AccessLogPage
from services.api.deps import AccessLogDep
from services.api.json_guard import INT64_MAX
from services.api.problems import problem_responses

router = APIRouter(prefix="/api/v1/access-log", tags=["audit"])

Actor = Annotated[str | None, Query(min_length=1, max_length=200, description="読んだ人 / who read (e.g. user:kansa)")]
Object = Annotated[
    str | None,
    Query(
        alias="object",
        min_length=1,
        max_length=200,
        description="読まれたもの / what was read: kind:id, an id alone, or words of a search",
    ),
]


@router.get("", responses=problem_responses(422, 503), summary="閲覧記録 / Who read what")
async def access_log(
    log: AccessLogDep,
    after: Annotated[int, Query(ge=0, le=INT64_MAX, description="この番号より後 / records after this sequence")] = 0,
    actor: Actor = None,
    obj: Object = None,
    limit: Annotated[int, Query(ge=1, le=500, description="1ページの件数 / page size")] = 100,
) -> AccessLogPage:
    """Access records oldest first (each personal read: who, what, when, from where, the status);
    `next_after` is the `after=` of the next page. Reading this log is itself recorded."""
    return await log.page(after=after, actor=actor, obj=obj, limit=limit)


@router.get("/verify", responses=problem_responses(503), summary="閲覧記録の検証 / Verify the access log")
async def verify(log: AccessLogDep) -> AccessChainVerdict:
    """Recompute the whole chain (sequence, links, SHA-256 hashes, HMAC seals with the chain key) and the head
    that closes it; `first_bad_sequence` and `reason` say where and how it breaks."""
    return await log.verify()
