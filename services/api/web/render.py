"""Rendering pages: the Jinja2 environment, the reader's language, and the helpers templates use."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from schemas.calendar import JST
from schemas.wareki import date_range, nendo, wareki
from services.api.auth.policy import decide, rule_for
from services.api.auth.principal import Principal, Role
from services.api.problems import ProblemError
from services.api.web.csrf import csrf_token
from services.api.web.i18n import LANGS, Lang, label, translate
from services.api.web.money import money_reader, yen
from services.i18n.catalogue import translations

HERE = Path(__file__).parent
LANG_COOKIE = "banso_lang"


@cache
def templates(lang: str) -> Jinja2Templates:
    """The templates in `lang`: Jinja2's i18n extension with the catalogue of `lang` installed (`_`, `pgettext`)."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return Jinja2Templates(env=env)


def reader_lang(request: Request) -> Lang:
    """?lang= wins, then the cookie, then Japanese."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGS:
            return candidate
    return "ja"


def _date_text(value: str | date | None, lang: Lang) -> str:
    if value is None or value == "":
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return wareki(day) if lang == "ja" else day.isoformat()


def _span_text(start: date, end: date | None, lang: Lang) -> str:
    """令和7年5月29日〜30日 / 29–30 May 2025."""
    return date_range(start, end, lang)


def _time_text(value: str, lang: Lang) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(JST)
    clock = moment.strftime("%H:%M")
    return f"{wareki(moment.date())} {clock}" if lang == "ja" else f"{moment.date().isoformat()} {clock} JST"


def signed_in(request: Request) -> Principal | None:
    """The page's principal: the one the guard let through, else the session's (claims validated at sign-in)."""
    decided = getattr(request.state, "principal", None)
    if isinstance(decided, Principal):
        return decided
    session = request.scope.get("session")
    claims = session.get("claims") if isinstance(session, dict) else None
    return Principal.from_claims(claims) if isinstance(claims, dict) and claims.get("sub") else None


def may(principal: Principal | None, path: str, method: str = "GET") -> bool:
    """Whether the policy lets `principal` reach the route `method path` (a path template), or may let it
    once the object is checked (an official's own engagement): what a page shows links and forms for."""
    if principal is None:
        return False
    verdict = decide(rule_for(method, path), principal)
    return verdict.allowed or verdict.check is not None


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` in the reader's language; the chosen language is kept in a cookie."""
    lang = reader_lang(request)
    principal = signed_in(request)

    def label_of(prefix: str, value: object) -> str:
        return label(prefix, value, lang)

    def url_with(**changes: object) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        params.update({k: str(v) for k, v in changes.items() if v is not None})
        for k in [k for k, v in changes.items() if v is None]:
            params.pop(k, None)
        return f"{request.url.path}?{urlencode(params)}" if params else request.url.path

    response = templates(lang).TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "other_lang": "en" if lang == "ja" else "ja",
            "day": lambda v: _date_text(v, lang),
            "moment": lambda v: _time_text(v, lang),
            "span": lambda start, end=None: _span_text(start, end, lang),
            "nendo": lambda v: nendo(v if isinstance(v, date) else date.fromisoformat(str(v)[:10])),
            "url_with": url_with,
            "label": label_of,
            "option_list": lambda prefix, values: [(v, label_of(prefix, v)) for v in values],
            "principal": principal,
            "may": lambda path, method="GET": may(principal, path, method),
            "sees_money": money_reader(principal),
            "yen": yen,
            "roles_of": lambda p: [r.label_ja if lang == "ja" else r.label_en for r in Role if r in p.roles],
            "csrf_token": lambda: csrf_token(request),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


# A problem's code → its page's title and text keys in the catalogue (others show the problem's own detail).
PROBLEM_PAGES = {
    "unavailable": ("error.unavailable", "error.unavailable.detail"),
    "internal_error": ("error.internal", "error.internal.detail"),
}


def problem_page(request: Request, problem: ProblemError) -> HTMLResponse:
    """A page (not JSON) for a problem met while showing a page: an engine outage reads as "try again later"."""
    lang = reader_lang(request)
    title_key, detail_key = PROBLEM_PAGES.get(problem.code, ("error.problem", ""))
    detail = translate(detail_key, lang) if detail_key else (problem.detail_en if lang == "en" else problem.detail_ja)
    title = translate(title_key, lang)
    response = render(request, "error.html", status_code=problem.status, title=title, detail=detail)
    if problem.retry_after is not None:
        response.headers["Retry-After"] = str(problem.retry_after)
    return response
