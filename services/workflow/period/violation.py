"""The refusal of a period command (→ HTTP 409, like an engagement's)."""

from __future__ import annotations

from services.workflow.engagement.lifecycle import LifecycleViolation


class PeriodViolation(LifecycleViolation):
    """A command the period's current phase or rules do not allow (→ HTTP 409, like an engagement's)."""
