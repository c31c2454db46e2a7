"""The stand-in's HTTP plumbing: how it answers, reads cookies, checks CORS and logs.

``Handler`` knows no routes; ``server.py`` subclasses it with the dispatch, and
the routes (``login.py``, ``api_routes.py``) are functions that answer through
it. Each handler reaches the shared ``Standin`` through its server, so one
module-level class serves every server.

The request log never holds a token: only method, route and status are kept
(tokens travel in fragments, headers and bodies, and the logout URL's token is
masked).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .state import Standin

AUTHORIZE_PATH = "/v1/admin/oauth/authorize"
GRAPHQL_PATH = "/v3/graphql"
LOGOUT_PATH = re.compile(r"/v1/admin/token/([^/]+)/logout")
MAX_URL = 8192
MAX_BODY = 100_000
SESSION_COOKIE = "standin_session"
CSRF_COOKIE = "standin_csrf"

Headers = dict[str, str] | None


class Handler(BaseHTTPRequestHandler):
    """Answers, cookies, CORS and a token-free request log for the stand-in's routes."""

    server_version = "veritone-standin"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def standin(self) -> Standin:
        return self.server.standin  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path if isinstance(self.path, str) else "?"
        # The logout URL holds the token: the log keeps the route, never the token.
        path = LOGOUT_PATH.sub("/v1/admin/token/<token>/logout", path)
        self.standin.log.append(f"{self.command} {path[:200]} {code}")

    def __getattr__(self, name: str) -> Any:
        # Any method without a do_X handler is 405, not http.server's 501.
        if name.startswith("do_"):
            return self.method_not_allowed
        raise AttributeError(name)

    def method_not_allowed(self) -> None:
        self.reply(HTTPStatus.METHOD_NOT_ALLOWED, b"Method not allowed.\n", "text/plain")

    def reply(self, status: int, body: bytes, content_type: str, headers: Headers = None) -> None:
        """Send a whole answer that no cache keeps and no referrer leaves."""
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_html(self, status: int, page: str, headers: Headers = None) -> None:
        self.reply(status, page.encode(), "text/html", headers)

    def redirect(self, location: str, headers: Headers = None) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def not_found(self) -> None:
        self.reply(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain")

    def cookies(self) -> dict[str, str]:
        try:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
        except CookieError:
            return {}
        return {name: morsel.value for name, morsel in cookie.items()}

    def cors(self) -> dict[str, str]:
        """CORS headers for a registered page's origin; none for any other."""
        origin = self.headers.get("Origin")
        if origin and origin in self.standin.page_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def body_length(self) -> int | None:
        """The request body's length, or None when it is over ``MAX_BODY`` (or negative)."""
        length = int(self.headers.get("Content-Length") or 0)
        return None if length > MAX_BODY or length < 0 else length

    def guarded(self, route: Callable[[Handler], None]) -> None:
        """Run a route so that bad input is a short 4xx, never a 500 or a traceback."""
        if referer := self.headers.get("Referer"):
            self.standin.referers.append(referer)
        if len(self.path) > MAX_URL:
            self.reply(HTTPStatus.REQUEST_URI_TOO_LONG, b"The URL is too long.\n", "text/plain")
            return
        try:
            route(self)
        except Exception as exc:  # bad input must never become a 500 or a traceback
            message = f"Bad request ({type(exc).__name__}).\n".encode()
            self.reply(HTTPStatus.BAD_REQUEST, message, "text/plain")
