"""RFC 9457 problem details: expected errors carry their status; one handler renders them all."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.problem import Problem
from services.api.messages import MESSAGES, message

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("banso.api")


class ProblemError(Exception):
    """An expected failure that the API answers with a problem document."""

    status = 500
    code = "internal_error"

    def __init__(self, detail_ja: str | None = None, detail_en: str | None = None, *, code: str | None = None) -> None:
        self.code = code or type(self).code
        default = MESSAGES.get(self.code, MESSAGES[type(self).code])
        self.detail_ja = detail_ja or default.ja
        self.detail_en = detail_en or default.en
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


class Unavailable(ProblemError):
    """Temporal or Neo4j cannot be reached (503)."""

    status = 503
    code = "unavailable"


class Timeout(ProblemError):
    """The command was accepted but did not finish in time (504)."""

    status = 504
    code = "timeout"


def _render(
    request: Request,
    status: int,
    code: str,
    detail_ja: str,
    detail_en: str,
    *,
    title_code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    title = MESSAGES.get(title_code or code, MESSAGES["internal_error"])
    problem = Problem(
        type=f"/problems/{code.replace('_', '-')}",
        title=title.en,
        title_ja=title.ja,
        status=status,
        detail=detail_en,
        detail_ja=detail_ja,
        instance=request.url.path,
        code=code,
        errors=errors,
    )
    return JSONResponse(problem.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error as problem+json; nothing leaks as a bare 500."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return _render(request, exc.status, exc.code, exc.detail_ja, exc.detail_en, title_code=type(exc).code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        msg = message("validation_error")
        first = errors[0]["msg"] if errors else ""
        return _render(request, 422, "validation_error", f"{msg.ja}: {first}", f"{msg.en}: {first}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "validation_error"
        detail = str(exc.detail)
        return _render(request, exc.status_code, code, detail, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        msg = message("internal_error")
        return _render(request, 500, "internal_error", msg.ja, msg.en)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems a route can return."""
    return {
        status: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": "Problem (RFC 9457)"}
        for status in statuses
    }
