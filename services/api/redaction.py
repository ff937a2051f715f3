"""Event reads for readers who may not see money: the log and the feed with amounts and 併任 details
withheld (schemas/redaction.py says exactly what is removed)."""

from __future__ import annotations

from fastapi import Request

from schemas.api_views import EngagementLog
from schemas.feed import FeedPage
from schemas.redaction import redacted
from services.api.auth.policy import sees_money
from services.api.auth.principal import Principal


def redacted_log(log: EngagementLog) -> EngagementLog:
    """`log` with each money or appointment event's data redacted (the chain verdict is the server's, as read)."""
    return log.model_copy(update={"events": [redacted(e) for e in log.events]})


def redacted_page(page: FeedPage) -> FeedPage:
    """A feed page with each money or appointment event's data redacted."""
    return page.model_copy(update={"items": [redacted(e) for e in page.items]})


def log_for(principal: Principal | None, log: EngagementLog) -> EngagementLog:
    """`log` as `principal` may read it: whole for staff, admin and auditors, else redacted."""
    return log if principal is not None and sees_money(principal) else redacted_log(log)


def page_log(request: Request, log: EngagementLog) -> EngagementLog:
    """`log` as the page's reader (the principal the page guard left) may read it."""
    principal = getattr(request.state, "principal", None)
    return log_for(principal if isinstance(principal, Principal) else None, log)
