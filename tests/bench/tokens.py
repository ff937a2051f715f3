"""Benchmarks call the API as a signed-in user: a private Keycloak and bearer tokens renewed before they expire."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from banso.stack.keycloak import load_or_create_credentials, password_grant
from services.settings import Settings
from tests.servers import running_keycloak, test_settings

RENEW_AFTER_S = 240.0  # the realm's access tokens live 300 s


class RenewingToken(httpx.Auth):
    """`Authorization: Bearer …` of one demo user, fetched again every few minutes (long benchmarks)."""

    def __init__(self, keycloak: Settings, username: str) -> None:
        self._keycloak = keycloak
        self._username = username
        self._password = load_or_create_credentials(keycloak).users[username]
        self._token = ""
        self._at = 0.0

    def token(self) -> str:
        """A token that is valid for at least another minute."""
        if not self._token or time.monotonic() - self._at > RENEW_AFTER_S:
            self._token = str(password_grant(self._keycloak, self._username, self._password)["access_token"])
            self._at = time.monotonic()
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


@contextmanager
def signed_in(servers: Settings, root: Path) -> Iterator[tuple[Settings, Settings]]:
    """A private Keycloak beside `servers`: (the servers' settings trusting it, without a rate limit; its own)."""
    with running_keycloak(test_settings(root)) as keycloak:
        settings = servers.model_copy(
            update={
                "oidc_issuer": keycloak.oidc_issuer,
                "oidc_audience": keycloak.oidc_audience,
                "rate_limit_burst": 100_000,
                "rate_limit_per_s": 100_000.0,
            }
        )
        yield settings, keycloak
