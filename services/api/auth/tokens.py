"""Bearer access tokens: JWTs checked with joserfc against the issuer's published keys (JWKS).

The keys come from the issuer's discovery document (`<issuer>/.well-known/openid-configuration` →
`jwks_uri`), are cached, and are fetched again when a token names a key id the cache does not hold (the
provider rotated its keys) — at most once every `refetch_after_s`, so a stream of forged key ids cannot
make the API hammer the provider. Only RS256 and ES256 are accepted (`alg: none` and HS* never: an
HMAC "key" would be the public JWKS). The claims checked: `iss` = the issuer, `aud` contains the
audience, `exp` (required) and `nbf`/`iat` with a small leeway. Everything cryptographic and every parse
of the token is joserfc's.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from services.api.auth.principal import Principal

ALGORITHMS = ("RS256", "ES256")
LEEWAY_S = 30
REFETCH_AFTER_S = 30.0
HTTP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class TokenRejected(Exception):
    """A missing or unacceptable token: `error` is the RFC 6750 code (None when no token was sent)."""

    error: str | None
    description: str

    def __str__(self) -> str:
        return self.description


class IssuerUnavailable(Exception):
    """The issuer's discovery document or keys could not be fetched (the API answers 503)."""


class TokenValidator:
    """Validates bearer tokens of one issuer and audience; the keys are cached per process."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        leeway_s: int = LEEWAY_S,
        refetch_after_s: float = REFETCH_AFTER_S,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._leeway = leeway_s
        self._refetch_after = refetch_after_s
        self._transport = transport
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0  # how often the keys were fetched (tests and metrics)

    async def principal(self, token: str) -> Principal:
        """The principal of a valid access token; TokenRejected otherwise."""
        claims = await self.claims(token)
        return Principal.from_claims(claims)

    async def claims(self, token: str) -> dict[str, Any]:
        """The validated claims of `token`."""
        keys = await self._key_set(refresh=False)
        try:
            decoded = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
        except InvalidKeyIdError:
            keys = await self._key_set(refresh=True)  # rotated keys: fetch once more, then decide
            decoded = self._decode(token, keys)
        except JoseError as err:
            raise TokenRejected("invalid_token", _describe(err)) from err
        except ValueError as err:  # not a compact JWS at all
            raise TokenRejected("invalid_token", "The access token is malformed") from err
        registry = jwt.JWTClaimsRegistry(
            leeway=self._leeway,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
            sub={"essential": True},
        )
        try:
            registry.validate(decoded.claims)
        except ExpiredTokenError as err:
            raise TokenRejected("invalid_token", "The access token expired") from err
        except JoseError as err:
            raise TokenRejected("invalid_token", _describe(err)) from err
        return dict(decoded.claims)

    @staticmethod
    def _decode(token: str, keys: KeySet) -> jwt.Token:
        try:
            return jwt.decode(token, keys, algorithms=list(ALGORITHMS))
        except (JoseError, ValueError) as err:
            raise TokenRejected("invalid_token", "The access token is not signed by a key of the issuer") from err

    async def _key_set(self, *, refresh: bool) -> KeySet:
        if self._keys is not None and not refresh:
            return self._keys
        async with self._lock:
            fresh = time.monotonic() - self._fetched_at < self._refetch_after
            if self._keys is not None and (not refresh or fresh):
                return self._keys
            self._keys = await self._fetch()
            self._fetched_at = time.monotonic()
            return self._keys

    async def _fetch(self) -> KeySet:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=HTTP_TIMEOUT_S) as http:
                discovery = (await http.get(f"{self.issuer}/.well-known/openid-configuration")).raise_for_status()
                jwks_uri = discovery.json()["jwks_uri"]
                jwks = (await http.get(jwks_uri)).raise_for_status().json()
        except (httpx.HTTPError, KeyError, ValueError) as err:
            raise IssuerUnavailable(f"cannot read the keys of {self.issuer}: {err}") from err
        self.fetches += 1
        # only signing keys of the accepted algorithms (Keycloak also publishes an RSA-OAEP encryption key)
        usable = [
            k for k in jwks.get("keys", []) if k.get("use", "sig") == "sig" and k.get("alg", "RS256") in ALGORITHMS
        ]
        return KeySet.import_key_set({"keys": usable})


def _describe(err: JoseError) -> str:
    """A short English reason for the WWW-Authenticate header (never the token itself)."""
    if isinstance(err, InvalidKeyIdError):
        return "The access token is not signed by a key of the issuer"
    claim = getattr(err, "claim", None)
    return f"The access token is invalid ({err.error}{': ' + claim if isinstance(claim, str) else ''})"
