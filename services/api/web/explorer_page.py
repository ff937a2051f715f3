"""グラフ探索 (the graph explorer): a start node and its neighbours, expanded on demand."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from services.api.deps import WebReadsDep
from services.api.web.page_common import OptionalText
from services.api.web.render import reader_lang, render
from services.graph.reads.web_reads import NODE_KINDS, kind_name
from services.i18n.catalogue import Lang

router = APIRouter(include_in_schema=False)

# The legend's swatch of each Cytoscape shape, as SVG points in a 16×16 box (circles and rounded boxes are
# drawn by the template); the graph and the legend read colour and shape from the same table.
SHAPE_POINTS = {
    "hexagon": "4,1 12,1 16,8 12,15 4,15 0,8",
    "diamond": "8,0 16,8 8,16 0,8",
    "pentagon": "8,0 16,6 13,16 3,16 0,6",
    "octagon": "5,0 11,0 16,5 16,11 11,16 5,16 0,11 0,5",
    "tag": "0,2 11,2 16,8 11,14 0,14",
    "star": "8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6",
    "triangle": "8,1 16,15 0,15",
    "round-triangle": "8,1 16,15 0,15",
    "vee": "0,1 8,6 16,1 8,15",
    "rectangle": "0,3 16,3 16,13 0,13",
}


def legend(lang: Lang) -> list[dict[str, str]]:
    """Every kind with its name in the page's language, its colour, shape and legend swatch."""
    return [
        {
            "kind": kind,
            "name": kind_name(kind, lang),
            "colour": k.colour,
            "shape": k.shape,
            "points": SHAPE_POINTS.get(k.shape, ""),
        }
        for kind, k in NODE_KINDS.items()
    ]


@router.get("/explorer", response_class=HTMLResponse)
async def explorer(request: Request, kind: OptionalText = None, key: OptionalText = None) -> HTMLResponse:
    """グラフ探索: start from any official, municipality, body or programme and expand neighbours."""
    start_kind = kind if kind in NODE_KINDS else "municipality"
    return render(request, "explorer.html", kinds=legend(reader_lang(request)), kind=start_kind, key=key or "")


@router.get("/explorer/neighbours")
async def neighbours(
    request: Request, web: WebReadsDep, kind: OptionalText = None, key: OptionalText = None
) -> Response:
    """A node and its neighbours as Cytoscape elements, named in the reader's language (404 when unknown)."""
    if kind not in NODE_KINDS or not key:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    found: dict[str, Any] | None = await web.neighbours(kind, key, lang=reader_lang(request))
    if found is None:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    return JSONResponse(found)
