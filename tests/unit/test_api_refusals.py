"""A workflow's refusal becomes the right problem: a reused Idempotency-Key is the client's input (422)."""

from __future__ import annotations

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from services.api.update_guard import engine_problem, refusal_problem, worth_resending
from services.i18n.message import Msg
from services.workflow.engagement.lifecycle import LifecycleViolation
from services.workflow.rejection import REJECTION_TYPE, rejected


def _failed(code: str) -> WorkflowUpdateFailedError:
    """A refusal as recorded before the catalogue: Japanese and English text, no msgid."""
    details = {"code": code, "ja": "日本語の説明", "en": "English detail"}
    return WorkflowUpdateFailedError(ApplicationError("refused", details, type=REJECTION_TYPE, non_retryable=True))


def test_a_reused_key_is_422_with_its_own_messages() -> None:
    problem = refusal_problem(_failed("idempotency_key_reused"))
    assert problem is not None
    assert (problem.status, problem.code) == (422, "idempotency_key_reused")
    assert (problem.detail_ja, problem.detail_en) == ("日本語の説明", "English detail")


def test_a_refusal_is_translated_from_its_msgid_at_the_edge() -> None:
    violation = LifecycleViolation("team_rule", Msg("A team has at most %(n)s members", {"n": 3}))
    problem = refusal_problem(WorkflowUpdateFailedError(rejected(violation)))
    assert problem is not None
    assert (problem.status, problem.code) == (409, "team_rule")
    assert (problem.detail_ja, problem.detail_en) == ("チームは3名までです", "A team has at most 3 members")


def test_a_lifecycle_refusal_stays_409() -> None:
    problem = refusal_problem(_failed("lifecycle_violation"))
    assert problem is not None
    assert problem.status == 409


def test_engine_failures_are_429_or_503_with_retry_after() -> None:
    busy = engine_problem(RPCError("limit", RPCStatusCode.RESOURCE_EXHAUSTED, b""))
    assert (busy.status, busy.retry_after) == (429, 1)
    for status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.INTERNAL):
        down = engine_problem(RPCError("down", status, b""))
        assert down.status == 503
        assert down.retry_after is not None


def test_a_saturated_engine_or_an_aborted_update_is_sent_again_other_failures_are_not() -> None:
    assert worth_resending(RPCError("limit", RPCStatusCode.RESOURCE_EXHAUSTED, b""))
    assert worth_resending(RPCError("workflow update was aborted", RPCStatusCode.UNAVAILABLE, b""))
    assert not worth_resending(RPCError("tcp connect error", RPCStatusCode.UNAVAILABLE, b""))
    assert not worth_resending(RPCError("bad", RPCStatusCode.INVALID_ARGUMENT, b""))
