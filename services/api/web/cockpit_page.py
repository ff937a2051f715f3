"""支援状況 (the cockpit): the running period's intake and matching, its figures, and charts of its engagements.

The page opens on the period in progress today (not merely the newest): its call, volunteers, applications
and the proposal awaiting review, linked to the review page. The charts (ECharts, drawn by
static/charts.js) read their data from a `<script type="application/json">` block; each also has a table.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.paperwork_views import TravelSummary
from schemas.periods import PeriodPhase, PeriodState
from schemas.views import Stage
from schemas.wareki import wareki
from services.api.access_log import note_read
from services.api.deps import (
    DriverDep,
    PaperworkReadsDep,
    PeriodCommandsDep,
    PeriodReadsDep,
    SettingsDep,
    WebReadsDep,
)
from services.api.period_views import PeriodSummary, summary
from services.api.problems import NotFound, ProblemError
from services.api.web.i18n import label
from services.api.web.money import money_reader, yen
from services.api.web.page_common import OptionalText, query_int
from services.api.web.render import reader_lang, render, signed_in
from services.graph.reads.cockpit_reads import (
    CockpitReads,
    LastContact,
    MonthlyActivities,
    PeriodOverview,
    running_period,
)
from services.i18n.catalogue import translate
from services.i18n.message import N_, Msg

router = APIRouter(include_in_schema=False)

# 都道府県 (as the data writes them) → the id of its shape in @svg-maps/japan.
PREFECTURE_IDS: dict[str, str] = {
    "北海道": "hokkaido",
    "青森県": "aomori",
    "岩手県": "iwate",
    "宮城県": "miyagi",
    "秋田県": "akita",
    "山形県": "yamagata",
    "福島県": "fukushima",
    "茨城県": "ibaraki",
    "栃木県": "tochigi",
    "群馬県": "gunma",
    "埼玉県": "saitama",
    "千葉県": "chiba",
    "東京都": "tokyo",
    "神奈川県": "kanagawa",
    "新潟県": "niigata",
    "富山県": "toyama",
    "石川県": "ishikawa",
    "福井県": "fukui",
    "山梨県": "yamanashi",
    "長野県": "nagano",
    "岐阜県": "gifu",
    "静岡県": "shizuoka",
    "愛知県": "aichi",
    "三重県": "mie",
    "滋賀県": "shiga",
    "京都府": "kyoto",
    "大阪府": "osaka",
    "兵庫県": "hyogo",
    "奈良県": "nara",
    "和歌山県": "wakayama",
    "鳥取県": "tottori",
    "島根県": "shimane",
    "岡山県": "okayama",
    "広島県": "hiroshima",
    "山口県": "yamaguchi",
    "徳島県": "tokushima",
    "香川県": "kagawa",
    "愛媛県": "ehime",
    "高知県": "kochi",
    "福岡県": "fukuoka",
    "佐賀県": "saga",
    "長崎県": "nagasaki",
    "熊本県": "kumamoto",
    "大分県": "oita",
    "宮崎県": "miyazaki",
    "鹿児島県": "kagoshima",
    "沖縄県": "okinawa",
}

# An activity's kind → its label key (coordination has no entry there; it has its own msgid below).
KINDS = ("online_meeting", "site_visit", "company_visit", "coordination")
COORDINATION = N_("Coordination")
# the budget chart's series, in the order drawn: key → msgid
BUDGET_SERIES = (
    ("planned", N_("Planned (cumulative)")),
    ("settled", N_("Settled (cumulative)")),
    ("left", N_("Left")),
)
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _t(msgid: str, lang: str, **values: Any) -> str:
    return translate(Msg(msgid, values), lang)


def _kind_label(kind: str, lang: str) -> str:
    return _t(COORDINATION, lang) if kind == "coordination" else label("activity", kind, lang)


def _prefecture_label(name: str, lang: str) -> str:
    """岩手県 in Japanese; the package's own name (Iwate) in English."""
    pid = PREFECTURE_IDS.get(name)
    return name if lang == "ja" or pid is None else pid.capitalize()


