"""How a workflow refuses a command: one non-retryable error type the API maps to a 409 problem."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from services.workflow.lifecycle import LifecycleViolation

REJECTION_TYPE = "LifecycleViolation"


def rejection(code: str, ja: str, en: str) -> ApplicationError:
    """A refusal with its code and its message in Japanese and English (the API's problem detail)."""
    return ApplicationError(f"{ja} / {en}", {"code": code, "ja": ja, "en": en}, type=REJECTION_TYPE, non_retryable=True)


def rejected(violation: LifecycleViolation) -> ApplicationError:
    """The refusal for a broken rule of the lifecycle or of a period."""
    return rejection(violation.code, violation.message_ja, violation.message_en)
