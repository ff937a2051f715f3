"""The enforcement point of the back office's pages and forms: the one policy table, the session's principal.

Every web router depends on `page_guard`. It finds the matched route's rule (`policy.rule_for`, by the
route's path template), and for anything not public: no signed-in session → sign in first; a post that
fails the CSRF check (foreign Origin/Referer, missing or wrong token) → 403 before the form is read for
its data; the roles → `policy.decide`; an object rule (an official and their engagements) → the
engagement's state and the form's date through `policy.object_refusal`. A refusal is a 403 page in the
reader's language with the policy's reason; nothing is written.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from services.api.auth.policy import ObjectRule, decide, object_refusal, rule_for
from services.api.auth.principal import Principal
from services.api.engagement_commands import EngagementCommands, valid_engagement_id
from services.api.problems import NotFound
from services.api.web.access import PageRefused, SignInRequired, validate_access_token
from services.api.web.csrf import csrf_ok, same_origin
from services.api.web.render import reader_lang, signed_in
from services.i18n.catalogue import translate
from services.i18n.message import Msg

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return route.path_format if isinstance(route, APIRoute) else request.url.path


async def _bearer_principal(request: Request) -> Principal | None:
    """A program's principal from `Authorization: Bearer` (checked like the API's); browsers send none."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PageRefused("signed_out")
    return Principal.from_claims(await validate_access_token(request, token.strip(), refused="signed_out"))


async def page_guard(request: Request) -> None:
    """Let the request through, or raise SignInRequired / PageRefused (a dependency of every web router).

    The principal is the session's (a browser) or a bearer token's (a program; such a request carries no
    ambient credential, so it needs no CSRF token, but a post must still come from no foreign origin).
    It is left on `request.state.principal` for the page and the form.
    """
    rule = rule_for(request.method, _template(request))
    bearer = await _bearer_principal(request)
    principal = bearer or signed_in(request)
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not same_origin(request):
        raise PageRefused("csrf")
    csrf_needed = unsafe and bearer is None and principal is not None
    if rule is not None and rule.public:
        if csrf_needed and not await csrf_ok(request):
            raise PageRefused("csrf")  # sign-out is a form too
        return
    if principal is None:
        raise SignInRequired()
    if csrf_needed and not await csrf_ok(request):
        raise PageRefused("csrf")
    request.state.principal = principal
    await request.app.state.actors.remember(principal.actor, principal.display_name)
    verdict = decide(rule, principal)
    if verdict.allowed:
        return
    reason = verdict.reason
    if verdict.check is not None:
        reason = await _object_refusal(request, verdict.check, principal)
        if reason is None:
            return
    raise PageRefused("forbidden", translate(reason, reader_lang(request)) if reason else None)


async def _object_refusal(request: Request, check: ObjectRule, principal: Principal) -> Msg | None:
    """Why the principal may not touch the engagement of this page or form (None: allowed)."""
    params: dict[str, Any] = dict(request.path_params)
    engagement_id = str(params.get(check.param, ""))
    commands: EngagementCommands = request.app.state.engagement_commands
    state = None
    if valid_engagement_id(engagement_id):
        try:
            state = await commands.state(engagement_id)
        except NotFound:
            state = None  # an unknown engagement: no membership, refused like any other
    body: dict[str, Any] = {}
    if check.needs_body and request.method not in SAFE_METHODS:
        body = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return object_refusal(check, principal, state, body, params)
