"""Rules of our own broken by a value: a language-neutral error code, never a sentence in one language.

A validator raises `broken("end_before_start", "end_date is before start_date")`: pydantic reports the code as
the error's `type` (and the English template as its `msg`, for logs and tools); what a person reads comes from
the catalogue by that code (services/i18n/validation.RULE_MESSAGES), in their language only.
"""

from __future__ import annotations

from pydantic_core import PydanticCustomError


def broken(rule: str, english: str, **context: str | int) -> PydanticCustomError:
    """The error for a broken rule: `rule` (its code) names it; `english` ({name} placeholders filled from
    `context`) describes it for logs and tools."""
    return PydanticCustomError(rule, english, context or None)
