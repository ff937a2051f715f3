"""Sign-in to the back office: OpenID Connect authorization code with PKCE (S256) through the provider's
own login page (Keycloak on the local stack), with Authlib's Starlette client.

`/auth/login?next=/path` remembers the page to come back to and sends the browser to the provider (its
state, nonce and PKCE verifier are kept in the server-side session, where Authlib keeps them);
`/auth/callback` exchanges the code (Authlib checks the state and the ID token: signature, issuer,
audience, nonce), validates the access token like any bearer token of the API, stores the principal's
claims in a new session (new id) and goes back to the remembered page; `POST /auth/logout` ends the
session here and the provider's session (RP-initiated logout at its `end_session_endpoint`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.auth.principal import Principal
from services.api.web.access import (
    CLAIMS_KEY,
    ID_TOKEN_KEY,
    NEXT_KEY,
    PageRefused,
    safe_next,
    session_principal,
    validate_access_token,
)
from services.api.web.csrf import csrf_token
from services.api.web.render import reader_lang, render
from services.api.web.session import Session
from services.settings import Settings

router = APIRouter(include_in_schema=False)
log = logging.getLogger("banso.web")

PROVIDER = "banso"
# The claims of the access token a page needs to rebuild the principal; nothing else of the tokens is kept
# (the pages call the read services in process, never the API with the token).
KEPT_CLAIMS = ("sub", "preferred_username", "name", "roles", "realm_access", "official_id", "scope", "azp")


def _session(request: Request) -> Session:
    """The page's server-side session (the middleware gives every /auth/ request one)."""
    session = request.scope.get("session")
    if not isinstance(session, Session):
        raise PageRefused("forbidden")
    return session


def oidc_client(request: Request) -> StarletteOAuth2App:
    """The app's OpenID Connect client, registered once from the settings (issuer metadata read lazily)."""
    state = request.app.state
    client: StarletteOAuth2App | None = getattr(state, "oidc_client", None)
    if client is None:
        settings: Settings = state.settings
        secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
        oauth = OAuth()
        client = oauth.register(
            PROVIDER,
            client_id=settings.oidc_client_id,
            client_secret=secret,
            server_metadata_url=f"{(settings.oidc_issuer or '').rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256", "timeout": 10},
        )
        state.oidc_client = client
    return client


@router.get("/auth/login", name="auth_login")
async def login(request: Request, next: str | None = None) -> Response:
    """Remember where to come back to, then go to the provider's login page (in the reader's language)."""
    session = _session(request)
    target = safe_next(next)
    if session_principal(request) is not None:
        return RedirectResponse(target, status_code=303)
    session[NEXT_KEY] = target
    try:
        redirect: Response = await oidc_client(request).authorize_redirect(
            request, str(request.url_for("auth_callback")), ui_locales=reader_lang(request)
        )
    except httpx.HTTPError as err:
        log.warning("identity provider unreachable: %s", err)
        raise PageRefused("provider_unavailable") from err
    return redirect


@router.get("/auth/callback", name="auth_callback")
async def callback(request: Request) -> Response:
    """The provider's answer: tokens for the code, checked; the principal goes into a fresh session."""
    session = _session(request)
    client = oidc_client(request)
    try:
        token: dict[str, Any] = await client.authorize_access_token(request)  # type: ignore[no-untyped-call]
        claims = await validate_access_token(request, str(token.get("access_token", "")))
    except OAuthError as err:
        log.info("sign-in refused: %s", err)
        raise PageRefused("sign_in_failed") from err
    except httpx.HTTPError as err:
        log.warning("identity provider unreachable: %s", err)
        raise PageRefused("provider_unavailable") from err
    target = safe_next(session.get(NEXT_KEY))
    session.clear()
    session.renew()  # a new id: an id known before sign-in is worth nothing after it
    session[CLAIMS_KEY] = {k: claims[k] for k in KEPT_CLAIMS if k in claims}
    session[ID_TOKEN_KEY] = token.get("id_token", "")
    session["signed_in_at"] = time.time()
    csrf_token(request)  # a fresh CSRF token with the fresh session
    return RedirectResponse(target, status_code=303)


@router.post("/auth/logout", name="auth_logout")
async def logout(request: Request) -> Response:
    """End the session here, then the provider's (it comes back to /auth/signed-out)."""
    session = _session(request)
    id_token = str(session.get(ID_TOKEN_KEY) or "")
    session.end()
    try:
        ends = await oidc_client(request).create_logout_url(
            post_logout_redirect_uri=str(request.url_for("auth_signed_out")),
            id_token_hint=id_token or None,
            ui_locales=reader_lang(request),
        )
    except (httpx.HTTPError, RuntimeError) as err:  # no provider, or one without RP-initiated logout
        log.warning("provider logout unavailable: %s", err)
        return RedirectResponse(str(request.url_for("auth_signed_out")), status_code=303)
    return RedirectResponse(str(ends["url"]), status_code=303)


@router.get("/auth/signed-out", name="auth_signed_out", response_class=HTMLResponse)
async def signed_out(request: Request) -> HTMLResponse:
    """Where the provider sends the browser after sign-out."""
    return render(request, "signed_out.html")


def principal_of(request: Request) -> Principal | None:
    """The signed-in principal of a page request (None when nobody is signed in)."""
    return session_principal(request)
