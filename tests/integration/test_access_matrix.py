"""Every route of the app against every role, with real tokens from the real Keycloak (tests/conftest.py).

The table (`services/api/auth/policy.py`) is the expectation: a role the table does not name gets 403, a
role it names never gets 401/403 (a probe body is empty or the object does not exist, so nothing is ever
written), no token gets 401 with `WWW-Authenticate: Bearer`. The back office's pages are decided by the
same table through the web guard (their sign-in and CSRF are tested with the browser); here every page
route must at least be guarded. Then an official's object rule with real engagements, forged and
foreign tokens, the actor on new events, the rate limit, and what validating a token costs.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from joserfc import jws, jwt
from joserfc.jwk import RSAKey
from neo4j import AsyncDriver
from temporalio.client import Client

from schemas.text import municipality_check_digit
from services.api.app import build_services, create_app
from services.api.auth.policy import POLICY, Rule, rule_for
from services.api.auth.principal import Role
from services.settings import Settings
from tests.auth import NO_TOKEN, TokenAuth, auth_for
from tests.conftest import Keycloak, api_client
from tests.integration.flows import MEETING, advance, application, command, engagement_id, post

pytestmark = pytest.mark.servers

USERS: dict[Role, str | None] = {
    Role.STAFF: "jimukyoku",
    Role.OFFICIAL: "shienkan",
    Role.ANALYST: "bunseki",
    Role.AUDITOR: "kansa",
    Role.INTEGRATION: None,  # the banso-integration client (client credentials; scopes engagements:read events:read)
    Role.ADMIN: "kanri",
}
INTEGRATION_SCOPES = {"engagements:read", "events:read", "webhooks:manage"}
# Path parameters that name nothing that exists: an allowed caller gets 404 or 422, never a write.
PROBE = {
    "engagement_id": "engagement-97-131016",
    "period": "97",
    "official_id": "official-nobody",
    "what": "activity",
    "table": "engagements",
    "subscription_id": "wh_00000000000000000000",
    "action": "pause",
    "job_id": "import-00000000000000000000",
    "event_id": "00000000-0000-4000-8000-000000000000",
}

# Query parameters for routes that would not answer a bare probe in time: the feed's stream never ends (and
# the ASGI test transport waits for the end), so it is asked from a cursor the log never handed out — an
# allowed caller gets its 422 at once, a refused one its 403 before that.
PROBE_QUERY: dict[str, dict[str, str]] = {"GET /api/v1/feed/stream": {"after": "999999999999"}}


def routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path template) for every route of the app (HEAD is decided as GET)."""
    for route in iter_route_contexts(app.routes):
        path = (route.path_format if route.methods is not None else route.path) or ""
        for method in sorted(route.methods or {"*"}):
            if method != "HEAD":
                yield method, path


def expected(rule: Rule, role: Role) -> str:
    """What the table grants `role`: always, only when the object rule holds, or nothing."""
    if rule.public or role in rule.roles:
        return "allowed"
    if role is Role.INTEGRATION and rule.scopes & INTEGRATION_SCOPES:
        return "allowed"
    return "object" if role in rule.when else "refused"


@pytest.fixture(scope="module")
async def matrix_app(prepared: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[FastAPI]:
    app = create_app(prepared, build_services(prepared, temporal, driver))
    async with app.router.lifespan_context(app):
        yield app


def client(app: FastAPI, auth: httpx.Auth) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://banso.test", auth=auth, timeout=60
    )


@pytest.fixture(scope="module")
def tokens(keycloak: Keycloak) -> dict[Role, TokenAuth]:
    return {role: auth_for(user) for role, user in USERS.items()}


async def test_every_route_against_every_role(matrix_app: FastAPI, tokens: dict[Role, TokenAuth]) -> None:
    seen: set[str] = set()
    failures: list[str] = []
    checked = 0
    for method, path in routes(matrix_app):
        key = f"{method} {path}"
        rule = rule_for(method if method != "*" else "GET", path)
        if rule is None:
            failures.append(f"{key}: no rule in the policy table")
            continue
        seen.add(key)
        if not path.startswith("/api/"):
            # the back office: signed-in roles are checked in the browser tests; without a session nothing
            # but a public page answers (a page redirects to sign-in, a form post is refused)
            if not rule.public and method != "*":
                async with client(matrix_app, NO_TOKEN) as anonymous:
                    answer = await anonymous.request(method, path.format(**PROBE), follow_redirects=False)
                if answer.status_code < 300 or (
                    answer.status_code < 400 and "/auth/login" not in answer.headers.get("location", "")
                ):
                    failures.append(f"{key} without a session: {answer.status_code}")
            continue
        url = path.format(**PROBE)
        for role, auth in [(None, NO_TOKEN), *tokens.items()]:
            async with client(matrix_app, auth) as api:
                response = await api.request(
                    method, url, json={} if method == "POST" else None, params=PROBE_QUERY.get(key)
                )
            checked += 1
            status = response.status_code
            if role is None:
                want_401 = not rule.public
                if want_401 and (
                    status != 401 or not response.headers.get("www-authenticate", "").startswith("Bearer")
                ):
                    failures.append(f"{key} without a token: {status}")
                if not want_401 and status in (401, 403):
                    failures.append(f"{key} is public but answered {status}")
                continue
            grant = expected(rule, role)
            if grant == "allowed" and status in (401, 403):
                failures.append(f"{key} as {role}: {status} though the table allows it ({response.text[:120]})")
            if grant != "allowed" and status != 403:
                failures.append(f"{key} as {role}: {status} though the table refuses it ({grant})")
            if status == 403:
                problem = response.json()
                assert problem["detail_ja"]
                assert problem["detail"]
                assert response.headers["content-type"].startswith("application/problem+json")
    assert not failures, "\n".join(failures)
    assert seen == set(POLICY), f"table entries for no route: {sorted(set(POLICY) - seen)}"
    assert checked > 300


