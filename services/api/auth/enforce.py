"""The API's enforcement point: a dependency on every API route that consults the policy table (the back
office's pages apply the same table in services/api/web/guard.py, with the session's principal).

For each request it finds the matched route's rule (`policy.rule_for`; none → 403), lets public routes
through, authenticates the caller (a bearer token checked by `TokenValidator`), applies the caller's
rate limit, asks the table, and for a conditional grant checks the object (the engagement's team from
the workflow's state query, the date in the body). It runs before the route's own parameters are
validated and before any command is sent, so a refusal writes nothing. The principal is left on
`request.state.principal` for `PrincipalDep`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from schemas.views import EngagementState
from services.api.auth.policy import Rule, Verdict, decide, object_refusal, rule_for
from services.api.auth.principal import Principal
from services.api.auth.rate_limit import RateLimiter
from services.api.auth.tokens import IssuerUnavailable, TokenRejected, TokenValidator
from services.api.messages import message
from services.api.problems import Forbidden, NotFound, RateLimited, Unauthorized, Unavailable
from services.i18n.catalogue import both
from services.settings import Settings

REALM = "banso"


@dataclass
class Access:
    """What the enforcement point needs, built once per app (on `app.state.access`)."""

    validator: TokenValidator
    limiter: RateLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> Access:
        """The issuer and audience of the settings, their rate limit."""
        return cls(
            TokenValidator(settings.oidc_issuer or "", settings.oidc_audience),
            RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst),
        )


def _challenge(error: str | None = None, description: str | None = None) -> dict[str, str]:
    value = f'Bearer realm="{REALM}"'
    if error:
        value += f', error="{error}"'
    if description:
        value += f', error_description="{description}"'
    return {"WWW-Authenticate": value}


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header; TokenRejected for another scheme or an empty one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRejected("invalid_request", "Send the access token as Authorization: Bearer <token>")
    return token.strip()


def _unauthorized(err: TokenRejected | None) -> Unauthorized:
    if err is None:
        return Unauthorized(headers=_challenge())
    text = message("invalid_token" if err.error == "invalid_token" else "unauthorized")
    return Unauthorized(text.ja, f"{text.en} ({err.description})", headers=_challenge(err.error, err.description))


async def authenticate(request: Request, access: Access) -> Principal | None:
    """The caller: a valid bearer token's principal; None when no token is given."""
    try:
        token = bearer_token(request)
        if token is not None:
            return await access.validator.principal(token)
    except TokenRejected as err:
        raise _unauthorized(err) from err
    except IssuerUnavailable as err:
        text = message("issuer_unavailable")
        raise Unavailable(text.ja, text.en, code="issuer_unavailable") from err
    return None


async def enforce(request: Request) -> None:
    """Decide the request by the policy table (applied to every route of the app; see the module)."""
    access: Access = request.app.state.access
    route = request.scope.get("route")
    rule = rule_for(request.method, getattr(route, "path_format", None) or request.url.path)
    if rule is not None and rule.public:
        return
    principal = await authenticate(request, access)
    if principal is None:
        raise _unauthorized(None)
    request.state.principal = principal
    # The name shown for this actor on the pages (events record the id only).
    await request.app.state.actors.remember(principal.actor, principal.display_name)
    wait = access.limiter.take(
        principal.client_id if principal.is_client and principal.client_id else principal.subject
    )
    if wait is not None:
        raise RateLimited(retry_after=wait)
    await check(request, rule, principal, decide(rule, principal))


async def check(request: Request, rule: Rule | None, principal: Principal, verdict: Verdict) -> None:
    """Raise Forbidden unless `verdict` (with its object rule, if any) allows the request."""
    if verdict.allowed:
        return
    reason = verdict.reason
    if verdict.check is not None:
        state = await _engagement_state(request, verdict.check.param)
        body = await _body(request) if verdict.check.needs_body else {}
        reason = object_refusal(verdict.check, principal, state, body, request.path_params)
        if reason is None:
            return
    ja, en = both(reason) if reason is not None else message("forbidden")
    raise Forbidden(ja, en)


async def _engagement_state(request: Request, param: str) -> EngagementState | None:
    engagement_id = request.path_params.get(param)
    if not isinstance(engagement_id, str):
        return None
    try:
        state: EngagementState = await request.app.state.engagement_commands.state(engagement_id)
    except NotFound:
        return None  # no such engagement: the official is on no team of it
    return state


async def _body(request: Request) -> Mapping[str, Any]:
    """The request's JSON object or form fields (read once; the route reads the same cached body)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        value = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
