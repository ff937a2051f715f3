"""The graph's questions under /api/v1: connections, similar engagements, programme reuse, collaborators."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from schemas.graph_views import BodyCollaborator, Connections, NodeKind, ProgrammeReuse, SimilarEngagement
from schemas.text import nfkc
from services.api.deps import ConnectionSearchDep, EngagementId, ReuseSearchDep
from services.api.messages import texts
from services.api.problems import InvalidInput, NotFound, problem_responses
from services.graph.search.connections import SameEndpoint, UnknownEndpoint
from services.graph.search.similarity import ReuseSearch
from services.i18n.message import N_, Msg

router = APIRouter(prefix="/api/v1", tags=["graph"])

REF_HELP = (
    "kind:key — official:<id>, engagement:<id>, team:<id>, municipality:<code>, "
    "prefecture:<name>, ministry:<name>, body:<name>"
)


class Shared(StrEnum):
    """Kinds of shared things to compare engagements by."""

    THEME = "theme"
    CHALLENGE = "challenge"
    BODY = "body"
    COMPANY = "company"
    PROGRAMME = "programme"
    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"


def parse_ref(ref: str, name: str) -> tuple[NodeKind, str]:
    """`kind:key` → (kind, key), or a 422 problem that says what is wrong."""
    kind, sep, key = nfkc(ref).partition(":")
    try:
        parsed = NodeKind(kind)
    except ValueError:
        parsed = None
    if not sep or not key or parsed is None:
        kinds = ", ".join(k.value for k in NodeKind)
        raise InvalidInput(
            *texts(Msg(N_("%(name)s must be kind:key with kind one of %(kinds)s"), {"name": name, "kinds": kinds}))
        )
    return parsed, key.strip()


async def require_engagement(reuse: ReuseSearch, engagement_id: str) -> None:
    """404 unless the engagement is in the graph."""
    if not await reuse.exists(engagement_id):
        raise NotFound(*texts(Msg(N_("no such engagement"))))


@router.get("/connections", responses=problem_responses(404, 422, 503), summary="つながり / Connections")
async def connections(
    search: ConnectionSearchDep,
    source: Annotated[str, Query(alias="from", min_length=3, max_length=250, description=REF_HELP)],
    target: Annotated[str, Query(alias="to", min_length=3, max_length=250, description=REF_HELP)],
    max_hops: Annotated[int, Query(ge=1, le=8, description="経路の最大の長さ")] = 4,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> Connections:
    """The shortest paths (at most `max_hops` long) between two people, teams, municipalities or bodies,
    each step in Japanese and English, with a one-line summary (same team, same ministry, both worked with …,
    the same subject of challenges 「同じ課題：港湾」). Paths go through people, teams, bodies and the subjects
    that challenges, themes and outcomes are about, never through a period. When none is within `max_hops`,
    `nearest_hops` says how long the shortest one is (looked for up to `nearest_bound` hops) and `note_ja` /
    `note_en` say so in words.
    """
    a, b = parse_ref(source, "from"), parse_ref(target, "to")
    try:
        return await search.between(a, b, max_hops=max_hops, limit=limit)
    except UnknownEndpoint as err:
        raise NotFound(*texts(Msg(N_("%(node)s does not exist"), {"node": f"{err.kind.value}:{err.key}"}))) from err
    except SameEndpoint as err:
        raise InvalidInput(*texts(Msg(N_("from and to are the same node (%(node)s)"), {"node": str(err)}))) from err


@router.get(
    "/engagements/{engagement_id}/similar",
    responses=problem_responses(404, 422, 503),
    summary="似た伴走支援 / Similar engagements",
)
async def similar(
    engagement_id: EngagementId,
    reuse: ReuseSearchDep,
    share: Annotated[list[Shared] | None, Query(description="比べる共通点 (省略時はすべて)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[SimilarEngagement]:
    """Engagements (and so teams) sharing themes, challenges, regional bureaus and other bodies, companies,
    programmes or a prefecture with this one, most alike first, each with the reason."""
    await require_engagement(reuse, engagement_id)
    kinds = {s.value for s in share} if share else None
    return await reuse.similar(engagement_id, kinds=kinds, limit=limit)


@router.get(
    "/engagements/{engagement_id}/programme-reuse",
    responses=problem_responses(404, 422, 503),
    summary="活用された制度 / Programmes used by similar engagements",
)
async def programme_reuse(engagement_id: EngagementId, reuse: ReuseSearchDep) -> list[ProgrammeReuse]:
    """Funding programmes used by municipalities with the same challenges or themes, and what came of them."""
    await require_engagement(reuse, engagement_id)
    return await reuse.programmes(engagement_id)


@router.get("/collaborators", responses=problem_responses(404, 422, 503), summary="連携実績 / Who worked with a body")
async def collaborators(
    search: ConnectionSearchDep,
    reuse: ReuseSearchDep,
    body: Annotated[str, Query(min_length=1, max_length=200, description="機関・制度の名称 (例: 東北地方整備局)")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[BodyCollaborator]:
    """Officials whose engagements worked with the body or programme, with each activity, outcome or
    application and its event."""
    name = nfkc(body)
    try:
        await search.node(NodeKind.BODY, name)
    except UnknownEndpoint as err:
        raise NotFound(*texts(Msg(N_("no body or programme named %(name)s"), {"name": name}))) from err
    return await reuse.collaborators(name, limit=limit)
