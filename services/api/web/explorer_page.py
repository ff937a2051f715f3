"""グラフ探索 (the graph explorer): a start node and its neighbours, expanded on demand."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from schemas.text import nfkc
from services.api.deps import WebReadsDep
from services.api.web.page_common import OptionalText
from services.api.web.render import reader_lang, render
from services.graph.reads.web_reads import NODE_KINDS

router = APIRouter(include_in_schema=False)


@router.get("/explorer", response_class=HTMLResponse)
async def explorer(request: Request, kind: OptionalText = None, key: OptionalText = None) -> HTMLResponse:
    """グラフ探索: start from any official, municipality, body or programme and expand neighbours."""
    start_kind = kind if kind in NODE_KINDS else "municipality"
    return render(request, "explorer.html", kinds=list(NODE_KINDS), kind=start_kind, key=key or "")


@router.get("/explorer/neighbours")
async def neighbours(
    request: Request, web: WebReadsDep, kind: OptionalText = None, key: OptionalText = None
) -> Response:
    """A node and its neighbours as Cytoscape elements, named in the reader's language (404 when unknown)."""
    if kind not in NODE_KINDS or not key:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    found: dict[str, Any] | None = await web.neighbours(kind, nfkc(key), lang=reader_lang(request))
    if found is None:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    return JSONResponse(found)
