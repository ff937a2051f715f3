"""Who read what, at the edge: every answer of a route that reads personal data leaves an access record first.

`PERSONAL` names those routes by their key in the policy table (`"GET /api/v1/engagements/{engagement_id}"`,
services/api/auth/policy.py); every other GET route of the app is named in `NOT_PERSONAL` or is public
(tests/unit/test_access_log_routes.py fails on a route in neither). `AccessRecorder`, a plain ASGI
middleware, holds back the start of such an answer until its record — who (the principal the policy's
enforcement left on `request.state.principal`), what (route, path, the ids in the path and those the
route noted with `note_read`, the query), when, from where, the status — is committed in the access log
(services/graph/store/access_log.py). When the record cannot be written the answer is replaced by a 503:
no personal read is answered without its record.

Not recorded: 429 (refused before reading), and an answer other than 2xx to someone not identified (a
401, the sign-in redirect: nothing read). Every other status is: a 403 or 404 is an attempt an auditor
wants to see.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.access_log import AccessEntry
from schemas.envelope import format_time
from services.api.auth.policy import route_key
from services.api.auth.principal import Principal
from services.api.outages import engine_outage
from services.api.problems import API_PREFIX, Unavailable, problem_response
from services.graph.errors import GraphError
from services.graph.store.access_log import AccessLog

log = logging.getLogger("banso.access")

E = "/api/v1/engagements/{engagement_id}"
P = "/api/v1/periods/{period}"

# The routes whose answer carries personal data (officials' names, posts, teams, notes, who read what).
PERSONAL: frozenset[str] = frozenset(
    {
        f"GET {E}",
        f"GET {E}/events",
        f"GET {E}/report",
        f"GET {E}/state",
        "GET /api/v1/officials",
        "GET /api/v1/officials/{official_id}/events",
        "GET /api/v1/experts",
        "GET /api/v1/connections",
        "GET /api/v1/collaborators",
        f"GET {P}/volunteers",
        f"GET {P}/proposal",
        f"GET {P}/events",
        "GET /api/v1/access-log",
        # an import job's report quotes the file's rows (officials' names among them)
        "GET /api/v1/imports/{job_id}",
        "GET /api/v1/feed",
        "GET /api/v1/feed/stream",
        # the back office
        "GET /engagements/{engagement_id}",
        "GET /engagements/{engagement_id}/report",
        "GET /engagements/{engagement_id}/audit",
        "GET /engagements/{engagement_id}/events/{event_id}/correct",
        "GET /engagements/{engagement_id}/audit/log.json",
        "GET /experts",
        "GET /explorer/neighbours",
        "GET /periods/{period}",
        "GET /access-log",
        # exports: officials' names (participation, activities' participants, the reports)
        "GET /api/v1/exports/{table}.csv",
        "GET /api/v1/exports/{table}.jsonl",
        "GET /api/v1/exports/{table}.xlsx",
        "GET /api/v1/exports/all.zip",
        f"GET {P}/reports.pdf",
        "GET /exports/{table}.csv",
        "GET /exports/{table}.xlsx",
        "GET /exports/all.zip",
        "GET /periods/{period}/reports.pdf",
        # the cockpit: for staff, admin and auditors it pictures the period's 支援旅費 (amounts are money data)
        "GET /",
        # the period page's paperwork downloads: the 名簿 and the 支援旅費 ledger
        "GET /periods/{period}/roster.csv",
        "GET /periods/{period}/roster.xlsx",
        "GET /periods/{period}/travel-ledger.csv",
        "GET /periods/{period}/travel-ledger.xlsx",
        # signed audit bundles: every event, with officials' names
        "GET /api/v1/audit/engagements/{engagement_id}/bundle.zip",
        "GET /api/v1/audit/periods/{period}/bundle.zip",
        # the programme's paperwork: 支援旅費 amounts and 併任 details (money and personnel data)
        f"GET {P}/appointments",
        f"GET {P}/appointments/gaps",
        f"GET {P}/roster.csv",
        f"GET {P}/roster.xlsx",
        f"GET {P}/travel",
        f"GET {P}/travel-ledger.csv",
        f"GET {P}/travel-ledger.xlsx",
        f"GET {E}/travel",
        "GET /api/v1/travel-rates",
    }
)

# GET routes that read no personal data: counts, municipalities, reference data, the chain's verdict.
NOT_PERSONAL: frozenset[str] = frozenset(
    {
        "GET /api/v1/engagements",
        f"GET {E}/similar",
        f"GET {E}/programme-reuse",
        "GET /api/v1/prefectures",
        "GET /api/v1/municipalities",
        "GET /api/v1/ministries",
        "GET /api/v1/regional-bureaus",
        "GET /api/v1/funding-programmes",
        f"GET {P}",
        f"GET {P}/applications",
        "GET /api/v1/access-log/verify",
        "GET /engagements",
        "GET /explorer",
        "GET /periods",
        # webhook subscriptions and their delivery logs: URLs, event ids and statuses, no person's data
        "GET /api/v1/webhooks",
        "GET /api/v1/webhooks/{subscription_id}",
        "GET /api/v1/webhooks/{subscription_id}/deliveries",
        "GET /webhooks",
        "GET /api/v1/imports/template.xlsx",
    }
)

# Path parameters that name what was read, and the kind each is recorded under.
PATH_OBJECTS = {"engagement_id": "engagement", "official_id": "official", "period": "period"}
NOTED = "access_objects"
MAX_TEXT = 1000


def note_read(request: Request, kind: str, ids: Iterable[str]) -> None:
    """Add what the answer shows beyond its path (e.g. the officials a search found) to the access record."""
    noted: list[str] = getattr(request.state, NOTED, [])
    setattr(request.state, NOTED, [*noted, *(f"{kind}:{i}" for i in ids)])


def personal_key(scope: Scope) -> str | None:
    """The matched route's policy key when it reads personal data, else None."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if path is None:
        return None
    key = route_key(str(scope.get("method", "GET")), str(path))
    return key if key in PERSONAL else None