OTHER_TEAM: dict[str, Any] = {
    "officials": [
        {"name": "山本 直樹", "ministry": "農林水産省", "post": "企画官"},
        {"name": "白水 伸英", "ministry": "内閣官房", "bureau": "内閣人事局", "post": "参事官"},
    ]
}


async def test_an_official_writes_only_on_their_own_team(
    api: httpx.AsyncClient, matrix_app: FastAPI, tokens: dict[Role, TokenAuth], temporal: Client, municipality_code: str
) -> None:
    own = await advance(api, municipality_code, "kickoff")  # TEAM: 石川 亨 (the demo user shienkan) is on it
    other_code = f"{int(municipality_code[:5]) + 500:05d}"
    other_code += municipality_check_digit(other_code)
    other = engagement_id(other_code)
    assert (await post(api, "/api/v1/applications", application(other_code))).status_code == 201
    assert (await command(api, other, "team", OTHER_TEAM)).status_code == 200

    handle = temporal.get_workflow_handle(other)
    history_before = (await handle.describe()).raw_description.workflow_execution_info.history_length
    events_before = len((await api.get(f"/api/v1/engagements/{other}/events")).json()["events"])
    async with client(matrix_app, tokens[Role.OFFICIAL]) as official:
        refused = await official.post(f"/api/v1/engagements/{other}/activities", json=MEETING)
        assert refused.status_code == 403, refused.text
        assert "チーム" in refused.json()["detail_ja"]
        assert (await official.get(f"/api/v1/engagements/{other}")).status_code == 403
        survey: dict[str, Any] = {"official_id": "official-someone-else", "answered_on": "2025-06-01"}
        survey |= {"field_experience": True, "diverse_team": True, "useful_for_ministry_work": True}
        assert (await official.post(f"/api/v1/engagements/{own}/surveys", json=survey)).status_code == 403
        assert (await official.post(f"/api/v1/engagements/{own}/close", json={})).status_code == 403  # staff's

        written = await official.post(f"/api/v1/engagements/{own}/activities", json=MEETING)
        assert written.status_code == 200, written.text
        assert (await official.get(f"/api/v1/engagements/{own}")).status_code == 200
    # nothing reached the other engagement's workflow: no update in its history, no event in its log
    assert (await handle.describe()).raw_description.workflow_execution_info.history_length == history_before
    assert len((await api.get(f"/api/v1/engagements/{other}/events")).json()["events"]) == events_before
    log = (await api.get(f"/api/v1/engagements/{own}/events")).json()["events"]
    assert log[-1]["actor"] == "user:shienkan"  # the token's principal, never a header
    assert {e["actor"] for e in log[:-1]} == {"user:kanri"}


async def test_an_actor_header_names_nobody(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = engagement_id(municipality_code)
    response = await api.post(
        "/api/v1/applications", json=application(municipality_code), headers={"X-Banso-Actor": "system:banso-workflow"}
    )
    assert response.status_code == 201
    assert [e["actor"] for e in (await api.get(f"/api/v1/engagements/{eid}/events")).json()["events"]] == ["user:kanri"]


def _forged(keycloak: Keycloak, real: str) -> dict[str, str]:
    """Tokens made with joserfc that the API must refuse: each one is 'almost' right."""
    compact = jws.extract_compact(real.encode())  # only to copy the realm's kid and the claims
    header = compact.headers()
    claims = json.loads(compact.payload)
    own = RSAKey.generate_key(2048, parameters={"kid": header["kid"]})
    now = int(time.time())
    return {
        "own key, realm's kid": jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, own),
        "own key, new kid": jwt.encode({"alg": "RS256", "kid": "rotated?"}, claims, RSAKey.generate_key(2048)),
        "alg none": jwt.encode({"alg": "none"}, claims, None, algorithms=["none"]),  # type: ignore[arg-type]
        "other audience": jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims | {"aud": "other"}, own),
        "expired": jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims | {"exp": now - 3600}, own),
        "tampered payload": ".".join([real.split(".")[0], _b64(claims | {"roles": ["admin"]}), real.split(".")[2]]),
        "not a jwt": "abc",
    }


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


