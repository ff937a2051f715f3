"""TokenValidator against an issuer of our own (keys made with joserfc, served over httpx.MockTransport): each
reason a token is refused, key rotation, and the JWKS cache. The real Keycloak's tokens are checked in
tests/integration/test_access_matrix.py."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from services.api.auth.principal import Role
from services.api.auth.tokens import IssuerUnavailable, TokenRejected, TokenValidator

ISSUER = "https://idp.example/realms/banso"
AUDIENCE = "banso-api"


class Issuer:
    """A discovery document and a JWKS that can rotate."""

    def __init__(self) -> None:
        self.keys: list[RSAKey | ECKey] = [RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})]
        self.jwks_calls = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/certs"})
        self.jwks_calls += 1
        return httpx.Response(200, json={"keys": [k.as_dict(private=False) for k in self.keys]})

    def validator(self) -> TokenValidator:
        return TokenValidator(ISSUER, AUDIENCE, transport=httpx.MockTransport(self.handler), refetch_after_s=0)


def claims(**over: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u1", "exp": now + 300, "iat": now, "preferred_username": "kanri"}
    base["roles"] = ["admin"]
    return base | over


def sign(key: RSAKey | ECKey | OctKey, alg: str, **over: Any) -> str:
    return jwt.encode({"alg": alg, "kid": key.kid or "x"}, claims(**over), key)


async def test_a_valid_token_names_its_principal() -> None:
    issuer = Issuer()
    principal = await issuer.validator().principal(sign(issuer.keys[0], "RS256"))
    assert principal.actor == "user:kanri"
    assert principal.roles == {Role.ADMIN}


# Times as offsets from when the test runs (collection may be many minutes earlier in a long suite).
TIMED = ("exp", "nbf")


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"exp": -120}, "expired"),
        ({"aud": "another-api"}, "aud"),
        ({"iss": "https://evil.example/realms/banso"}, "iss"),
        ({"nbf": 600}, "nbf"),
    ],
)
async def test_claims_are_checked(over: dict[str, Any], reason: str) -> None:
    issuer = Issuer()
    now = int(time.time())
    over = {k: now + v if k in TIMED else v for k, v in over.items()}
    with pytest.raises(TokenRejected) as refused:
        await issuer.validator().claims(sign(issuer.keys[0], "RS256", **over))
    assert refused.value.error == "invalid_token"
    assert reason in str(refused.value)


async def test_a_small_clock_skew_is_allowed() -> None:
    issuer = Issuer()
    await issuer.validator().claims(sign(issuer.keys[0], "RS256", exp=int(time.time()) - 10))


async def test_forged_signatures_and_algorithms_are_refused() -> None:
    issuer = Issuer()
    validator = issuer.validator()
    own = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # the issuer's kid, our key
    hmac = OctKey.import_key(
        str(issuer.keys[0].as_dict(private=False)["n"]).encode()
    )  # the public key as an HMAC secret
    unsigned = jwt.encode({"alg": "none"}, claims(), None, algorithms=["none"])  # type: ignore[arg-type]
    for token in (sign(own, "RS256"), jwt.encode({"alg": "HS256", "kid": "k1"}, claims(), hmac), unsigned, "x.y.z", ""):
        with pytest.raises(TokenRejected):
            await validator.claims(token)


async def test_rotated_keys_are_fetched_once_for_an_unknown_kid() -> None:
    issuer = Issuer()
    validator = issuer.validator()
    await validator.claims(sign(issuer.keys[0], "RS256"))
    rotated = ECKey.generate_key("P-256", parameters={"kid": "k2", "alg": "ES256"})
    issuer.keys.append(rotated)
    assert (await validator.principal(sign(rotated, "ES256"))).username == "kanri"
    assert issuer.jwks_calls == 2
    await validator.claims(sign(rotated, "ES256"))
    assert issuer.jwks_calls == 2  # cached


async def test_an_unreachable_issuer_is_an_outage_not_a_refusal() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    validator = TokenValidator(ISSUER, AUDIENCE, transport=httpx.MockTransport(down))
    with pytest.raises(IssuerUnavailable):
        await validator.claims(sign(RSAKey.generate_key(2048), "RS256"))
