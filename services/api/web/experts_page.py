"""有識者検索's filters: the page's GET form read into ExpertSearch's arguments, or readable errors.

Every filter of `GET /api/v1/experts` is on the page (府省庁, 期, 稼働状況, 役職の区分, 時点, 件数). A value
the form cannot have sent (a hand-edited URL: `period=abc`, `as_of=2026-13-01`) is named in an error on the
page, never a 500, and no search runs until it is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.api_views import Availability, ExpertResults
from schemas.seniority import Seniority
from schemas.text import nfkc
from services.api.access_log import note_read
from services.api.deps import ExpertSearchDep, WebReadsDep
from services.api.web.page_common import OptionalText
from services.api.web.render import reader_lang, render
from services.i18n.catalogue import Lang, translate
from services.i18n.message import N_, Msg

LIMITS = (10, 20, 50, 100)
DEFAULT_LIMIT = 20
EARLIEST = date(2000, 1, 1)  # before the programme: an as_of earlier than this is a typing mistake


@dataclass
class ExpertFilters:
    """What the form asked for, as the form shows it (`values`) and as the search takes it (`search_args`)."""

    values: dict[str, str]
    ministry: str | None = None
    period: int | None = None
    availability: Availability | None = None
    seniority: Seniority | None = None
    as_of: date | None = None
    limit: int = DEFAULT_LIMIT
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def narrowed(self) -> bool:
        """Whether any filter narrows the search (the empty answer then suggests widening them)."""
        return any(v is not None for v in (self.ministry, self.period, self.availability, self.seniority, self.as_of))

    def search_args(self) -> dict[str, Any]:
        """Keyword arguments of ExpertSearch.search."""
        return {
            "limit": self.limit,
            "ministry": self.ministry,
            "period": self.period,
            "availability": self.availability,
            "seniority": self.seniority.value if self.seniority else None,
            "as_of": self.as_of,
        }


def read_filters(params: Mapping[str, str | None], ministries: list[str], lang: Lang) -> ExpertFilters:
    """The filters of the page's query string; each value that cannot be used gets an error in `lang`."""
    values = {k: (v or "").strip() for k, v in params.items()}
    found = ExpertFilters(values=values)

    def fail(name: str, message: str, **params: object) -> None:
        found.errors[name] = translate(Msg(message, params), lang)

    if ministry := nfkc(values.get("ministry", "")):
        if ministries and ministry not in ministries:
            fail("ministry", N_("No official of the records belongs to the ministry %(value)s."), value=ministry)
        else:
            found.ministry = ministry
    if period := values.get("period", ""):
        if period.isdigit() and 1 <= int(period) <= 99:
            found.period = int(period)
        else:
            fail("period", N_("The period must be a number from 1 to 99, not %(value)s."), value=period[:20])
    if availability := values.get("availability", ""):
        if availability in {a.value for a in Availability}:
            found.availability = Availability(availability)
        else:
            fail("availability", N_("Choose the availability from the list."))
    if seniority := values.get("seniority", ""):
        if seniority in {s.value for s in Seniority}:
            found.seniority = Seniority(seniority)
        else:
            fail("seniority", N_("Choose the seniority from the list."))
    if as_of := values.get("as_of", ""):
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            fail("as_of", N_("The date %(value)s is not a date; write it as YYYY-MM-DD."), value=as_of[:20])
        else:
            if day < EARLIEST or day > date.today():
                fail(
                    "as_of",
                    N_("The date must lie between %(earliest)s and today."),
                    earliest=EARLIEST.isoformat(),
                )
            else:
                found.as_of = day
    if limit := values.get("limit", ""):
        if limit.isdigit() and 1 <= int(limit) <= 100:
            found.limit = int(limit)
        else:
            fail("limit", N_("The number of officials shown must be from 1 to 100."))
    return found


@dataclass(frozen=True)
class TermGroup:
    """Searched terms with one reason: why (`source`), from which query word (`origin`), and the notes
    (a dictionary entry's glosses), each once."""

    source: str
    origin: str
    terms: list[str]
    notes: list[str]


def term_groups(results: ExpertResults | None) -> list[TermGroup]:
    """The answer's expansion grouped by reason and query word, in the order the search gave the terms."""
    groups: dict[tuple[str, str], TermGroup] = {}
    for t in results.expansion if results else []:
        source = t.source.value
        origin = "" if source == "query" else t.origin  # the words entered make one group
        group = groups.setdefault((source, origin), TermGroup(source, origin, [], []))
        group.terms.append(t.term)
        note = t.note.removeprefix("JMdict: ") if t.note else None  # the group's label names the dictionary
        if note and note not in group.notes:
            group.notes.append(note)
    return list(groups.values())


router = APIRouter(include_in_schema=False)


@router.get("/experts", response_class=HTMLResponse)
async def experts(
    request: Request,
    search: ExpertSearchDep,
    web: WebReadsDep,
    q: OptionalText = None,
    ministry: OptionalText = None,
    period: OptionalText = None,
    availability: OptionalText = None,
    seniority: OptionalText = None,
    as_of: OptionalText = None,
    limit: OptionalText = None,
) -> HTMLResponse:
    """有識者検索 with the API's filters, the evidence for each official (personal or team, explained), the
    searched terms and why; evidence links to the event on its timeline. A filter the form could not have
    sent is named on the page (422) and nothing is searched."""
    ministries, periods = await web.ministries(), await web.periods()
    params = {"ministry": ministry, "period": period, "availability": availability}
    params |= {"seniority": seniority, "as_of": as_of, "limit": limit}
    filters = read_filters(params, ministries, reader_lang(request))
    results = None
    if q and q.strip() and not filters.errors:
        results = await search.search(q, **filters.search_args())
        note_read(request, "official", [e.official_id for e in results.experts])  # whose records were read
    return render(
        request,
        "experts.html",
        status_code=422 if filters.errors else 200,
        q=q or "",
        results=results,
        term_groups=term_groups(results),
        filters=filters,
        ministries=ministries,
        periods=periods,
        availabilities=list(Availability),
        seniorities=list(Seniority),
        limits=LIMITS,
    )
