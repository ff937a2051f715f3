"""The one access policy: which roles may call each route of the app, and the object rules on top.

Every route of the app (API, web pages and forms, documentation, static files) has one entry in
`POLICY`, keyed by `"<METHOD> <path template>"` (`"* <path>"` for a mounted app). A route without an
entry is refused (deny by default: `rule_for` answers None, the enforcement point answers 403), and
`tests/integration/test_access_matrix.py` enumerates `app.routes` against every role so a new route
cannot ship without deciding who may call it.

A rule names the roles that may always call the route (`roles`), the roles that may call it only when an
object rule holds (`when`: an official reads only engagements they are or were on, and records only on an
engagement they are on at the date recorded), and the scopes that let an integration client call it
(`scopes`: a client reads what its scopes name and nothing else; the role alone grants nothing). This
module is pure: the enforcement point (`services/api/auth/enforce.py`) brings the principal, the
engagement's state and the request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from schemas.calendar import JST
from schemas.views import EngagementState
from services.api.auth.principal import Principal, Role
from services.i18n.message import N_, Msg

STAFF, OFFICIAL, ANALYST, AUDITOR, INTEGRATION, ADMIN = (
    Role.STAFF,
    Role.OFFICIAL,
    Role.ANALYST,
    Role.AUDITOR,
    Role.INTEGRATION,
    Role.ADMIN,
)
ENGAGEMENTS_READ = "engagements:read"
EVENTS_READ = "events:read"
WEBHOOKS_MANAGE = "webhooks:manage"

# The reasons a refusal gives (403), in the catalogue.
ROLE_REFUSED = Msg(N_("Your role does not allow this"))
SCOPE_REFUSED = Msg(N_("This client's scopes do not allow this"))
NO_POLICY = Msg(N_("No access rule covers this resource, so it is refused"))
NOT_A_MEMBER = Msg(N_("You may only read engagements whose team you are or were on"))
NOT_ON_TEAM_THEN = Msg(N_("You may only record on an engagement whose team you are on at that date (%(day)s)"))
NOT_YOUR_SURVEY = Msg(N_("You may only record your own survey answers"))
NOT_THIS_RECORD = Msg(N_("Your role may not record this kind of entry"))
NO_OFFICIAL_ID = Msg(N_("Your account is not linked to an official"))


@dataclass(frozen=True)
class ObjectRule:
    """A condition on the engagement a route touches, checked for the roles a rule names in `when`.

    `on_date` False: the principal's official must be or have been on the engagement's team.
    `on_date` True: on the team at the date the body records (the first of `date_fields` present,
    else today in JST); `own_field` names a body field that must be the principal's own official id;
    `kinds` limits a route with a `what` path parameter (the web form) to these kinds.
    """

    on_date: bool = False
    date_fields: tuple[str, ...] = ()
    own_field: str | None = None
    kinds: frozenset[str] | None = None
    param: str = "engagement_id"

    @property
    def needs_body(self) -> bool:
        """Whether the check reads the request body."""
        return self.on_date or self.own_field is not None


MEMBER_EVER = ObjectRule()


def member_on(*date_fields: str, own_field: str | None = None, kinds: frozenset[str] | None = None) -> ObjectRule:
    """On the team at the date in the first of `date_fields` the body gives (today when none)."""
    return ObjectRule(on_date=True, date_fields=date_fields, own_field=own_field, kinds=kinds)


@dataclass(frozen=True)
class Rule:
    """Who may call one route."""

    roles: frozenset[Role] = frozenset()
    when: Mapping[Role, ObjectRule] = field(default_factory=dict)
    scopes: frozenset[str] = frozenset()
    public: bool = False

    def allowed_roles(self) -> frozenset[Role]:
        """Every role that may call the route at all (conditionally or not; INTEGRATION with scopes)."""
        extra = {INTEGRATION} if self.scopes else set()
        return self.roles | frozenset(self.when) | frozenset(extra)


def _rule(*roles: Role, when: Mapping[Role, ObjectRule] | None = None, scopes: tuple[str, ...] = ()) -> Rule:
    return Rule(roles=frozenset(roles), when=dict(when or {}), scopes=frozenset(scopes))


PUBLIC = Rule(public=True)
# who writes on engagements and runs periods
OPERATE = _rule(STAFF, ADMIN)
ADMIN_ONLY = _rule(ADMIN)
# reading one engagement: staff, admin, analysts, auditors; an official only engagements they were on
READ_ENGAGEMENT = _rule(STAFF, ADMIN, ANALYST, AUDITOR, when={OFFICIAL: MEMBER_EVER}, scopes=(ENGAGEMENTS_READ,))
# lists of engagements (they name teams): not officials (the overview page is theirs)
LIST_ENGAGEMENTS = _rule(STAFF, ADMIN, ANALYST, AUDITOR, scopes=(ENGAGEMENTS_READ,))
# an engagement's log: auditors read every log; staff and admin theirs to run; officials their own
READ_LOG = _rule(STAFF, ADMIN, AUDITOR, when={OFFICIAL: MEMBER_EVER}, scopes=(EVENTS_READ,))
READ_OTHER_LOG = _rule(STAFF, ADMIN, AUDITOR)
READ_PERIOD = _rule(STAFF, ADMIN, AUDITOR)
# the graph: search, connections, similarity
READ_GRAPH = _rule(STAFF, ADMIN, ANALYST)
# names and posts of officials (personal data)
READ_OFFICIALS = _rule(STAFF, ADMIN, ANALYST, AUDITOR)
# reference data without personal data: every person
READ_REFERENCE = _rule(STAFF, ADMIN, ANALYST, AUDITOR, OFFICIAL)
RECORD_ACTIVITY = _rule(STAFF, ADMIN, when={OFFICIAL: member_on("start_date")})
RECORD_OUTCOME = _rule(STAFF, ADMIN, when={OFFICIAL: member_on("recorded_on")})
# corrections and retractions: staff and admin; an official on engagements they were on (the workflow checks
# the corrected record's dates and people as it would a new one)
CORRECT = _rule(STAFF, ADMIN, when={OFFICIAL: MEMBER_EVER})
RECORD_SURVEY = _rule(STAFF, ADMIN, when={OFFICIAL: member_on("answered_on", own_field="official_id")})
OVERVIEW = _rule(STAFF, ADMIN, ANALYST, AUDITOR, OFFICIAL)
# the global event feed (every stream, personal data included): auditors, staff, admin; clients with events:read
READ_FEED = _rule(STAFF, ADMIN, AUDITOR, scopes=(EVENTS_READ,))
# who read what (services/api/access_log.py): auditors, and admin
READ_ACCESS_LOG = _rule(AUDITOR, ADMIN)
# bulk exports (tables, the period's reports): what the engagement list and officials' list may read, in one
# file; they name officials (READ_OFFICIALS' roles) and teams, so not officials; clients with engagements:read
EXPORT = _rule(STAFF, ADMIN, ANALYST, AUDITOR, scopes=(ENGAGEMENTS_READ,))

# signed audit bundles: the roles that read every log (auditors, staff, admin); the public key is public
AUDIT_BUNDLE = _rule(STAFF, ADMIN, AUDITOR)
# webhook subscriptions: integration clients with webhooks:manage (their own), staff and admin (all)
MANAGE_WEBHOOKS = _rule(STAFF, ADMIN, scopes=(WEBHOOKS_MANAGE,))

# the programme's own paperwork (支援旅費 amounts, 併任 details, the roster and the travel ledger): money and
# personnel data, read by the roles that run the programme and the ones that audit it; never analysts,
# officials or integration clients (no scope grants it). Every such read is in the access log.
MONEY_ROLES = frozenset({STAFF, ADMIN, AUDITOR})
MONEY = _rule(*MONEY_ROLES)

E = "/api/v1/engagements/{engagement_id}"
P = "/api/v1/periods/{period}"

POLICY: dict[str, Rule] = {
    # documentation, health and static files
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    "GET /api/v1/health": PUBLIC,
    "* /static": PUBLIC,
    "* /vendor/cytoscape": PUBLIC,
    "* /vendor/htmx": PUBLIC,
    "* /vendor/echarts": PUBLIC,
    "* /vendor/japan": PUBLIC,
    # engagements: the lifecycle
    "POST /api/v1/applications": OPERATE,
    f"POST {E}/team": OPERATE,
    f"POST {E}/kickoff": OPERATE,
    f"POST {E}/activities": RECORD_ACTIVITY,
    f"POST {E}/outcomes": RECORD_OUTCOME,
    f"POST {E}/close": OPERATE,
    f"POST {E}/withdraw": OPERATE,
    "GET /api/v1/engagements": LIST_ENGAGEMENTS,
    f"GET {E}": READ_ENGAGEMENT,
    f"GET {E}/events": READ_LOG,
    f"GET {E}/report": READ_ENGAGEMENT,
    f"GET {E}/state": READ_ENGAGEMENT,
    # engagements: the other records
    f"POST {E}/application-withdrawal": OPERATE,
    f"POST {E}/members": OPERATE,
    f"POST {E}/member-departures": OPERATE,
    f"POST {E}/themes": OPERATE,
    f"POST {E}/coordinations": OPERATE,
    f"POST {E}/support-flows": OPERATE,
    f"POST {E}/introductions": OPERATE,
    f"POST {E}/funding-applications": OPERATE,
    f"POST {E}/reports": OPERATE,
    f"POST {E}/surveys": RECORD_SURVEY,
    f"POST {E}/corrections": CORRECT,
    f"POST {E}/retractions": CORRECT,
    f"POST {E}/policy-feedback": OPERATE,
    # reference data: admin manages it
    "POST /api/v1/officials": ADMIN_ONLY,
    "POST /api/v1/officials/{official_id}/post-changes": ADMIN_ONLY,
    "GET /api/v1/officials/{official_id}/events": READ_OTHER_LOG,
    "POST /api/v1/bodies": ADMIN_ONLY,
    "POST /api/v1/prefectures": ADMIN_ONLY,
    "GET /api/v1/prefectures": READ_REFERENCE,
    "GET /api/v1/municipalities": READ_REFERENCE,
    "GET /api/v1/ministries": READ_REFERENCE,
    "GET /api/v1/regional-bureaus": READ_REFERENCE,
    "GET /api/v1/funding-programmes": READ_REFERENCE,
    "GET /api/v1/officials": READ_OFFICIALS,
    # the graph: search, connections, reuse
    "GET /api/v1/experts": READ_GRAPH,
    "GET /api/v1/connections": READ_GRAPH,
    f"GET {E}/similar": READ_GRAPH,
    f"GET {E}/programme-reuse": READ_GRAPH,
    "GET /api/v1/collaborators": READ_GRAPH,
    # periods: admin opens and approves, staff run the intake and the matching
    "POST /api/v1/periods": ADMIN_ONLY,
    f"GET {P}": READ_PERIOD,
    f"GET {P}/volunteers": READ_PERIOD,
    f"POST {P}/volunteers": OPERATE,
    f"GET {P}/applications": READ_PERIOD,
    f"POST {P}/applications": OPERATE,
    f"POST {P}/intake-closure": OPERATE,
    f"POST {P}/matching-runs": OPERATE,
    f"GET {P}/proposal": READ_PERIOD,
    f"POST {P}/proposal/edits": OPERATE,
    f"POST {P}/proposal/approval": ADMIN_ONLY,
    f"POST {P}/summary": OPERATE,
    f"GET {P}/events": READ_OTHER_LOG,
    # the global event feed, pulled by cursor or pushed as Server-Sent Events
    "GET /api/v1/feed": READ_FEED,
    "GET /api/v1/feed/stream": READ_FEED,
    # bulk import of past periods: staff and admin upload, follow the job and download the template
    "POST /api/v1/imports": OPERATE,
    "GET /api/v1/imports/template.xlsx": OPERATE,
    "GET /api/v1/imports/{job_id}": OPERATE,
    # who read what: the access log and its verification
    "GET /api/v1/access-log": READ_ACCESS_LOG,
    "GET /api/v1/access-log/verify": READ_ACCESS_LOG,
    "GET /access-log": READ_ACCESS_LOG,
    # Temporal UI's codec (decrypts payloads): staff and admin
    "POST /api/v1/codec/decode": OPERATE,
    "POST /api/v1/codec/encode": OPERATE,
    # the back office (decided by services/api/web/guard.py from the same rules)
    "GET /": OVERVIEW,
    "GET /engagements": LIST_ENGAGEMENTS,
    "GET /engagements/{engagement_id}": READ_ENGAGEMENT,
    "GET /engagements/{engagement_id}/report": READ_ENGAGEMENT,
    "GET /engagements/{engagement_id}/audit": READ_LOG,
    "GET /experts": READ_GRAPH,
    "GET /explorer": READ_GRAPH,
    "GET /explorer/neighbours": READ_GRAPH,
    "GET /periods": READ_PERIOD,
    "GET /periods/{period}": READ_PERIOD,
    "POST /engagements/{engagement_id}/record/{what}": _rule(
        STAFF,
        ADMIN,
        when={OFFICIAL: member_on("start_date", "recorded_on", kinds=frozenset({"activity", "outcome"}))},
    ),
    "GET /engagements/{engagement_id}/events/{event_id}/correct": CORRECT,
    "POST /engagements/{engagement_id}/events/{event_id}/correct": CORRECT,
    "POST /engagements/{engagement_id}/events/{event_id}/retract": CORRECT,
    "POST /periods/{period}/edit": OPERATE,
    "POST /periods/{period}/approve": ADMIN_ONLY,
    "POST /periods/{period}/rerun": OPERATE,
    "GET /engagements/{engagement_id}/audit/log.json": READ_LOG,
    # web sign-in (C2): reached before anyone is signed in; sign-out is a form (CSRF-checked)
    "GET /auth/login": PUBLIC,
    "GET /auth/callback": PUBLIC,
    "GET /auth/signed-out": PUBLIC,
    "POST /auth/logout": PUBLIC,
    # exports (services/api/routers/exports.py) and the back office's download links
    "GET /api/v1/exports/{table}.csv": EXPORT,
    "GET /api/v1/exports/{table}.jsonl": EXPORT,
    "GET /api/v1/exports/{table}.xlsx": EXPORT,
    "GET /api/v1/exports/all.zip": EXPORT,
    f"GET {P}/reports.pdf": EXPORT,
    "GET /exports/{table}.csv": EXPORT,
    "GET /exports/{table}.xlsx": EXPORT,
    "GET /exports/all.zip": EXPORT,
    "GET /periods/{period}/reports.pdf": EXPORT,
    # the period page's paperwork downloads (services/api/web/paperwork_downloads.py): money and personnel data
    "GET /periods/{period}/roster.csv": MONEY,
    "GET /periods/{period}/roster.xlsx": MONEY,
    "GET /periods/{period}/travel-ledger.csv": MONEY,
    "GET /periods/{period}/travel-ledger.xlsx": MONEY,
    # the paperwork forms (services/api/web/paperwork_forms.py): what the API's paperwork writes allow
    "POST /engagements/{engagement_id}/travel/{what}": OPERATE,
    "POST /periods/{period}/appointments/{what}": OPERATE,
    # signed audit bundles (services/api/routers/audit.py)
    "GET /api/v1/audit/public-key": PUBLIC,
    "GET /api/v1/audit/engagements/{engagement_id}/bundle.zip": AUDIT_BUNDLE,
    "GET /api/v1/audit/periods/{period}/bundle.zip": AUDIT_BUNDLE,
    # webhook subscriptions (services/api/routers/webhooks.py) and the back office's page
    "POST /api/v1/webhooks": MANAGE_WEBHOOKS,
    "GET /api/v1/webhooks": MANAGE_WEBHOOKS,
    "GET /api/v1/webhooks/{subscription_id}": MANAGE_WEBHOOKS,
    "DELETE /api/v1/webhooks/{subscription_id}": MANAGE_WEBHOOKS,
    "POST /api/v1/webhooks/{subscription_id}/pause": MANAGE_WEBHOOKS,
    "POST /api/v1/webhooks/{subscription_id}/resume": MANAGE_WEBHOOKS,
    "POST /api/v1/webhooks/{subscription_id}/redeliveries": MANAGE_WEBHOOKS,
    "GET /api/v1/webhooks/{subscription_id}/deliveries": MANAGE_WEBHOOKS,
    "GET /webhooks": OPERATE,
    "POST /webhooks": OPERATE,
    "POST /webhooks/{subscription_id}/{action}": OPERATE,
    # the programme's paperwork (services/api/routers/paperwork.py): 併任 and 支援旅費. Staff and admin record
    # appointments, plans and settlements (the daily work of the programme office); the period's travel
    # budget and the rate tables are decisions about the Cabinet Office's money, so admin alone (as opening
    # and approving a period, and as every other reference data set). Reads: MONEY.
    f"POST {P}/appointments": OPERATE,
    f"POST {P}/appointments/{{official_id}}/changes": OPERATE,
    f"POST {P}/appointments/{{official_id}}/end": OPERATE,
    f"GET {P}/appointments": MONEY,
    f"GET {P}/appointments/gaps": MONEY,
    f"GET {P}/roster.csv": MONEY,
    f"GET {P}/roster.xlsx": MONEY,
    f"POST {P}/travel-budget": ADMIN_ONLY,
    f"GET {P}/travel": MONEY,
    f"GET {P}/travel-ledger.csv": MONEY,
    f"GET {P}/travel-ledger.xlsx": MONEY,
    f"POST {E}/travel-plans": OPERATE,
    f"POST {E}/travel-settlements": OPERATE,
    f"GET {E}/travel": MONEY,
    "POST /api/v1/travel-rates": ADMIN_ONLY,
    "GET /api/v1/travel-rates": MONEY,
}


def sees_money(principal: Principal) -> bool:
    """Whether `principal` may read amounts and appointment details (else event reads are redacted)."""
    return principal.has(*MONEY_ROLES)


def route_key(method: str, path: str) -> str:
    """The table's key for a request's method and matched path template (HEAD is decided as GET)."""
    return f"{'GET' if method == 'HEAD' else method} {path}"


def rule_for(method: str, path: str) -> Rule | None:
    """The rule of a route (or of the mounted app at `path`); None when the table has none (refused)."""
    return POLICY.get(route_key(method, path)) or POLICY.get(f"* {path}")


@dataclass(frozen=True)
class Verdict:
    """The table's answer for one principal: allowed, refused with a reason, or allowed if `check` holds."""

    allowed: bool
    reason: Msg | None = None
    check: ObjectRule | None = None


