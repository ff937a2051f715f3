"""The global event feed for other systems: pages by cursor, and the same as Server-Sent Events.

Ordering guarantee (services/graph/store/feed.py): every event of every stream has a position, handed
out in commit order under one lock, never reused or changed — a client that follows `next_cursor` (or
resumes the stream with `Last-Event-ID`) sees every event exactly once, in the same order every time,
across rebuilds and restarts.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from schemas.events import PAYLOAD_TYPES
from schemas.feed import FeedPage
from services.api.auth.policy import sees_money
from services.api.deps import EventFeedDep, PrincipalDep
from services.api.problems import Busy, InvalidInput, problem_responses
from services.api.redaction import redacted_page
from services.graph.errors import CursorAhead
from services.graph.store.feed import EventFeed

router = APIRouter(prefix="/api/v1/feed", tags=["feed"])

CURSOR = re.compile(r"[0-9]{1,18}")
STREAM_PAGE = 200
POLL_S = 0.5
KEEPALIVE_S = 15.0
STREAMS_PER_CALLER = 4  # open SSE streams one caller may hold in this process
STREAMS_PER_PROCESS = 64


class StreamSlots:
    """Open SSE streams per caller and in all: a client that opens stream after stream (or never reads) takes
    only its own few slots, so it cannot starve the others; beyond them the answer is a 429."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    def take(self, caller: str) -> None:
        if self._open.get(caller, 0) >= STREAMS_PER_CALLER or sum(self._open.values()) >= STREAMS_PER_PROCESS:
            raise Busy(
                f"同時に開けるフィードのストリームは {STREAMS_PER_CALLER} 本までです。開いているものを閉じてください",
                f"At most {STREAMS_PER_CALLER} feed streams may be open at once; close one first",
                code="too_many_streams",
                retry_after=5,
            )
        self._open[caller] = self._open.get(caller, 0) + 1

    def give_back(self, caller: str) -> None:
        left = self._open.get(caller, 1) - 1
        if left:
            self._open[caller] = left
        else:
            self._open.pop(caller, None)


SLOTS = StreamSlots()

Cursor = Annotated[
    str,
    Query(
        max_length=40,
        description="この位置より後 / events after this cursor (a page's next_cursor; 0 = from the start)",
    ),
]
Types = Annotated[
    str | None,
    Query(max_length=2000, description="イベント種別（カンマ区切り）/ event types, comma-separated (all when absent)"),
]


def parse_cursor(text: str) -> int:
    """The position a cursor names; a readable 422 for anything that is not one."""
    if not CURSOR.fullmatch(text.strip()):
        raise InvalidInput(
            f"カーソル「{text[:40]}」は位置を表す数字ではありません（前のページの next_cursor、最初からなら 0）",
            f"Cursor {text[:40]!r} is not a feed position (use a page's next_cursor, or 0 for the start)",
            code="invalid_cursor",
        )
    return int(text)


def parse_types(text: str | None) -> frozenset[str] | None:
    """The event types asked for; a 422 naming any type Banso does not have."""
    if text is None or not text.strip():
        return None
    types = frozenset(t.strip() for t in text.split(",") if t.strip())
    unknown = sorted(types - PAYLOAD_TYPES.keys())
    if unknown:
        raise InvalidInput(
            f"不明なイベント種別です: {', '.join(unknown)}",
            f"Unknown event types: {', '.join(unknown)}",
            code="unknown_event_type",
        )
    return types


async def _page(feed: EventFeed, after: int, limit: int, types: frozenset[str] | None) -> FeedPage:
    try:
        return await feed.page(after, limit, types)
    except CursorAhead as err:
        raise InvalidInput(
            f"カーソル {after} はフィードの最新位置より先です（このログが渡した位置ではありません）",
            f"Cursor {after} is ahead of the feed's newest position: this log never handed it out",
            code="cursor_ahead",
        ) from err


@router.get("", responses=problem_responses(422, 503), summary="イベントフィード / Every event in one order")
async def feed(
    events: EventFeedDep,
    principal: PrincipalDep,
    after: Cursor = "0",
    types: Types = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="1ページの件数 / page size")] = 100,
) -> FeedPage:
    """Every event of every stream (engagements, periods, reference data) after `after`, oldest first, each
    upcast to its current payload version. Pass the answer's `next_cursor` as the next `after`: a client that
    does so sees each event once, in an order that never changes (also across rebuilds and restarts).
    A reader who may not see money (an integration client) gets 支援旅費 and 併任 events redacted."""
    page = await _page(events, parse_cursor(after), limit, parse_types(types))
    return page if sees_money(principal) else redacted_page(page)


@router.get(
    "/stream",
    responses=problem_responses(422, 429, 503) | {200: {"content": {"text/event-stream": {}}}},
    summary="イベントフィード（SSE）/ The feed pushed as Server-Sent Events",
)
async def stream(
    request: Request,
    events: EventFeedDep,
    principal: PrincipalDep,
    after: Cursor = "0",
    types: Types = None,
    last_event_id: Annotated[str | None, Header(max_length=40)] = None,
) -> StreamingResponse:
    """The same events as `GET /api/v1/feed`, pushed as they are stored: `id:` is the position, `event:` the
    type, `data:` the published envelope. A reconnecting client sends `Last-Event-ID` (it wins over `after`)."""
    start = parse_cursor(last_event_id if last_event_id else after)
    wanted = parse_types(types)
    first = await _page(events, start, STREAM_PAGE, wanted)  # a bad cursor is a problem, before streaming
    caller = principal.actor
    SLOTS.take(caller)
    return StreamingResponse(
        _events(request, events, first, wanted, caller, redact=not sees_money(principal)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    request: Request, feed: EventFeed, page: FeedPage, types: frozenset[str] | None, caller: str, *, redact: bool
) -> AsyncIterator[bytes]:
    try:
        async for chunk in _pushed(request, feed, page, types, redact=redact):
            yield chunk
    finally:
        SLOTS.give_back(caller)


async def _pushed(
    request: Request, feed: EventFeed, page: FeedPage, types: frozenset[str] | None, *, redact: bool
) -> AsyncIterator[bytes]:
    yield b"retry: 2000\n\n"
    quiet_since = time.monotonic()
    while True:
        for item in redacted_page(page).items if redact else page.items:
            body = json.dumps(item.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
            yield f"id: {item.position}\nevent: {item.type}\ndata: {body}\n\n".encode()
        if page.items:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > KEEPALIVE_S:
            yield b": keep-alive\n\n"
            quiet_since = time.monotonic()
        if await request.is_disconnected():
            return
        if len(page.items) < STREAM_PAGE:
            await asyncio.sleep(POLL_S)
        page = await feed.page(int(page.next_cursor), STREAM_PAGE, types)
