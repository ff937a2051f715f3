"""Who is signed in to the back office, and how a page answers when nobody is or the policy says no.

The principal of a page request comes from the server-side session (the claims of the access token
validated at sign-in); the one policy table (`services/api/auth/policy.py`) decides each page and form
as it decides each API route. A page asked for without a session redirects to `/auth/login` (an htmx
request gets 401 with `HX-Redirect`); a refusal (role, object, CSRF) is a 403 page in the reader's
language, and nothing is written.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.auth.principal import Principal
from services.api.auth.tokens import IssuerUnavailable, TokenRejected, TokenValidator
from services.api.web.i18n import translate
from services.api.web.render import reader_lang, render, signed_in

CLAIMS_KEY = "claims"
ID_TOKEN_KEY = "id_token"  # noqa: S105 (the session key under which the ID token is kept)
NEXT_KEY = "next"
LOGIN = "/auth/login"

# A refusal's kind → its page's title and text (label keys in web/i18n.py) and status.
REFUSALS: dict[str, tuple[str, str, int]] = {
    "forbidden": ("error.forbidden", "error.forbidden.detail", 403),
    "csrf": ("error.csrf", "error.csrf.detail", 403),
    "sign_in_failed": ("error.sign_in_failed", "error.sign_in_failed.detail", 400),
    "provider_unavailable": ("error.provider_unavailable", "error.provider_unavailable.detail", 503),
    "signed_out": ("error.signed_out", "error.signed_out.detail", 401),
}


class PageRefused(Exception):
    """A page or form the reader may not have (or a sign-in that failed): answered as a page, nothing written.

    `reason` is an already translated sentence (the policy's reason) shown under the page's own text.
    """

    def __init__(self, kind: str, reason: str | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.reason = reason


class SignInRequired(Exception):
    """A page asked for without a signed-in session."""


def session_principal(request: Request) -> Principal | None:
    """The principal signed in to this request's session, or None."""
    return signed_in(request)


def token_validator(request: Request) -> TokenValidator:
    """The app's validator of access tokens (the API's bearer tokens are checked the same way)."""
    state = request.app.state
    validator: TokenValidator | None = getattr(state, "web_token_validator", None)
    if validator is None:
        settings = state.settings
        validator = TokenValidator(settings.oidc_issuer or "", settings.oidc_audience)
        state.web_token_validator = validator
    return validator


async def validate_access_token(request: Request, token: str, refused: str = "sign_in_failed") -> dict[str, Any]:
    """The claims of the access token a sign-in obtained, checked like any bearer token (signature, issuer,
    audience, expiry): the same claims make the same principal on the pages as on the API."""
    try:
        claims: dict[str, Any] = await token_validator(request).claims(token)
    except TokenRejected as err:
        raise PageRefused(refused) from err
    except IssuerUnavailable as err:
        raise PageRefused("provider_unavailable") from err
    return claims


def safe_next(target: Any) -> str:
    """A page of this site to come back to after sign-in ("/" unless `target` is a local path)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if target.startswith("/auth/") or any(c in target for c in "\r\n\\"):
        return "/"
    return target


def login_url(request: Request) -> str:
    """/auth/login with the page asked for as the one to come back to."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{LOGIN}?next={quote(here, safe='')}"


def refused_page(request: Request, exc: PageRefused) -> HTMLResponse:
    """The refusal as a page in the reader's language."""
    lang = reader_lang(request)
    title_key, detail_key, status = REFUSALS.get(exc.kind, REFUSALS["forbidden"])
    return render(
        request,
        "refused.html",
        status_code=status,
        title=translate(title_key, lang),
        detail=translate(detail_key, lang),
        reason=exc.reason,
        kind=exc.kind,
        login=login_url(request) if request.method == "GET" else LOGIN,
    )


def sign_in_answer(request: Request) -> Response:
    """No session: to the login page (htmx: 401 with HX-Redirect; a post: 401 page, nothing written)."""
    target = login_url(request)
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(target, status_code=303)
    return refused_page(request, PageRefused("signed_out"))


def install_page_access_handlers(app: FastAPI) -> None:
    """Answer `SignInRequired` and `PageRefused` raised by a page, a form or the enforcement point."""

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return sign_in_answer(request)

    @app.exception_handler(PageRefused)
    async def _refused(request: Request, exc: PageRefused) -> Response:
        return refused_page(request, exc)