ALLOW = Verdict(True)


def decide(rule: Rule | None, principal: Principal) -> Verdict:
    """What the table says for `principal` before looking at the object (roles, then scopes)."""
    if rule is None:
        return Verdict(False, NO_POLICY)
    if rule.public or principal.has(*rule.roles):
        return ALLOW
    if INTEGRATION in principal.roles and rule.scopes:
        if not principal.scopes.isdisjoint(rule.scopes):
            return ALLOW
        if not any(r in principal.roles for r in rule.when):
            return Verdict(False, SCOPE_REFUSED)
    for role, check in rule.when.items():
        if role in principal.roles:
            return Verdict(False, None, check)
    return Verdict(False, ROLE_REFUSED)


def object_refusal(
    check: ObjectRule,
    principal: Principal,
    state: EngagementState | None,
    body: Mapping[str, Any],
    params: Mapping[str, Any],
) -> Msg | None:
    """Why `principal` may not touch this engagement under `check` (None: allowed). Pure."""
    if check.kinds is not None and str(params.get("what", "")) not in check.kinds:
        return NOT_THIS_RECORD
    official = principal.official_id
    if not official:
        return NO_OFFICIAL_ID
    memberships = state.memberships if state is not None else []
    if not check.on_date:
        return None if any(m.official.official_id == official for m in memberships) else NOT_A_MEMBER
    if check.own_field is not None and body.get(check.own_field) != official:
        return NOT_YOUR_SURVEY
    day = record_date(body, check.date_fields)
    if any(m.official.official_id == official and m.active_on(day) for m in memberships):
        return None
    return Msg(NOT_ON_TEAM_THEN.id, {"day": day.isoformat()})


def record_date(body: Mapping[str, Any], fields: tuple[str, ...]) -> date:
    """The date a body records (the first of `fields` given as an ISO date), else today in JST."""
    for name in fields:
        value = body.get(name)
        if isinstance(value, str) and value.strip():
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                continue
    return datetime.now(JST).date()
