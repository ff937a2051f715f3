"""閲覧記録: the access log for auditors (who read what), with the chain's verification on request."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from services.api.auth.principal import Role
from services.api.deps import AccessLogDep
from services.api.web.render import reader_lang, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
Text = Annotated[str | None, Query(max_length=200)]


def _after(value: str | None) -> int:
    return int(value) if value is not None and value.strip().isdigit() and len(value) < 12 else 0


@router.get("/access-log", response_class=HTMLResponse)
async def access_log(
    request: Request,
    log: AccessLogDep,
    after: Text = None,
    actor: Text = None,
    obj: Annotated[str | None, Query(alias="object", max_length=200)] = None,
    verify: Text = None,
) -> HTMLResponse:
    """The access records oldest first, filtered by who read or what was read; `?verify=1` checks the chain."""
    lang = reader_lang(request)
    page = await log.page(
        after=_after(after), actor=(actor or "").strip() or None, obj=(obj or "").strip() or None, limit=PAGE_SIZE
    )

    def role_label(name: str) -> str:
        role = Role(name) if name in Role.__members__.values() else None
        return (role.label_ja if lang == "ja" else role.label_en) if role else name

    return render(
        request,
        "access_log.html",
        page=page,
        actor=actor or "",
        obj=obj or "",
        verdict=await log.verify() if verify else None,
        role_label=role_label,
    )
