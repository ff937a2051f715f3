"""Event reads for readers who may not see money: the log and the feed with amounts and 併任 details
withheld (schemas/redaction.py says exactly what is removed)."""

from __future__ import annotations

from schemas.api_views import EngagementLog
from schemas.feed import FeedPage
from schemas.redaction import redacted


def redacted_log(log: EngagementLog) -> EngagementLog:
    """`log` with each money or appointment event's data redacted (the chain verdict is the server's, as read)."""
    return log.model_copy(update={"events": [redacted(e) for e in log.events]})


def redacted_page(page: FeedPage) -> FeedPage:
    """A feed page with each money or appointment event's data redacted."""
    return page.model_copy(update={"items": [redacted(e) for e in page.items]})
