"""The web app served over real HTTP for a real browser: uvicorn in the test loop, Debian's Chromium."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from neo4j import AsyncDriver
from playwright.async_api import Browser, BrowserContext, Page, StorageState, async_playwright
from temporalio.client import Client

from banso.stack.processes import free_port
from services.api.app import build_services, create_app
from services.settings import Settings

if TYPE_CHECKING:
    from tests.conftest import Keycloak

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
# Chromium on a machine without network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium, installed by scripts/browser (the test command runs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("chromium is missing: run scripts/browser (scripts/test does)")
    return found


@asynccontextmanager
async def served(settings: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[str]:
    """The full app (pages and API) on a free localhost port; yields its base URL."""
    app = create_app(settings, build_services(settings, temporal, driver))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A headless Chromium driven by Playwright through executable_path."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


async def sign_in(page: Page, url: str, username: str, password: str) -> None:
    """Open `url` without a session and sign in on Keycloak's own login page, as a person would.

    The back office sends the browser to the provider (authorization code + PKCE); the form there takes
    the username and password; the provider sends the browser back to /auth/callback and on to `url`.
    """
    await page.goto(url)
    await page.locator("#username").wait_for()
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("#kc-login")
    await page.wait_for_url(lambda now: now.startswith(url.split("?")[0]) or "/auth/" in now)


def every_page(engagement_id: str, matching_period: int) -> dict[str, str]:
    """The back office's pages by a short name (for screenshots), each checked by the layout and a11y tests."""
    engagement = f"/engagements/{engagement_id}"
    return {
        "cockpit": "/",
        "engagements": "/engagements",
        "engagement": engagement,
        "report": f"{engagement}/report",
        "audit": f"{engagement}/audit",
        "experts": "/experts?q=港湾",
        "explorer": "/explorer",
        "periods": "/periods",
        "period": f"/periods/{matching_period}",
        "access-log": "/access-log",
        "webhooks": "/webhooks",
    }


@dataclass
class SignedInBrowser:
    """A served app and its browser, with each demo user's cookies: every user signs in through Keycloak's
    own page once per module, and each new context starts from those cookies."""

    url: str
    browser: Browser
    keycloak: Keycloak
    signed_in: dict[str, StorageState] = field(default_factory=dict, kw_only=True)

    async def context_of(self, username: str, **options: Any) -> BrowserContext:
        """A browser context signed in as `username` (Japanese, 1280×900 unless `options` say otherwise)."""
        if username not in self.signed_in:
            context = await self.browser.new_context(locale="ja-JP")
            tab = await context.new_page()
            await sign_in(tab, f"{self.url}/", username, self.keycloak.credentials.users[username])
            self.signed_in[username] = await context.storage_state()
            await context.close()
        options.setdefault("viewport", {"width": 1280, "height": 900})
        return await self.browser.new_context(locale="ja-JP", storage_state=self.signed_in[username], **options)

    def bearer(self, username: str) -> dict[str, str]:
        """An Authorization header for the JSON API (the pages use the session, the API bearer tokens)."""
        return {"Authorization": f"Bearer {self.keycloak.token_for(username)}"}