def _engagement_label(c: LastContact, lang: str) -> str:
    """大船渡市（岩手県） / 大船渡市 (Iwate)."""
    name = c.municipality_name or c.engagement_id
    if not c.prefecture:
        return name
    return f"{name}（{c.prefecture}）" if lang == "ja" else f"{name} ({_prefecture_label(c.prefecture, lang)})"


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from `first` to `last`, both included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_label(month: str, lang: str, short: bool = False, first: bool = False) -> str:
    """令和7年4月 / 2025-04; on an axis (short) the year only on the first month and on each January."""
    day = date(int(month[:4]), int(month[5:7]), 1)
    if lang == "ja":
        full = wareki(day).removesuffix("1日")
        return (
            full.replace("年", "年\n") if short and (first or day.month == 1) else (f"{day.month}月" if short else full)
        )
    if short:
        return f"{EN_MONTHS[day.month - 1]}\n{day.year}" if first or day.month == 1 else EN_MONTHS[day.month - 1]
    return month


def chart_data(
    period: int,
    stages: list[tuple[str, int]],
    activities: list[MonthlyActivities],
    contacts: list[LastContact],
    prefectures: dict[str, int],
    today: date,
    lang: str,
) -> dict[str, Any]:
    """What static/charts.js draws, every label already in the page's language."""
    months = _months(activities[0].month, activities[-1].month) if activities else []
    kinds = [k for k in KINDS if any(a.kind == k for a in activities)]
    kinds += sorted({a.kind for a in activities} - set(kinds))
    counts = {(a.month, a.kind): a.n for a in activities}
    contacted = [c for c in contacts if c.last_contact is not None]
    contacted.sort(key=lambda c: (c.last_contact or today, c.municipality_name or ""))
    return {
        "lang": lang,
        "stages": {
            "title": _t(N_("Engagements by stage"), lang),
            "labels": [label("stage", s, lang) for s, _ in stages],
            "values": [n for _, n in stages],
            "links": [f"/engagements?period={period}&stage={s}" for s, _ in stages],
        },
        "months": {
            "title": _t(N_("Activities per month"), lang),
            "months": months,
            "labels": [month_label(m, lang, short=True, first=i == 0) for i, m in enumerate(months)],
            "full": [month_label(m, lang) for m in months],
            "series": [
                {"kind": k, "name": _kind_label(k, lang), "values": [counts.get((m, k), 0) for m in months]}
                for k in kinds
            ],
        },
        "contact": {
            "title": _t(N_("Days since last contact"), lang),
            "labels": [_engagement_label(c, lang) for c in contacted],
            "values": [(today - c.last_contact).days if c.last_contact else 0 for c in contacted],
            "links": [f"/engagements/{c.engagement_id}" for c in contacted],
            "unit": _t(N_("%(n)s days"), lang, n="{n}"),
        },
        "map": {
            "title": _t(N_("Engagements per prefecture"), lang),
            "areas": [
                {"id": PREFECTURE_IDS[name], "name": _prefecture_label(name, lang), "value": n}
                for name, n in prefectures.items()
                if name in PREFECTURE_IDS
            ],
            "names": {pid: _prefecture_label(name, lang) for name, pid in PREFECTURE_IDS.items()},
            "links": {
                PREFECTURE_IDS[name]: f"/engagements?period={period}&prefecture={quote(name)}"
                for name in prefectures
                if name in PREFECTURE_IDS
            },
            "max": max(prefectures.values(), default=0),
            "unit": _t(N_("%(n)s engagements"), lang, n="{n}"),
        },
    }


def budget_chart(travel: TravelSummary, lang: str) -> dict[str, Any]:
    """What static/charts.js draws for the budget card: the budget, planned and settled (cumulative) and what
    is left, at the end of each month of the year so far; amounts in whole yen, their text as ¥1,234."""
    months = [p.month for p in travel.series]
    values = {key: [int(getattr(p, f"{key}_yen")) for p in travel.series] for key, _ in BUDGET_SERIES}
    budget = [p.budget_yen for p in travel.series]
    return {
        "title": _t(N_("Travel budget over the year"), lang),
        "months": months,
        "labels": [month_label(m, lang, short=True, first=i == 0) for i, m in enumerate(months)],
        "full": [month_label(m, lang) for m in months],
        "budget": {"name": _t(N_("Budget"), lang), "values": budget, "text": [yen(v) for v in budget]},
        "series": [
            {"key": key, "name": _t(msgid, lang), "values": values[key], "text": [yen(v) for v in values[key]]}
            for key, msgid in BUDGET_SERIES
        ],
    }