class _Raw(httpx.Auth):
    def __init__(self, header: str) -> None:
        self.header = header

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:  # type: ignore[override]
        request.headers["Authorization"] = self.header
        yield request


async def test_forged_and_foreign_tokens_are_401(
    matrix_app: FastAPI, keycloak: Keycloak, prepared: Settings, temporal: Client, driver: AsyncDriver
) -> None:
    real = keycloak.token_for("jimukyoku")
    cases = {name: f"Bearer {token}" for name, token in _forged(keycloak, real).items()}
    cases["basic scheme"] = "Basic a2Fucmk6cGFzcw=="
    cases["empty bearer"] = "Bearer "
    for name, header in cases.items():
        async with client(matrix_app, _Raw(header)) as api:
            response = await api.get("/api/v1/engagements")
        assert response.status_code == 401, name
        challenge = response.headers["www-authenticate"]
        assert challenge.startswith('Bearer realm="banso"'), name
        assert 'error="invalid_token"' in challenge or 'error="invalid_request"' in challenge, (name, challenge)
        assert response.json()["code"] == "unauthorized"
    # a real token of this realm, checked by an API that expects another audience, or another issuer
    master = (keycloak.settings.oidc_issuer or "").rsplit("/realms/", 1)[0] + "/realms/master"
    for settings in (
        prepared.model_copy(update={"oidc_audience": "other-api"}),
        prepared.model_copy(update={"oidc_issuer": master}),
    ):
        app = create_app(settings, build_services(settings, temporal, driver))
        async with app.router.lifespan_context(app), client(app, _Raw(f"Bearer {real}")) as api:
            response = await api.get("/api/v1/engagements")
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_rate_limit_answers_429_with_retry_after(
    prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> None:
    settings = prepared.model_copy(update={"rate_limit_per_s": 1.0, "rate_limit_burst": 3})
    app = create_app(settings, build_services(settings, temporal, driver))
    async with app.router.lifespan_context(app), client(app, auth_for("bunseki")) as api:
        statuses = [(await api.get("/api/v1/ministries")).status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200]
        limited = await api.get("/api/v1/ministries")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["code"] == "rate_limited"
        async with client(app, auth_for("kansa")) as other:  # another caller has its own bucket
            assert (await other.get("/api/v1/ministries")).status_code == 200


async def test_token_validation_cost(
    matrix_app: FastAPI, tokens: dict[Role, TokenAuth], capsys: pytest.CaptureFixture[str]
) -> None:
    """Added latency per request: the same public-data read with a token vs. the public health route's
    own cost is not comparable, so compare validating the token alone (keys cached) against the request."""
    validator = matrix_app.state.access.validator
    token = tokens[Role.ANALYST].token
    await validator.claims(token)  # keys fetched once
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        await validator.claims(token)
    per_token_ms = (time.perf_counter() - start) / rounds * 1000
    async with client(matrix_app, tokens[Role.ANALYST]) as api:
        await api.get("/api/v1/ministries")
        start = time.perf_counter()
        for _ in range(50):
            assert (await api.get("/api/v1/ministries")).status_code == 200
        per_request_ms = (time.perf_counter() - start) / 50 * 1000
    with capsys.disabled():
        print(
            f"\ntoken validation: {per_token_ms:.2f} ms per token (RS256, keys cached); "
            f"an authenticated read: {per_request_ms:.1f} ms per request"
        )
    assert per_token_ms < 20


async def test_pages_name_the_actor_and_the_log_keeps_the_id(
    api: httpx.AsyncClient,
    clean: Settings,
    temporal: Client,
    driver: AsyncDriver,
    tokens: dict[Role, TokenAuth],
    municipality_code: str,
) -> None:
    own = await advance(api, municipality_code, "kickoff")  # TEAM: 石川 亨 (the demo user shienkan) is on it
    # a process of its own: its directory has written no name yet (the graph is wiped between tests)
    async with api_client(clean, temporal, driver, auth=tokens[Role.OFFICIAL]) as official:
        assert (await official.post(f"/api/v1/engagements/{own}/activities", json=MEETING)).status_code == 200
    event = (await api.get(f"/api/v1/engagements/{own}/events")).json()["events"][-1]
    assert event["actor"] == "user:shienkan"  # the hashed log names the account, not the person
    envelope = {k: v for k, v in event.items() if k != "data"}
    assert "石川" not in json.dumps(envelope, ensure_ascii=False)
    page = (await api.get(f"/engagements/{own}")).text
    assert re.search(r'<p class="ev-meta">記録: [^<]*・石川 亨</p>', page)  # the token's display name
    audit = (await api.get(f"/engagements/{own}/audit")).text
    assert '<span class="name">石川 亨</span><br><small class="muted">user:shienkan</small>' in audit
