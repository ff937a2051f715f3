"""How a workflow refuses a command: one non-retryable error type the API maps to a 409 problem."""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from services.workflow.engagement.lifecycle import LifecycleViolation

REJECTION_TYPE = "LifecycleViolation"


def rejection(code: str, ja: str, en: str) -> ApplicationError:
    """A refusal with its code and its message in Japanese and English (the API's problem detail)."""
    return ApplicationError(f"{ja} / {en}", {"code": code, "ja": ja, "en": en}, type=REJECTION_TYPE, non_retryable=True)


def rejected(violation: LifecycleViolation) -> ApplicationError:
    """The refusal for a broken rule of the lifecycle or of a period."""
    return rejection(violation.code, violation.message_ja, violation.message_en)


def refusal(err: WorkflowUpdateFailedError) -> dict[str, Any] | None:
    """The code and messages of an update a workflow refused, or None when it failed otherwise."""
    cause = err.cause
    if isinstance(cause, ApplicationError) and cause.type == REJECTION_TYPE and cause.details:
        details: dict[str, Any] = cause.details[0]
        return details
    return None
