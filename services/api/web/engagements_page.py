"""伴走支援一覧 (the engagement list) with every filter in the URL.

The filters' choices come from the reference data (都道府県 in JIS order, 府省庁 with their 外局), the periods
and the themes the graph knows; a value typed into the URL that is not a choice (?prefecture=岩手) still
filters, by a part of the name, and shows as its own choice. Text is NFKC-normalised only for matching:
the form and the empty state show it as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.calendar import JST
from schemas.text import nfkc
from schemas.views import Stage
from services.api.deps import GraphReadsDep, ReferenceReadsDep, WebReadsDep
from services.api.web.page_common import OptionalText, query_int
from services.api.web.render import reader_lang, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
CHOICES_LIMIT = 200  # more than the 47 都道府県 and the 府省庁 with their 外局


@dataclass(frozen=True)
class Choice:
    """One option of a filter's dropdown: the value sent, the text shown, indented under its parent or not."""

    value: str
    text: str
    nested: bool = False


def _typed(value: str | None) -> str:
    """A text filter as typed (stripped), or '' when it is empty or blank."""
    return value.strip() if value and nfkc(value) else ""


async def _prefecture_choices(reference: ReferenceReadsDep, lang: str) -> list[Choice]:
    page = await reference.prefectures(name=None, limit=CHOICES_LIMIT, offset=0)
    return [Choice(p.name, p.name_en if lang == "en" and p.name_en else p.name) for p in page.items]


async def _ministry_choices(reference: ReferenceReadsDep, web: WebReadsDep) -> list[Choice]:
    """The 府省庁 of the reference data, each followed by its 外局, then any ministry an official belongs to that
    the reference data does not name (a graph loaded without it)."""
    page = await reference.ministries(name=None, limit=CHOICES_LIMIT, offset=0)
    choices: list[Choice] = []
    for m in page.items:
        choices.append(Choice(m.name, m.name))
        choices.extend(Choice(a, a, nested=True) for a in sorted(m.agencies))
    known = {c.value for c in choices}
    choices.extend(Choice(name, name) for name in await web.ministries() if name not in known)
    return choices


@router.get("/engagements", response_class=HTMLResponse)
async def engagements(
    request: Request,
    reads: GraphReadsDep,
    web: WebReadsDep,
    reference: ReferenceReadsDep,
    stage: OptionalText = None,
    period: OptionalText = None,
    prefecture: OptionalText = None,
    theme: OptionalText = None,
    ministry: OptionalText = None,
    stalled: OptionalText = None,
    q: OptionalText = None,
    offset: OptionalText = None,
) -> HTMLResponse:
    """伴走支援一覧 with every filter in the URL, so a view can be shared and bookmarked."""
    chosen_stage = Stage(stage) if stage in {s.value for s in Stage} else None
    chosen_period = query_int(period, 1, 99)
    start = query_int(offset, 0, 1_000_000) or 0
    text = {
        name: _typed(value)
        for name, value in (("prefecture", prefecture), ("theme", theme), ("ministry", ministry), ("q", q))
    }
    filters: dict[str, str | bool] = {
        "stage": chosen_stage.value if chosen_stage else "",
        "period": str(chosen_period) if chosen_period else "",
        **text,
        "stalled": stalled == "true",
    }
    page = await reads.list_engagements(
        stage=chosen_stage,
        period=chosen_period,
        prefecture=text["prefecture"] or None,
        theme=text["theme"] or None,
        ministry=text["ministry"] or None,
        text=text["q"] or None,
        stalled=True if stalled == "true" else None,
        limit=PAGE_SIZE,
        offset=start,
    )
    lang = reader_lang(request)
    return render(
        request,
        "engagements.html",
        page=page,
        filters=filters,
        filtered=any(filters.values()),
        stages=list(Stage),
        periods=await web.periods(),
        prefectures=await _prefecture_choices(reference, lang),
        ministries=await _ministry_choices(reference, web),
        themes=[Choice(t, t) for t in await reads.themes()],
        offset=start,
        page_size=PAGE_SIZE,
        today=datetime.now(JST).date(),
    )
