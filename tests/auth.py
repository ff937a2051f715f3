"""Real access tokens for the tests' HTTP clients: an httpx Auth that asks Keycloak and renews before expiry.

The session's Keycloak (tests/conftest.py `keycloak`) registers itself here; `default_auth()` is what every
test client sends unless a test asks for another user: the demo admin `kanri` (管理者), whom the policy
lets call every route, so the existing tests keep their meaning with a real, validated token.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

DEFAULT_USER = "kanri"
RENEW_BEFORE_S = 60.0
TokenSource = Callable[[], dict[str, Any]]  # a token endpoint's answer (access_token, expires_in)

NO_TOKEN = httpx.Auth()  # a request sent without any Authorization header (per request: `auth=NO_TOKEN`)
_SOURCES: dict[str, Callable[[str | None], TokenSource]] = {}


class TokenAuth(httpx.Auth):
    """Sends `Authorization: Bearer <token>`, fetching a new token when the current one is about to expire."""

    def __init__(self, source: TokenSource) -> None:
        self._source = source
        self._token: str | None = None
        self._expires = 0.0

    @property
    def token(self) -> str:
        """A current access token."""
        if self._token is None or time.monotonic() > self._expires - RENEW_BEFORE_S:
            answer = self._source()
            self._token = str(answer["access_token"])
            self._expires = time.monotonic() + float(answer.get("expires_in", 300))
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def register(source: Callable[[str | None], TokenSource], issuer: str) -> None:
    """The session's Keycloak: `source(user)` fetches a user's token, `source(None)` the integration client's."""
    _SOURCES["keycloak"] = source
    _ISSUER["issuer"] = issuer


_ISSUER: dict[str, str] = {}


def session_issuer() -> str | None:
    """The issuer of the session's Keycloak, once a test started it (private stacks check tokens against it)."""
    return _ISSUER.get("issuer")


def auth_for(user: str | None) -> TokenAuth:
    """Tokens of a demo user (None: the integration client) from the session's Keycloak."""
    if "keycloak" not in _SOURCES:
        raise RuntimeError("no Keycloak in this session: depend on the `keycloak` (or `prepared`) fixture")
    return TokenAuth(_SOURCES["keycloak"](user))


_DEFAULT: dict[str, TokenAuth] = {}


def default_auth() -> TokenAuth:
    """The default test client's tokens (the demo admin), shared by the session."""
    if "auth" not in _DEFAULT:
        _DEFAULT["auth"] = auth_for(DEFAULT_USER)
    return _DEFAULT["auth"]
