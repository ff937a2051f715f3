"""Who read what, pure: every GET route is decided personal or not, and what an access record says."""

from __future__ import annotations

from typing import Any

from fastapi.routing import iter_route_contexts

from services.api.access_log import NOT_PERSONAL, PERSONAL, access_entry, personal_key, reader, recorded
from services.api.app import create_app
from services.api.auth.policy import POLICY, rule_for
from services.api.auth.principal import Principal, Role
from services.settings import Settings


def read_routes() -> set[str]:
    """Every GET route of the app that is not public, as the policy table's keys."""
    keys = set()
    for route in iter_route_contexts(create_app(Settings()).routes):
        if route.methods is not None and "GET" in route.methods:
            key = f"GET {route.path_format}"
            rule = rule_for("GET", route.path_format or "")
            if rule is None or not rule.public:
                keys.add(key)
    return keys


def test_every_read_route_is_decided_personal_or_not_and_named_as_in_the_policy() -> None:
    routes = read_routes()
    assert not PERSONAL & NOT_PERSONAL
    undecided = routes - PERSONAL - NOT_PERSONAL
    assert not undecided, f"say in services/api/access_log.py whether these read personal data: {sorted(undecided)}"
    assert set(POLICY) >= (PERSONAL | NOT_PERSONAL), sorted((PERSONAL | NOT_PERSONAL) - set(POLICY))
    assert routes >= (PERSONAL | NOT_PERSONAL)


class _Route:
    path_format = "/api/v1/engagements/{engagement_id}"


def scope(**extra: Any) -> dict[str, Any]:
    """The ASGI scope of a matched engagement read."""
    return {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/engagements/engagement-3-032034",
        "query_string": b"lang=ja&q=%E6%B8%AF",
        "headers": [(b"user-agent", b"curl/8")],
        "client": ("10.0.0.7", 5555),
        "route": _Route(),
        "path_params": {"engagement_id": "engagement-3-032034"},
        "state": {},
    } | extra


def test_an_entry_names_who_what_and_from_where() -> None:
    auditor = Principal("sub-1", "kansa", "田中 美咲", frozenset({Role.AUDITOR}))
    s = scope(state={"principal": auditor, "access_objects": ["official:o-1"]})

    entry = access_entry(s, personal_key(s) or "", 200, reader(s))

    assert (entry.actor, entry.actor_name, entry.roles) == ("user:kansa", "田中 美咲", ["auditor"])
    assert entry.route == "GET /api/v1/engagements/{engagement_id}"
    assert entry.objects == ["engagement:engagement-3-032034", "official:o-1"]
    assert entry.query == "lang=ja&q=港"
    assert (entry.client_ip, entry.user_agent, entry.status) == ("10.0.0.7", "curl/8", 200)


def test_the_page_session_names_the_reader_when_no_token_did() -> None:
    s = scope(session={"claims": {"sub": "s2", "preferred_username": "kansa", "roles": ["auditor"]}})
    principal = reader(s)
    assert principal is not None
    assert principal.actor == "user:kansa"


def test_what_is_recorded() -> None:
    someone = Principal("s", "kansa")
    assert recorded(someone, 200)
    assert recorded(someone, 403)
    assert recorded(someone, 404)
    assert recorded(None, 200)  # a read answered to no one identified is still a read
    assert not recorded(None, 401)
    assert not recorded(None, 303)  # sent to sign in: nothing read
    assert not recorded(someone, 429)


def test_health_and_unknown_routes_are_not_personal() -> None:
    class Health:
        path_format = "/api/v1/health"

    assert personal_key(scope(route=Health())) is None
    assert personal_key(scope(route=None)) is None
