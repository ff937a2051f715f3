"""Sending a Temporal update and answering its failure as a problem: admission, engine limits, outages.

- At most a few updates per workflow id are in flight from this process (AdmissionGate); more wait in
  arrival order, and beyond the queue the answer is 429.
- RESOURCE_EXHAUSTED (several API processes together above the engine's per-workflow limit), and an
  update the engine aborted with its workflow task, are sent again (the same update id: answered once)
  with short jittered backoff for a bounded time, then answered 429 / 503.
- UNAVAILABLE (and any other engine RPC failure) answers 503; an update that does not complete in time
  (no worker) answers 504; each carries Retry-After. A retry with the same Idempotency-Key reuses the
  update id, so Temporal answers it once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from services.api.admission import AdmissionGate
from services.api.messages import refusal_texts
from services.api.outages import connect_failure
from services.api.problems import (
    Busy,
    ChainBroken,
    Conflict,
    InvalidInput,
    ProblemError,
    Timeout,
    Unavailable,
)
from services.workflow.rejection import refusal

R = TypeVar("R")
log = logging.getLogger("banso.api")

UPDATE_TIMEOUT_S = 60.0
EXHAUSTED_BUDGET_S = 5.0
FIRST_BACKOFF_S = 0.05
MAX_BACKOFF_S = 1.0
# Refusals that are the client's input, not the engagement's stage (422 rather than 409).
INPUT_REFUSALS = frozenset({"idempotency_key_reused"})


def _chain_conflict(err: WorkflowUpdateFailedError) -> bool:
    cause: BaseException | None = err.cause
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.type == "ChainConflict":
            return True
        cause = cause.__cause__
    return False


def refusal_problem(err: WorkflowUpdateFailedError) -> ProblemError | None:
    """The problem for a workflow's refusal: 422 for a reused Idempotency-Key, else 409; None if not a refusal."""
    d = refusal(err)
    if d is None:
        return None
    if d["code"] in INPUT_REFUSALS:
        return InvalidInput(*refusal_texts(d), code=d["code"])
    return Conflict(*refusal_texts(d), code=d["code"])


def engine_problem(err: RPCError) -> ProblemError:
    """An engine RPC failure other than NOT_FOUND: 429 when it is saturated, else 503."""
    if err.status == RPCStatusCode.RESOURCE_EXHAUSTED:
        return Busy()
    if err.status not in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        log.warning("Temporal answered %s: %s", err.status.name if err.status else err.status, err.message)
    return Unavailable()


def worth_resending(err: RPCError) -> bool:
    """Whether the same update should simply be sent again: the engine is saturated, or it aborted the
    update with the workflow task that carried it (the update id makes a resend answer once)."""
    if err.status == RPCStatusCode.RESOURCE_EXHAUSTED:
        return True
    return err.status == RPCStatusCode.UNAVAILABLE and "update was aborted" in (err.message or "")


class UpdateGuard:
    """Runs update calls through the admission gate, the engine's retry budget and the update timeout."""

    def __init__(
        self,
        gate: AdmissionGate | None = None,
        *,
        timeout_s: float = UPDATE_TIMEOUT_S,
        exhausted_budget_s: float = EXHAUSTED_BUDGET_S,
    ) -> None:
        self.gate = gate or AdmissionGate()
        self.timeout_s = timeout_s
        self.exhausted_budget_s = exhausted_budget_s
        self.exhausted_retries = 0  # how often the engine said RESOURCE_EXHAUSTED and the call was sent again

    async def run(
        self, workflow_id: str, call: Callable[[], Awaitable[R]], on_not_found: Callable[[], Awaitable[None]]
    ) -> R:
        """Await `call()` (again on RESOURCE_EXHAUSTED) as one of `workflow_id`'s admitted updates."""
        try:
            async with asyncio.timeout(self.timeout_s), self.gate.admit(workflow_id):
                return await self._with_backoff(call)
        except WorkflowUpdateFailedError as err:
            problem = refusal_problem(err)
            if problem is not None:
                raise problem from err
            if _chain_conflict(err):
                raise ChainBroken() from err
            raise
        except WorkflowAlreadyStartedError as err:
            raise Conflict(code="already_applied") from err
        except WorkflowUpdateRPCTimeoutOrCancelledError as err:
            raise Timeout() from err
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                await on_not_found()
            raise engine_problem(err) from err
        except TimeoutError as err:
            raise Timeout() from err
        except RuntimeError as err:
            if connect_failure(err):
                raise Unavailable() from err
            raise

    async def _with_backoff(self, call: Callable[[], Awaitable[R]]) -> R:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.exhausted_budget_s
        backoff = FIRST_BACKOFF_S
        while True:
            try:
                return await call()
            except RPCError as err:
                if not worth_resending(err):
                    raise
                pause = backoff * random.uniform(0.5, 1.5)  # noqa: S311 (jitter, not a secret)
                if loop.time() + pause > give_up:
                    raise
                self.exhausted_retries += 1
                await asyncio.sleep(pause)
                backoff = min(backoff * 2, MAX_BACKOFF_S)


async def guard_query(call: Awaitable[R], not_found: ProblemError) -> R:
    """Await a Temporal query: an unknown workflow is `not_found`, an engine failure a 503 (or 429) problem."""
    try:
        return await call
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise not_found from err
        raise engine_problem(err) from err
    except RuntimeError as err:
        if connect_failure(err):
            raise Unavailable() from err
        raise
