"""Security headers on every response; the pages also get a Content-Security-Policy without inline script.

The pages load scripts from this origin only (`script-src 'self'`: htmx, Cytoscape.js and the app's own
static files; no inline `<script>` and no `on…=` attributes, htmx configured by a `<meta>`), are never
framed (`frame-ancestors 'none'`), post forms to this origin only (`form-action 'self'`, plus the
identity provider's origin, where sign-in and sign-out continue). The JSON API's own documentation
(`/docs`, `/redoc`, Swagger UI from a CDN) gets the other headers but not the pages' policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.settings import Settings

NO_PAGE_POLICY = ("/api/", "/docs", "/redoc", "/openapi.json")
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(settings: Settings) -> str:
    """The pages' policy; the identity provider's origin may receive a form (sign-in, sign-out)."""
    issuer = urlsplit(settings.oidc_issuer or "")
    provider = f" {issuer.scheme}://{issuer.netloc}" if issuer.scheme and issuer.netloc else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action 'self'{provider}",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP response (HSTS only over https)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.policy = content_security_policy(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = not str(scope["path"]).startswith(NO_PAGE_POLICY)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "DENY"
                if page:
                    headers["Content-Security-Policy"] = self.policy
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