def _objects(scope: Scope, state: Mapping[str, Any]) -> list[str]:
    params: Mapping[str, Any] = scope.get("path_params") or {}
    found = [f"{kind}:{params[name]}" for name, kind in PATH_OBJECTS.items() if name in params]
    for item in state.get(NOTED, []):
        if item not in found:
            found.append(item)
    return found


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))[:MAX_TEXT]
    return None


def reader(scope: Scope) -> Principal | None:
    """Who is reading: the principal the enforcement point left (a bearer token), else the page's session's."""
    state: Mapping[str, Any] = scope.get("state") or {}
    principal = state.get("principal")
    if isinstance(principal, Principal):
        return principal
    session = scope.get("session")
    claims = session.get("claims") if isinstance(session, dict) else None
    return Principal.from_claims(claims) if isinstance(claims, dict) and claims.get("sub") else None


def recorded(principal: Principal | None, status: int) -> bool:
    """Whether an answer leaves a record: not a 429, and not a refusal of someone not identified."""
    return status != 429 and (principal is not None or 200 <= status < 300)


def access_entry(scope: Scope, key: str, status: int, principal: Principal | None) -> AccessEntry:
    """The record of one answer: who read, what from the route, from where."""
    state: Mapping[str, Any] = scope.get("state") or {}
    query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))[:MAX_TEXT] or None
    client = scope.get("client")
    return AccessEntry(
        id=str(uuid.uuid4()),
        time=format_time(datetime.now(UTC)),
        actor=principal.actor if principal else "anonymous",
        actor_name=principal.display_name if principal else None,
        roles=[str(r) for r in sorted(principal.roles)] if principal else [],
        route=key,
        method=str(scope.get("method", "GET")),
        path=str(scope.get("path", "")),
        objects=_objects(scope, state),
        query=query,
        client_ip=str(client[0]) if client else None,
        user_agent=_header(scope, b"user-agent"),
        status=status,
    )


Refusal = Callable[[Request], Response]


class AccessRecorder:
    """Holds back each personal answer until its access record is committed; a 503 when it cannot be.

    It sits between the app's exception handlers and the routes' answers, so refusals (403/404) and
    outages answered as problems pass through it as answers and are recorded with their status.
    """

    def __init__(self, app: ASGIApp, *, unavailable: Refusal) -> None:
        self.app = app
        self.unavailable = unavailable  # how a 503 is answered here (problem+json, or a page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # the same dict request.state writes to (principal, noted objects)
        answered = {"start": False, "replaced": False}

        async def send_after_record(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered["start"] = True
                key = personal_key(scope)
                if key is not None and not await self._record(scope, key, int(message["status"])):
                    answered["replaced"] = True
                    await self.unavailable(Request(scope))(scope, receive, send)
                    return
            elif answered["replaced"]:
                return  # the held-back answer's body is dropped: the 503 went out instead
            await send(message)

        try:
            await self.app(scope, receive, send_after_record)
        except Exception:
            key = personal_key(scope)
            if key is not None and not answered["start"]:
                await self._record(scope, key, 500)  # an unexpected error: the attempt is still recorded
            raise

    async def _record(self, scope: Scope, key: str, status: int) -> bool:
        principal = reader(scope)
        if not recorded(principal, status):
            return True
        access_log: AccessLog = scope["app"].state.access_log
        entry = access_entry(scope, key, status, principal)
        try:
            await access_log.append(entry)
        except GraphError as err:
            log.warning("access record not written, answering 503 on %s: %s", entry.path, err)
            return False
        except Exception as err:
            if engine_outage(err) is None:
                raise
            log.warning("access record not written, answering 503 on %s: %s", entry.path, err)
            return False
        return True


def unavailable_answer(page: Callable[[Request, Unavailable], Response]) -> Refusal:
    """The 503 of a personal read whose record could not be written: a page outside /api/, else problem+json."""

    def answer(request: Request) -> Response:
        problem = Unavailable()
        if not request.url.path.startswith(API_PREFIX):
            return page(request, problem)
        return problem_response(
            request.url.path,
            problem.status,
            problem.code,
            problem.detail_ja,
            problem.detail_en,
            retry_after=problem.retry_after,
        )

    return answer
