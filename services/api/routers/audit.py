"""Signed audit bundles (監査証跡パッケージ) under /api/v1/audit, and the public key that verifies them offline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from schemas.audit_bundle import PublicKeyView
from services.api.deps import AuditBundlesDep, EngagementId, PrincipalDep
from services.api.messages import texts
from services.api.problems import NotFound, problem_responses
from services.api.routers.periods import PeriodNumber
from services.i18n.message import N_, Msg
from services.workflow.period.workflow import period_stream

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

KEY_ID_HEADER = "X-Audit-Key-Id"
ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "The bundle (docs/audit-bundle.md)"}
}


def _zip(data: bytes, filename: str, key_id: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', KEY_ID_HEADER: key_id}
    return Response(data, media_type="application/zip", headers=headers)


@router.get("/public-key", summary="監査パッケージの公開鍵 / The audit bundles' public key")
async def public_key(bundles: AuditBundlesDep) -> PublicKeyView:
    """The Ed25519 public key that signs every bundle's manifest (`banso audit verify --key-url` reads it)."""
    key = bundles.signing_key
    return PublicKeyView(key_id=key.key_id, public_key_pem=key.public_pem.decode("ascii"))


@router.get(
    "/engagements/{engagement_id}/bundle.zip",
    response_class=Response,
    responses=ZIP | problem_responses(404, 422, 503),
    summary="案件の監査パッケージ / An engagement's signed audit bundle",
)
async def engagement_bundle(engagement_id: EngagementId, bundles: AuditBundlesDep, principal: PrincipalDep) -> Response:
    """Every event of the engagement as stored, its chain head, a manifest and the manifest's Ed25519 signature."""
    data = await bundles.engagement(engagement_id, principal.actor)
    if data is None:
        raise NotFound()
    return _zip(data, f"{engagement_id}-audit.zip", bundles.signing_key.key_id)


@router.get(
    "/periods/{period}/bundle.zip",
    response_class=Response,
    responses=ZIP | problem_responses(404, 422, 503),
    summary="期の監査パッケージ / A period's signed audit bundle",
)
async def period_bundle(period: PeriodNumber, bundles: AuditBundlesDep, principal: PrincipalDep) -> Response:
    """The period's stream and every engagement stream of the period, signed as one bundle."""
    data = await bundles.period(period, period_stream(period), principal.actor)
    if data is None:
        raise NotFound(*texts(Msg(N_("this period has not been opened"))), code="period_not_found")
    return _zip(data, f"period-{period}-audit.zip", bundles.signing_key.key_id)
