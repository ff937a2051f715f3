"""Reference data under /api/v1: officials (支援官) and bodies (機関・制度), each an event stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from schemas.api_views import EngagementLog
from schemas.commands import body_stream, official_stream, prefecture_stream
from schemas.events import BodyDefined, MunicipalitiesListed, OfficialPostChanged, OfficialRegistered
from schemas.views import StreamReceipt
from services.api.deps import EventStoreDep, IdempotencyKey, PrincipalDep, ReferenceCommandsDep
from services.api.messages import texts
from services.api.problems import NotFound, problem_responses
from services.i18n.message import N_, Msg

router = APIRouter(prefix="/api/v1", tags=["reference data"])

OfficialId = Annotated[str, Path(pattern=r"^official-[0-9a-f-]{36}$", description="支援官ID")]


@router.post(
    "/officials",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422, 429, 500, 503, 504),
    summary="支援官の登録 / Register an official",
)
async def register_official(
    body: OfficialRegistered, reference: ReferenceCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> StreamReceipt:
    """Start the official's reference stream with their registration."""
    subject = official_stream(body.official.official_id)
    return await reference.record(subject, body, principal.actor, key, create=True)


@router.post(
    "/officials/{official_id}/post-changes",
    responses=problem_responses(404, 409, 422, 429, 500, 503, 504),
    summary="異動 / Record a change of post",
)
async def change_post(
    official_id: OfficialId,
    body: OfficialPostChanged,
    reference: ReferenceCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> StreamReceipt:
    """Record a registered official's new ministry, bureau, division or post."""
    return await reference.record(official_stream(official_id), body, principal.actor, key, create=False)


@router.get(
    "/officials/{official_id}/events",
    responses=problem_responses(404, 422, 503),
    summary="支援官の記録 / An official's reference log",
)
async def official_events(official_id: OfficialId, store: EventStoreDep) -> EngagementLog:
    """The official's reference stream with its chain verdict."""
    log = await store.verified_log(official_stream(official_id))
    if log is None:
        raise NotFound(*texts(Msg(N_("no such official"))))
    return log


@router.post(
    "/bodies",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(422, 429, 500, 503, 504),
    summary="機関・制度の定義 / Define a body or programme",
)
async def define_body(
    body: BodyDefined, reference: ReferenceCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> StreamReceipt:
    """Define (or redefine) a ministry, regional bureau, prefectural department, organisation or programme."""
    return await reference.record(body_stream(body.kind.value, body.name), body, principal.actor, key, create=True)


@router.post(
    "/prefectures",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(422, 429, 500, 503, 504),
    summary="都道府県と市町村の一覧 / List a prefecture's municipalities",
)
async def list_municipalities(
    body: MunicipalitiesListed, reference: ReferenceCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> StreamReceipt:
    """Record (or re-record after a merger) a prefecture and every 市町村 in it, from a named data set."""
    subject = prefecture_stream(body.prefecture_code)
    return await reference.record(subject, body, principal.actor, key, create=True)
