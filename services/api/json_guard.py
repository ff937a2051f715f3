"""Reject request bodies that parse in Python but cannot be stored or validated, before any route sees them.

A lone surrogate (`"x\\ud800y"`) cannot be encoded for Temporal or Neo4j; an integer beyond 64 bits cannot
be stored; NaN and Infinity are not JSON; `schema_version` must be an integer ≥ 1 (the upcasters assume
it); a body that is not UTF-8 or not JSON at all is invalid input too. Each answers 422 problem+json and
nothing reaches a workflow. A web form (urlencoded) whose text is not UTF-8 is refused the same way
(Starlette would otherwise replace the bytes silently).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.messages import message
from services.api.problems import problem_response

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


class BodyProblem(NamedTuple):
    """What is wrong with a body, and where (a pydantic-style loc)."""

    code: str
    loc: list[str | int]


class _NotJson(ValueError):
    """NaN, Infinity or -Infinity in a body."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(name)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, str) and _has_surrogate(value):
        return "invalid_text"
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        return "invalid_number"
    if isinstance(value, float) and not math.isfinite(value):  # 1e400 parses as inf
        return "invalid_number"
    return None


def find_problem(data: Any) -> BodyProblem | None:
    """The first value in a parsed JSON document that must be refused (walked without recursion)."""
    stack: list[tuple[list[str | int], str | int | None, Any]] = [(["body"], None, data)]
    while stack:
        loc, key, value = stack.pop()
        if key == "schema_version" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            return BodyProblem("invalid_schema_version", loc)
        if isinstance(value, dict):
            for k, v in value.items():
                if _has_surrogate(k):
                    return BodyProblem("invalid_text", loc)
                stack.append(([*loc, k], k, v))
        elif isinstance(value, list):
            stack.extend(([*loc, i], None, v) for i, v in enumerate(value))
        elif (code := _scalar_problem(value)) is not None:
            return BodyProblem(code, loc)
    return None


def check_body(body: bytes) -> BodyProblem | None:
    """Why `body` (sent as JSON) must be refused, or None when the routes may parse it."""
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except _NotJson:
        return BodyProblem("invalid_number", ["body"])
    except json.JSONDecodeError as err:
        return BodyProblem("invalid_json", ["body", err.pos])
    except (UnicodeDecodeError, RecursionError):
        return BodyProblem("invalid_json", ["body"])
    return find_problem(data)


FORM = b"application/x-www-form-urlencoded"


def check_form(body: bytes) -> BodyProblem | None:
    """A urlencoded form whose names or values are not UTF-8 (e.g. an encoded lone surrogate, %ED%A0%80)."""
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                name = unquote_to_bytes(pair.split(b"=", 1)[0]).decode("utf-8", "replace")
                return BodyProblem("invalid_text", ["body", name])
    return None


def _media_type(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media
    return None


def _checker(scope: Scope) -> Callable[[bytes], BodyProblem | None] | None:
    media = _media_type(scope)
    if media is None:
        return None
    if media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json")):
        return check_body
    return check_form if media == FORM else None


class JsonBodyGuard:
    """ASGI middleware: read a JSON or form request body once, refuse it (422) or hand it on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        checker = _checker(scope) if scope["type"] == "http" else None
        if checker is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = checker(body) if body else None
        if problem is not None:
            text = message(problem.code)
            where = ".".join(str(p) for p in problem.loc)
            response = problem_response(
                scope.get("path", ""),
                422,
                problem.code,
                f"{text.ja}（{where}）",
                f"{text.en}: {where}",
                title_code="validation_error",
                errors=[{"loc": problem.loc, "msg": text.en, "type": problem.code}],
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
