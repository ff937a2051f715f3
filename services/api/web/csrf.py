"""CSRF protection of the back office's forms: a per-session token in every form, and the post's origin.

A post is accepted only when it comes from this origin (its `Origin` header, or its `Referer` when a
browser sends no Origin) and carries the session's token in the `csrf_token` field (or the
`X-CSRF-Token` header, for htmx). Anything else is refused before the form is read for its data.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_KEY = "csrf"


def session_of(request: Request) -> dict[str, Any] | None:
    """The request's server-side session (None outside the pages)."""
    session: dict[str, Any] | None = request.scope.get("session")
    return session


def csrf_token(request: Request) -> str:
    """The signed-in session's CSRF token, made on first use (it lives as long as the session); "" without a
    signed-in session (a program with a bearer token needs none, and no session is made for it)."""
    session = session_of(request)
    if session is None or not session.get("claims"):
        return ""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def own_origin(request: Request) -> str:
    """scheme://host[:port] the request was sent to."""
    return f"{request.url.scheme}://{request.url.netloc}"


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def same_origin(request: Request) -> bool:
    """Whether the post comes from a page of this origin (Origin first, then Referer; neither → unknown,
    left to the token)."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own_origin(request)  # "null" (a sandboxed or privacy-redirected form) is foreign
    referer = request.headers.get("referer")
    if referer is not None:
        return _origin_of(referer) == own_origin(request)
    return True


async def csrf_ok(request: Request) -> bool:
    """Whether a post may be acted on: same origin and the session's token."""
    if not same_origin(request):
        return False
    session = session_of(request)
    expected = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(expected, str) or not expected:
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and secrets.compare_digest(sent.encode(), expected.encode())
