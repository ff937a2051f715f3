"""The operator tooling's access token for the API (loading reference and demo data through it).

`BANSO_API_TOKEN` (an access token from any OIDC provider, e.g. a service account allowed to manage
reference data and periods) is sent as given; otherwise the local stack's demo admin (`kanri`, role
admin) signs in at the embedded Keycloak by direct grant, and a new token is fetched before the old one
expires. The API decides what the token may do like any other caller's (services/api/auth/policy.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncGenerator, Generator

import httpx

from banso.stack.keycloak import demo_token
from services.settings import Settings

OPERATOR_USER = "kanri"
RENEW_AFTER_S = 240.0  # the realm's access tokens live 300 s
RATE_LIMITED_TRIES = 8  # a 429 (the API's per-caller rate limit) is retried after its Retry-After


class OperatorAuth(httpx.Auth):
    """`Authorization: Bearer …` for the loaders (a fresh demo token every few minutes); a request the API
    answers 429 (the caller's rate limit) is sent again after its Retry-After."""

    requires_request_body = True

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._given = os.environ.get("BANSO_API_TOKEN")
        self._token: str | None = None
        self._at = 0.0

    def _current(self) -> str:
        if self._given:
            return self._given
        if self._token is None or time.monotonic() - self._at > RENEW_AFTER_S:
            self._token = demo_token(self._settings, OPERATOR_USER)
            self._at = time.monotonic()
        return self._token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        for _ in range(RATE_LIMITED_TRIES):
            request.headers["Authorization"] = f"Bearer {self._current()}"
            response = yield request
            if response.status_code != 429:
                return
            response.read()
            time.sleep(_retry_after(response))

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        for _ in range(RATE_LIMITED_TRIES):
            request.headers["Authorization"] = f"Bearer {self._current()}"
            response = yield request
            if response.status_code != 429:
                return
            await response.aread()
            await asyncio.sleep(_retry_after(response))


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(30.0, max(0.5, float(response.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0
