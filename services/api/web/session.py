"""The back office's server-side session: a random id in a cookie, the data in Neo4j (`:WebSession`).

`WebSessions` is an ASGI middleware for the pages (not the JSON API, which takes bearer tokens only, nor
the static files). It loads the session named by the `banso_session` cookie into `scope["session"]`
(where Starlette's `request.session` and Authlib's OAuth client look for it) and, as the response
starts, stores what changed: a new session gets a fresh id and its cookie (`HttpOnly`, `SameSite=Lax`,
path `/`, `Secure` when served over https); a session whose principal changed (sign-in) is stored under
a new id and the old one deleted, so an id planted before sign-in is worth nothing after it; an ended
one is deleted and its cookie cleared. The store is shared by every API process (the fault tests run two).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.outages import NEO4J_DOWN
from services.api.problems import Unavailable
from services.api.web.render import problem_page
from services.graph.sessions import WebSessionStore
from services.settings import Settings

SESSION_COOKIE = "banso_session"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
# Paths without a session: the JSON API (bearer tokens), its documentation, the static files.
SESSIONLESS = ("/api/", "/docs", "/redoc", "/openapi.json", "/static/", "/vendor/")
log = logging.getLogger("banso.web")
TOUCH_EVERY_S = 60.0  # a session seen again is marked as seen at most this often (one write a minute)


def has_session(path: str) -> bool:
    """Whether requests to `path` carry the back office's session (the pages, the forms, /auth/…)."""
    return not path.startswith(SESSIONLESS)


class Session(dict[str, Any]):
    """One request's session data; it remembers whether it changed, was renewed or ended."""

    def __init__(self, data: dict[str, Any], session_id: str | None, last_seen: float | None) -> None:
        super().__init__(data)
        self.session_id = session_id
        self.last_seen = last_seen
        self.modified = False
        self.renewed = False
        self.ended = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.modified = True
        return super().pop(key, *default)

    def clear(self) -> None:
        self.modified = True
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.modified = True
        super().update(*args, **kwargs)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self.modified = True
        return super().setdefault(key, default)

    def renew(self) -> None:
        """Store this session under a new id from now on (on sign-in: no session fixation)."""
        self.renewed = True
        self.modified = True

    def end(self) -> None:
        """Delete the session and clear its cookie (sign-out)."""
        self.ended = True
        super().clear()


def store_of(scope: Scope) -> WebSessionStore:
    """The process's session store, built once from the app's Neo4j driver and settings."""
    state = scope["app"].state
    store: WebSessionStore | None = getattr(state, "web_sessions", None)
    if store is None:
        settings: Settings = state.settings
        store = WebSessionStore(
            state.driver,
            settings.neo4j_database,
            max_age_s=settings.web_session_max_age_s,
            idle_s=settings.web_session_idle_s,
        )
        state.web_sessions = store
    return store


def _cookie(scope: Scope, value: str, max_age: int) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[SESSION_COOKIE] = value
    morsel = cookie[SESSION_COOKIE]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    morsel["max-age"] = max_age
    if scope.get("scheme") == "https":
        morsel["secure"] = True
    return morsel.OutputString()


class WebSessions:
    """ASGI middleware: `scope["session"]` for the pages, kept in the shared store."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not has_session(scope["path"]):
            await self.app(scope, receive, send)
            return
        store = store_of(scope)
        sent_id = Request(scope).cookies.get(SESSION_COOKIE, "")
        try:
            loaded = None
            if SESSION_ID.fullmatch(sent_id):
                await store.purge_if_due()  # ended sessions do not pile up (expiry alone already refuses them)
                loaded = await store.load(sent_id)
        except NEO4J_DOWN:
            await self._unavailable(scope, receive, send)
            return
        data, last_seen = loaded if loaded else ({}, None)
        session = Session(data, sent_id if loaded else None, last_seen)
        scope["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    cookie = await self._persist(store, session)
                except NEO4J_DOWN as err:  # the answer is already decided; the session keeps its last state
                    log.warning("session not stored (Neo4j unavailable): %s", err)
                    cookie = None
                if cookie is not None:
                    MutableHeaders(scope=message).append("Set-Cookie", _cookie(scope, *cookie))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    async def _persist(store: WebSessionStore, session: Session) -> tuple[str, int] | None:
        """Store what changed; the cookie to set (value, max-age), if any."""
        old = session.session_id
        if session.ended:
            if old:
                await store.delete(old)
            return ("", 0) if old or session.modified else None
        if session.modified and (session.renewed or old is None):
            if old:
                await store.delete(old)
            new = secrets.token_urlsafe(32)
            await store.save(new, dict(session))
            session.session_id = new
            return new, int(store.max_age_s)
        if session.modified and old:
            await store.save(old, dict(session))
        elif old and session.last_seen is not None and time.time() - session.last_seen > TOUCH_EVERY_S:
            await store.touch(old)
        return None

    @staticmethod
    async def _unavailable(scope: Scope, receive: Receive, send: Send) -> None:
        """The database holding the sessions is down: the page says so (503, Retry-After)."""
        response = problem_page(Request(scope, receive), Unavailable())
        await response(scope, receive, send)
