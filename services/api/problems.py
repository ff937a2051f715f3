"""RFC 9457 problem details: expected errors carry their status; one handler renders them all."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.problem import Problem
from services.api.messages import MESSAGES, message
from services.api.outages import OUTAGE_TYPES, engine_outage
from services.i18n.validation import error_text, summary

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Starlette's own HTTP errors (an unknown path, a wrong method) → the catalogue entry for detail_ja.
HTTP_MESSAGES = {404: "no_route", 405: "method_not_allowed"}
log = logging.getLogger("banso.api")


class ProblemError(Exception):
    """An expected failure that the API answers with a problem document."""

    status = 500
    code = "internal_error"
    retry_after: int | None = None  # seconds; sent as the Retry-After header when set

    def __init__(
        self,
        detail_ja: str | None = None,
        detail_en: str | None = None,
        *,
        code: str | None = None,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code or type(self).code
        default = MESSAGES.get(self.code, MESSAGES[type(self).code])
        self.detail_ja = detail_ja or default.ja
        self.detail_en = detail_en or default.en
        if retry_after is not None:
            self.retry_after = retry_after
        self.headers = dict(headers or {})  # e.g. WWW-Authenticate on a 401
        super().__init__(self.detail_en)


class NotFound(ProblemError):
    """The engagement does not exist (404)."""

    status = 404
    code = "not_found"


class InvalidInput(ProblemError):
    """A body that parses but breaks a rule checked outside the model (422)."""

    status = 422
    code = "validation_error"


class Conflict(ProblemError):
    """The lifecycle does not allow the command now (409)."""

    status = 409
    code = "lifecycle_violation"


class ChainBroken(ProblemError):
    """The stored log no longer matches the workflow's chain head; nothing was written (500)."""

    status = 500
    code = "chain_conflict"


class Unauthorized(ProblemError):
    """No valid bearer token: missing, expired, forged, another issuer or audience (401, WWW-Authenticate)."""

    status = 401
    code = "unauthorized"


class Forbidden(ProblemError):
    """The caller's role, scopes or relation to the object do not allow this; nothing was written (403)."""

    status = 403
    code = "forbidden"


class RateLimited(ProblemError):
    """This caller sent more requests than its rate allows; retry after Retry-After (429)."""

    status = 429
    code = "rate_limited"
    retry_after = 1


class Busy(ProblemError):
    """Too many commands for one workflow at once; retry after a moment with the same Idempotency-Key (429)."""

    status = 429
    code = "busy"
    retry_after = 1


class Unavailable(ProblemError):
    """Temporal or Neo4j cannot be reached (503)."""

    status = 503
    code = "unavailable"
    retry_after = 5


class Timeout(ProblemError):
    """The command was accepted but did not finish in time, e.g. no worker is running (504)."""

    status = 504
    code = "timeout"
    retry_after = 10


def problem_response(
    instance: str,
    status: int,
    code: str,
    detail_ja: str,
    detail_en: str,
    *,
    title_code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    retry_after: int | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """One problem+json response (with Retry-After when the client should come back later)."""
    title = MESSAGES.get(title_code or code, MESSAGES["internal_error"])
    problem = Problem(
        type=f"/problems/{code.replace('_', '-')}",
        title=title.en,
        title_ja=title.ja,
        status=status,
        detail=detail_en,
        detail_ja=detail_ja,
        instance=instance,
        code=code,
        errors=errors,
    )
    headers = dict(headers or {})
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _where(loc: Sequence[Any]) -> str:
    """`body.start_date` from pydantic's loc (the first field named, for the detail line)."""
    return ".".join(str(part) for part in loc)


API_PREFIX = "/api/"
ProblemPage = Callable[[Request, "ProblemError"], Response]


def install_problem_handlers(app: FastAPI, page: ProblemPage | None = None) -> None:
    """Render every error as problem+json (or, outside /api/, as `page` when given); nothing leaks as a bare 500.

    An engine outage (Neo4j or Temporal unreachable, see services.api.outages) answers 503 with
    Retry-After wherever it is raised: in a read, a query, a dependency or a page.
    """

    def answer(request: Request, problem: ProblemError) -> Response:
        if page is not None and not request.url.path.startswith(API_PREFIX):
            response = page(request, problem)
            response.headers.update(problem.headers)
            return response
        return problem_response(
            request.url.path,
            problem.status,
            problem.code,
            problem.detail_ja,
            problem.detail_en,
            title_code=type(problem).code,
            retry_after=problem.retry_after,
            headers=problem.headers,
        )

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> Response:
        return answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        # `msg` is pydantic's (English); `msg_ja` the same error through the catalogue, by its type and ctx.
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "msg_ja": error_text(e, "ja"),
                "type": str(e.get("type", "")),
            }
            for e in raw
        ]
        msg = message("validation_error")
        if not errors:
            return problem_response(request.url.path, 422, "validation_error", msg.ja, msg.en)
        where = _where(errors[0]["loc"])
        return problem_response(
            request.url.path,
            422,
            "validation_error",
            f"{msg.ja}（{summary(raw, 'ja')}）",
            f"{msg.en}: {where}: {errors[0]['msg']}",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "validation_error"
        text = MESSAGES[HTTP_MESSAGES.get(exc.status_code, "validation_error")]
        return problem_response(request.url.path, exc.status_code, code, text.ja, str(exc.detail))

    async def _outage(request: Request, exc: Exception) -> Response:
        engine = engine_outage(exc)
        if engine is None:  # an RPCError or RuntimeError that is not an outage
            return await _unexpected(request, exc)
        log.warning("%s unavailable on %s: %s", engine, request.url.path, exc)
        return answer(request, Unavailable())

    for kind in OUTAGE_TYPES:
        app.add_exception_handler(kind, _outage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return answer(request, ProblemError())


DESCRIPTIONS = {
    400: "Bad request",
    401: "No valid bearer token (missing, expired or forged); see WWW-Authenticate",
    403: "The caller's role, scopes or team do not allow this (nothing was written)",
    404: "Not found",
    409: "Conflict with the current stage",
    422: "Invalid input (nothing was written)",
    429: "Too many concurrent commands for this workflow; retry after Retry-After with the same Idempotency-Key",
    500: "The stored log does not match the workflow (chain_conflict) or an unexpected error",
    503: "Temporal or Neo4j unreachable; retry after Retry-After with the same Idempotency-Key",
    504: "Not completed in time (e.g. no worker); retry after Retry-After with the same Idempotency-Key",
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 0}}
}

WWW_AUTHENTICATE_HEADER = {
    "WWW-Authenticate": {"description": 'Bearer, with error="invalid_token" for a token that was refused'}
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems a route can return (problem+json, Retry-After on 429/503/504)."""
    schema = Problem.model_json_schema()
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
            "description": f"Problem (RFC 9457): {DESCRIPTIONS.get(status, 'error')}",
        }
        if status == 401:
            entry["headers"] = WWW_AUTHENTICATE_HEADER
        if status in (429, 503, 504):
            entry["headers"] = RETRY_AFTER_HEADER
        responses[status] = entry
    return responses
