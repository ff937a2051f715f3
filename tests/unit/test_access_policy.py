"""The access policy, pure: every route of the app has a rule, roles and scopes decide, the object rules."""

from __future__ import annotations

from datetime import date

from fastapi.routing import iter_route_contexts

from schemas.events.base import OfficialRef
from schemas.views import EngagementState, Membership
from services.api.app import create_app
from services.api.auth.policy import (
    NOT_A_MEMBER,
    NOT_THIS_RECORD,
    NOT_YOUR_SURVEY,
    POLICY,
    ROLE_REFUSED,
    SCOPE_REFUSED,
    decide,
    object_refusal,
    route_key,
    rule_for,
)
from services.api.auth.principal import Principal, Role
from services.i18n.catalogue import both
from services.settings import Settings


def app_route_keys() -> set[str]:
    """Every route of the app as the table's keys (a mounted app as `* <path>`)."""
    keys: set[str] = set()
    for route in iter_route_contexts(create_app(Settings()).routes):
        if route.methods is None:
            keys.add(f"* {route.path}")
        else:
            keys |= {route_key(m, route.path_format or "") for m in route.methods if m != "HEAD"}
    return keys


def test_every_route_of_the_app_has_exactly_one_rule_and_the_table_names_no_other() -> None:
    keys = app_route_keys()
    assert not keys - set(POLICY), f"routes without a rule (refused until decided): {sorted(keys - set(POLICY))}"
    assert not set(POLICY) - keys, f"rules for routes that do not exist: {sorted(set(POLICY) - keys)}"


def test_a_route_missing_from_the_table_is_refused() -> None:
    admin = Principal("s", "kanri", roles=frozenset(Role))
    verdict = decide(rule_for("DELETE", "/api/v1/engagements/{engagement_id}"), admin)
    assert not verdict.allowed
    assert verdict.reason is not None


def person(*roles: Role, official_id: str | None = None) -> Principal:
    return Principal("sub", "someone", roles=frozenset(roles), official_id=official_id)


def test_roles_scopes_and_refusals() -> None:
    approve = rule_for("POST", "/api/v1/periods/{period}/proposal/approval")
    assert decide(approve, person(Role.ADMIN)).allowed
    assert decide(approve, person(Role.STAFF)).reason == ROLE_REFUSED
    events = rule_for("GET", "/api/v1/engagements/{engagement_id}/events")
    client = Principal(
        "sub", None, roles=frozenset({Role.INTEGRATION}), client_id="c", scopes=frozenset({"events:read"})
    )
    assert decide(events, client).allowed
    detail = rule_for("GET", "/api/v1/engagements/{engagement_id}")
    assert decide(detail, client).reason == SCOPE_REFUSED
    assert decide(rule_for("GET", "/api/v1/health"), Principal("")).allowed
    assert decide(rule_for("HEAD", "/docs"), Principal("")).allowed
    check = decide(detail, person(Role.OFFICIAL, official_id="o1")).check
    assert check is not None
    assert not check.on_date


def test_actor_is_the_user_or_the_client() -> None:
    assert person(Role.STAFF).actor == "user:someone"
    service = Principal("sub", "service-account-banso-integration", roles=frozenset({Role.INTEGRATION}), client_id="x")
    assert service.actor == "client:x"
    claims = {"sub": "1", "preferred_username": "shienkan", "roles": ["official", "offline_access"], "official_id": "o"}
    p = Principal.from_claims(claims | {"realm_access": {"roles": ["staff"]}, "scope": "profile email"})
    assert p.roles == {Role.OFFICIAL, Role.STAFF}
    assert p.official_id == "o"
    assert p.scopes == {"profile", "email"}
    assert both(Role.OFFICIAL.label) == ("支援官", "Support official")


def _state(*memberships: Membership) -> EngagementState:
    return EngagementState(engagement_id="engagement-9-131016", memberships=list(memberships))


MEMBER = Membership(
    official=OfficialRef(official_id="o1", name="石川 亨", ministry="国土交通省"),
    joined_on=date(2026, 4, 1),
    left_on=date(2026, 10, 1),
)


def test_an_official_records_only_on_a_team_they_are_on_at_that_date() -> None:
    official = person(Role.OFFICIAL, official_id="o1")
    record = rule_for("POST", "/api/v1/engagements/{engagement_id}/activities")
    check = decide(record, official).check
    assert check is not None
    assert object_refusal(check, official, _state(MEMBER), {"start_date": "2026-05-01"}, {}) is None
    refused = object_refusal(check, official, _state(MEMBER), {"start_date": "2026-10-01"}, {})
    assert refused is not None
    assert refused.params == {"day": "2026-10-01"}
    other = person(Role.OFFICIAL, official_id="o2")
    assert object_refusal(check, other, _state(MEMBER), {"start_date": "2026-05-01"}, {}) is not None
    read = decide(rule_for("GET", "/api/v1/engagements/{engagement_id}"), official).check
    assert read is not None
    assert object_refusal(read, official, _state(MEMBER), {}, {}) is None  # was on it: still reads it
    assert object_refusal(read, other, _state(MEMBER), {}, {}) == NOT_A_MEMBER
    survey = decide(rule_for("POST", "/api/v1/engagements/{engagement_id}/surveys"), official).check
    assert survey is not None
    body = {"answered_on": "2026-05-01", "official_id": "o2"}
    assert object_refusal(survey, official, _state(MEMBER), body, {}) == NOT_YOUR_SURVEY
    form = decide(rule_for("POST", "/engagements/{engagement_id}/record/{what}"), official).check
    assert form is not None
    assert object_refusal(form, official, _state(MEMBER), {}, {"what": "coordination"}) == NOT_THIS_RECORD