def _engagement_period(chosen: int, overview: list[PeriodOverview]) -> int:
    """The period whose engagements the charts show: the chosen one, or, while the chosen period has none yet
    (its intake or matching is under way), the newest earlier period whose support is still running."""
    by_number = {p.number: p for p in overview}
    if by_number.get(chosen) is None or by_number[chosen].engagements:
        return chosen
    earlier = [p for p in overview if p.number < chosen and p.support_running()]
    return max(earlier, key=lambda p: p.number).number if earlier else chosen


def _proposal_teams(state: PeriodState) -> int:
    return len(state.teams) if state.phase is PeriodPhase.PROPOSED else 0


@router.get("/", response_class=HTMLResponse)
async def cockpit(
    request: Request,
    web: WebReadsDep,
    period_reads: PeriodReadsDep,
    commands: PeriodCommandsDep,
    paperwork: PaperworkReadsDep,
    driver: DriverDep,
    settings: SettingsDep,
    period: OptionalText = None,
) -> HTMLResponse:
    """支援状況: the running period's intake and matching, its figures, charts of its engagements."""
    reads = CockpitReads(driver, settings.neo4j_database)
    overview = await reads.periods()
    today = date.today()
    running = running_period(overview, today)
    known = [p.number for p in overview]
    asked = query_int(period, 1, 99)
    chosen = asked if asked is not None else running
    if chosen is None:
        return render(request, "cockpit.html", periods=[], period=None)
    status: PeriodSummary | None = None
    proposal_teams = 0
    status_unavailable = False
    try:
        state = await commands.state(chosen)
        status, proposal_teams = summary(state), _proposal_teams(state)
    except NotFound:
        pass  # a period known only from its engagements (no call was opened through Banso)
    except ProblemError as problem:  # the workflow engine is away or busy: the graph's figures still show
        if problem.status < 500 and problem.status != 429:
            raise
        status_unavailable = True
    shown = _engagement_period(chosen, overview)
    figures = await period_reads.figures(shown)
    stalled = [
        s | {"days": (today - date.fromisoformat(s["last_contact"])).days if s["last_contact"] else None}
        for s in await web.stalled(shown)
    ]
    due = [d | {"days": (date.fromisoformat(d["due"]) - today).days} for d in await web.reports_due(shown)]
    stages = [(s.value, figures.engagements_by_stage.get(s.value, 0)) for s in Stage if s is not Stage.NEW]
    contacts = await reads.last_contacts(shown)
    lang = reader_lang(request)
    charts = chart_data(
        shown,
        stages,
        await reads.activities_by_month(shown),
        contacts,
        await reads.by_prefecture(shown),
        today,
        lang,
    )
    # 支援旅費: the budget picture, for the roles that see money only (nothing is read for the others)
    travel = await paperwork.travel_summary(shown, today) if money_reader(signed_in(request)) else None
    if travel is not None and travel.budget_yen is None and not travel.total.lines:
        travel = None  # no budget and no travel yet: nothing to picture
    if travel is not None:
        charts["budget"] = budget_chart(travel, lang)
        note_read(request, "period", [str(shown)])
    return render(
        request,
        "cockpit.html",
        periods=known if chosen in known else [chosen, *known],
        period=chosen,
        running=running,
        status=status,
        status_unavailable=status_unavailable,
        proposal_teams=proposal_teams,
        shown=shown,
        figures=figures,
        stages=stages,
        stalled=stalled,
        due=due,
        charts=charts,
        not_contacted=[c for c in contacts if c.last_contact is None],
        travel=travel,
    )
