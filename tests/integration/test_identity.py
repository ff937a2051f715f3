"""The embedded identity provider and the engines' hardening, on the real servers.

Keycloak (started lazily by the `keycloak` fixture) serves the banso realm: six roles, one demo user per
role whose token carries that role, the audience banso-api and, for the official, official_id; the
integration client gets a token by client credentials. Tokens are checked against the realm's JWKS with
joserfc (Authlib's JOSE library). Neo4j refuses a wrong password, and every server listens on 127.0.0.1 only.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from banso.stack.keycloak import DEMO_USERS, ROLES, TokenError, password_grant
from banso.stack.processes import recorded_pid
from services.settings import Settings
from tests.conftest import Keycloak
from tests.listening import listening, not_loopback

pytestmark = pytest.mark.servers

ISHIKAWA = "official-d2304643-d001-5e6c-b600-d0195959edee"  # 国土交通省/石川 亨, as schemas derive it


def claims(keycloak: Keycloak, token: str) -> dict[str, Any]:
    """The token's claims once its signature (the realm's JWKS), issuer, audience and expiry check out."""
    config = httpx.get(f"{keycloak.issuer}/.well-known/openid-configuration", timeout=10).json()
    keys = KeySet.import_key_set(httpx.get(config["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": keycloak.issuer},
        aud={"essential": True, "value": "banso-api"},
        exp={"essential": True},
    ).validate(decoded.claims)
    return dict(decoded.claims)


def test_the_realm_has_the_six_roles(keycloak: Keycloak) -> None:
    base = keycloak.issuer.rsplit("/realms/", 1)[0]
    admin = httpx.post(
        f"{base}/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": "admin",
            "password": keycloak.credentials.admin_password,
        },
        timeout=30,
    )
    assert admin.status_code == 200, admin.text
    roles = httpx.get(
        f"{base}/admin/realms/banso/roles",
        headers={"Authorization": f"Bearer {admin.json()['access_token']}"},
        timeout=30,
    ).json()
    assert {r["name"] for r in roles} >= set(ROLES)
    described = {r["name"]: r.get("description", "") for r in roles}
    for role, japanese in ROLES.items():
        assert japanese in described[role]


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_each_demo_user_gets_a_token_with_its_role(keycloak: Keycloak, username: str) -> None:
    token = claims(keycloak, keycloak.token_for(username))
    role = DEMO_USERS[username]
    assert token["roles"] == [role]
    assert token["realm_access"]["roles"] == [role]
    aud = token["aud"] if isinstance(token["aud"], list) else [token["aud"]]
    assert "banso-api" in aud
    assert token["preferred_username"] == username
    assert token["sub"]
    assert token["name"]
    assert not token["name"].isascii()
    if role == "official":
        assert token["official_id"] == ISHIKAWA
        assert token["name"] == "石川 亨"
    else:
        assert "official_id" not in token


def test_the_integration_client_gets_a_token_by_client_credentials(keycloak: Keycloak) -> None:
    token = claims(keycloak, keycloak.client_token())
    assert token["roles"] == ["integration"]
    assert token["azp"] == "banso-integration"
    assert {"engagements:read", "events:read"} <= set(token["scope"].split())


def test_a_wrong_password_gets_no_token(keycloak: Keycloak) -> None:
    with pytest.raises(TokenError, match="401"):
        password_grant(keycloak.settings, "jimukyoku", "not-the-password")


def test_the_web_client_requires_pkce_and_takes_loopback_callbacks_on_any_port(keycloak: Keycloak) -> None:
    auth = f"{keycloak.issuer}/protocol/openid-connect/auth"
    common = {"client_id": "banso-web", "response_type": "code", "scope": "openid"}
    pkce = {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}
    for callback in ("http://127.0.0.1:8000/auth/callback", "http://localhost:51234/auth/callback"):
        page = httpx.get(auth, params={**common, **pkce, "redirect_uri": callback}, timeout=30)
        assert page.status_code == 200, (callback, page.text[:200])  # Keycloak's login page
    foreign = httpx.get(auth, params={**common, **pkce, "redirect_uri": "https://evil.example/auth/callback"})
    assert foreign.status_code == 400
    without = httpx.get(auth, params={**common, "redirect_uri": "http://127.0.0.1:8000/auth/callback"}, timeout=30)
    assert without.status_code == 302
    assert "code_challenge" in without.headers["location"]


def test_keycloak_listens_on_loopback_only(keycloak: Keycloak) -> None:
    pid = recorded_pid(keycloak.settings.data_dir / "run", "keycloak")
    assert pid is not None
    addresses = listening(pid)
    assert ("127.0.0.1", keycloak.settings.keycloak_port) in addresses
    assert not_loopback(addresses) == []


def test_neo4j_refuses_a_wrong_password(servers: Settings) -> None:
    with (
        GraphDatabase.driver(servers.bolt_uri, auth=("neo4j", "wrong-password")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()
    with GraphDatabase.driver(servers.bolt_uri, auth=("neo4j", servers.neo4j_password.get_secret_value())) as driver:
        driver.verify_connectivity()


def test_temporal_and_neo4j_listen_on_loopback_only(servers: Settings) -> None:
    run_dir = servers.data_dir / "run"
    for name in ("temporal", "neo4j"):
        pid = recorded_pid(run_dir, name)
        assert pid is not None, name
        addresses = listening(pid)
        assert addresses, name
        assert not_loopback(addresses) == [], name
