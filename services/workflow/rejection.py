"""How a workflow refuses a command: one non-retryable error type the API maps to a 409 problem.

The refusal carries its code and its message as data (`msgid` + `params`, see services.i18n): the
workflow never translates; the API renders `detail_ja` / `detail` from the catalogue. `en` (the English
text) stays in the details for readers of the workflow's history and for older API processes.
"""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from services.i18n.message import Msg
from services.workflow.engagement.lifecycle import LifecycleViolation

REJECTION_TYPE = "LifecycleViolation"


def rejection(code: str, message: Msg) -> ApplicationError:
    """A refusal with its code and its message (msgid and parameters; `en` is the English text)."""
    en = message.render()
    return ApplicationError(en, {"code": code, "en": en, **message.to_dict()}, type=REJECTION_TYPE, non_retryable=True)


def rejected(violation: LifecycleViolation) -> ApplicationError:
    """The refusal for a broken rule of the lifecycle or of a period."""
    return rejection(violation.code, violation.message)


def refusal(err: WorkflowUpdateFailedError) -> dict[str, Any] | None:
    """The code and message of an update a workflow refused, or None when it failed otherwise."""
    cause = err.cause
    if isinstance(cause, ApplicationError) and cause.type == REJECTION_TYPE and cause.details:
        details: dict[str, Any] = dict(cause.details[0])
        details.setdefault("ja", details.get("en", ""))  # for readers of `ja` that do not translate `msgid`
        return details
    return None


def refusal_message(details: dict[str, Any]) -> tuple[Msg, str | None]:
    """The refusal's message and the Japanese text it carried, if any (refusals recorded before the catalogue
    carried `ja`/`en` text only; those read as a msgid of their English text, with the Japanese as the fallback)."""
    if "msgid" in details:
        return Msg.from_dict(details), details.get("ja")
    return Msg(str(details.get("en", ""))), details.get("ja")
