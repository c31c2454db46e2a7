"""The stand-in's HTTP server: routes, cookies, CORS and fault knobs.

Routes:
- ``GET  /v1/admin/oauth/authorize``: validate; sign in or, with a session, redirect.
- ``POST /v1/admin/oauth/authorize``: the login form's allow or deny.
- ``POST /v3/graphql`` and its CORS preflight.
- ``GET  /v1/admin/token/<token>/logout`` and its CORS preflight: how Veritone's own apps
  end a session.

Every bad input gets a 4xx with a short message, never a 500 or a
traceback, and the request log never holds a token (only method, path and
status are logged; tokens travel in fragments, headers and bodies).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from oauthlib.oauth2.rfc6749 import errors

from .api import GraphQLApi
from .oauth import DEMO_CLIENT_ID, DEMO_USER, App, AuthorizationServer, Registry, User
from .pages import error_page, login_page
from .tokens import DEFAULT_TTL, TokenIssuer

AUTHORIZE_PATH = "/v1/admin/oauth/authorize"
GRAPHQL_PATH = "/v3/graphql"
LOGOUT_PATH = re.compile(r"/v1/admin/token/([^/]+)/logout")
MAX_URL = 8192
MAX_BODY = 100_000
SESSION_COOKIE = "standin_session"
CSRF_COOKIE = "standin_csrf"


@dataclass
class StandinOptions:
    """What the stand-in registers, and the knobs tests turn."""

    token_ttl: int = DEFAULT_TTL
    redirect_uris: list[str] = field(default_factory=list)
    # Fault knobs: None or "server_error" / "temporarily_unavailable".
    authorize_fault: str | None = None
    api_latency: float = 0.0
    api_status: int | None = None  # 500 or 503: the API fails with this status
    unauthorized_as_401: bool = False  # answer bad tokens as some gateways do
    # False: answer like the guide's implicit sample, with no state in the fragment.
    echo_state: bool = True
    # False: the REST logout endpoint fails (500), so only GraphQL userLogout works.
    rest_logout: bool = True


class Standin:
    """The stand-in's state: registry, tokens, sessions and options."""

    def __init__(self, options: StandinOptions) -> None:
        self.options = options
        self.issuer = TokenIssuer(options.token_ttl)
        self.registry = Registry()
        self.registry.add(App(DEMO_CLIENT_ID, "Sign in with Veritone demo", tuple(options.redirect_uris)))
        self.registry.users[DEMO_USER.email] = DEMO_USER
        self.oauth = AuthorizationServer(self.registry, self.issuer)
        self.api = GraphQLApi(self.registry, self.issuer)
        self.sessions: dict[str, str] = {}
        self.csrf_key = secrets.token_bytes(32)
        self.log: list[str] = []
        self.referers: list[str] = []
        # API answers held back by api_latency right now, each until its time or release().
        self._stalls: set[threading.Event] = set()
        self._lock = threading.Lock()

    def stall(self) -> None:
        """Hold an API answer back for ``api_latency`` seconds, as a stalled network does."""
        if not self.options.api_latency:
            return
        released = threading.Event()
        with self._lock:
            self._stalls.add(released)
        try:
            released.wait(self.options.api_latency)
        finally:
            with self._lock:
                self._stalls.discard(released)

    @property
    def stalled(self) -> int:
        """How many API answers are being held back now."""
        with self._lock:
            return len(self._stalls)

    def release(self) -> None:
        """Let every held-back answer go now (new knobs, or shutting down)."""
        with self._lock:
            for released in self._stalls:
                released.set()
            self._stalls.clear()

    def apply(self, options: StandinOptions) -> None:
        """Take new knob settings (tests change them between cases)."""
        self.release()
        self.options = options
        self.issuer.ttl = options.token_ttl
        self.oauth.fault = options.authorize_fault
        self.oauth.echo_state = options.echo_state

    @property
    def page_origins(self) -> set[str]:
        origins = set()
        for app in self.registry.apps.values():
            for uri in app.redirect_uris:
                parts = urlsplit(uri)
                origins.add(f"{parts.scheme}://{parts.netloc}")
        return origins

    def csrf_token(self, nonce: str) -> str:
        return hmac.new(self.csrf_key, nonce.encode(), hashlib.sha256).hexdigest()


def make_handler(standin: Standin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "veritone-standin"
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        # --- plumbing -------------------------------------------------------

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = urlsplit(self.path).path if isinstance(self.path, str) else "?"
            # The logout URL holds the token: the log keeps the route, never the token.
            path = LOGOUT_PATH.sub("/v1/admin/token/<token>/logout", path)
            standin.log.append(f"{self.command} {path[:200]} {code}")

        def __getattr__(self, name: str) -> Any:
            # Any method without a do_X handler is 405, not http.server's 501.
            if name.startswith("do_"):
                return self._method_not_allowed
            raise AttributeError(name)

        def _method_not_allowed(self) -> None:
            self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"Method not allowed.\n", "text/plain")

        def _send(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
        ) -> None:
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

        def _html(self, status: int, page: str, headers: dict[str, str] | None = None) -> None:
            self._send(status, page.encode(), "text/html", headers)

        def _redirect(self, location: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()

        def _cookies(self) -> dict[str, str]:
            try:
                cookie = SimpleCookie(self.headers.get("Cookie", ""))
            except CookieError:
                return {}
            return {name: morsel.value for name, morsel in cookie.items()}

        def _route(self, handler: Any) -> None:
            if referer := self.headers.get("Referer"):
                standin.referers.append(referer)
            if len(self.path) > MAX_URL:
                self._send(HTTPStatus.REQUEST_URI_TOO_LONG, b"The URL is too long.\n", "text/plain")
                return
            try:
                handler()
            except Exception as exc:  # bad input must never become a 500 or a traceback
                self._send(
                    HTTPStatus.BAD_REQUEST,
                    f"Bad request ({type(exc).__name__}).\n".encode(),
                    "text/plain",
                )

        # --- methods --------------------------------------------------------

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == AUTHORIZE_PATH:
                self._route(self.authorize_get)
            elif match := LOGOUT_PATH.fullmatch(path):
                self._route(lambda: self.rest_logout(unquote(match.group(1))))
            elif path == GRAPHQL_PATH:
                self._send(
                    HTTPStatus.METHOD_NOT_ALLOWED, b"Use POST.\n", "text/plain", {"Allow": "POST, OPTIONS"}
                )
            elif path == "/":
                self._send(
                    HTTPStatus.OK,
                    b"Veritone stand-in: OAuth at /v1/admin/oauth/authorize, GraphQL at /v3/graphql\n",
                    "text/plain",
                )
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            if path == AUTHORIZE_PATH:
                self._route(self.authorize_post)
            elif path == GRAPHQL_PATH:
                self._route(self.graphql)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain")

        def do_OPTIONS(self) -> None:
            path = urlsplit(self.path).path
            if path == GRAPHQL_PATH:
                methods = "POST"
            elif LOGOUT_PATH.fullmatch(path):
                methods = "GET"
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain")
                return
            cors = self._cors()
            if cors:
                cors.update(
                    {
                        "Access-Control-Allow-Methods": methods,
                        "Access-Control-Allow-Headers": "Authorization, Content-Type",
                        "Access-Control-Max-Age": "600",
                    }
                )
            self._send(HTTPStatus.NO_CONTENT if cors else HTTPStatus.FORBIDDEN, b"", "text/plain", cors)

        def _cors(self) -> dict[str, str]:
            origin = self.headers.get("Origin")
            if origin and origin in standin.page_origins:
                return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
            return {}

        # --- OAuth ----------------------------------------------------------

        def _request_uri(self) -> str:
            host = self.headers.get("Host") or "localhost"
            return f"http://{host}{self.path}"

        def _validate(self) -> App | None:
            """Validate the authorization request; answer errors here and return None."""
            try:
                app, _info = standin.oauth.validate(self._request_uri())
                return app
            except errors.FatalClientError as error:
                self._html(
                    HTTPStatus.BAD_REQUEST,
                    error_page("Invalid authorization request", error.description or error.error),
                )
            except errors.OAuth2Error as error:
                # The redirect URI was validated before any non-fatal error is raised.
                query = dict(parse_qsl(urlsplit(self.path).query))
                self._redirect(standin.oauth.error_redirect(query["redirect_uri"], error))
            return None

        def _signed_in_user(self) -> User | None:
            email = standin.sessions.get(self._cookies().get(SESSION_COOKIE, ""))
            return standin.registry.users.get(email) if email else None

        def _login_form(self, app: App, status: int = HTTPStatus.OK, message: str | None = None) -> None:
            nonce = secrets.token_urlsafe(16)
            query = urlsplit(self.path).query
            cookie = f"{CSRF_COOKIE}={nonce}; Path={AUTHORIZE_PATH}; HttpOnly; SameSite=Strict"
            self._html(
                status,
                login_page(app.name, query, standin.csrf_token(nonce), message),
                {"Set-Cookie": cookie},
            )

        def authorize_get(self) -> None:
            app = self._validate()
            if app is None:
                return
            user = self._signed_in_user()
            if user is not None:  # already signed in at Veritone: straight back
                self._redirect(standin.oauth.authorize(self._request_uri(), user))
                return
            self._login_form(app)

        def authorize_post(self) -> None:
            app = self._validate()
            if app is None:
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY or length < 0:
                self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Too large.\n", "text/plain")
                return
            form = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "strict")))
            nonce = self._cookies().get(CSRF_COOKIE, "")
            expected = standin.csrf_token(nonce) if nonce else ""
            if not nonce or not hmac.compare_digest(form.get("csrf_token", ""), expected):
                self._html(
                    HTTPStatus.FORBIDDEN,
                    error_page(
                        "Form expired", "The sign-in form was not sent by this page. Go back and try again."
                    ),
                )
                return
            query = dict(parse_qsl(urlsplit(self.path).query))
            if form.get("decision") == "deny":
                error = errors.AccessDeniedError(state=query.get("state"))  # dropped if not echoed
                self._redirect(standin.oauth.error_redirect(query["redirect_uri"], error))
                return
            user = standin.registry.users.get(form.get("username", "").strip().lower())
            if user is None or not hmac.compare_digest(
                form.get("password", "").encode(), user.password.encode()
            ):
                self._login_form(app, HTTPStatus.UNAUTHORIZED, "Wrong email or password.")
                return
            session = secrets.token_urlsafe(24)
            standin.sessions[session] = user.email
            cookie = f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax"
            self._redirect(standin.oauth.authorize(self._request_uri(), user), {"Set-Cookie": cookie})

        # --- REST logout ----------------------------------------------------

        def rest_logout(self, token: str) -> None:
            """End the token's session (veritone-sdk's logout); a bad token is a 401."""
            cors = self._cors()
            standin.stall()
            if not standin.options.rest_logout:
                self._send(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    b'{"error":"Logout failed (stand-in fault knob)."}',
                    "application/json",
                    cors,
                )
                return
            if not standin.issuer.revoke(token):
                self._send(HTTPStatus.UNAUTHORIZED, b'{"error":"Invalid token."}', "application/json", cors)
                return
            self._send(HTTPStatus.OK, b'{"message":"Logged out."}', "application/json", cors)

        # --- GraphQL --------------------------------------------------------

        def graphql(self) -> None:
            options = standin.options
            cors = self._cors()
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY or length < 0:
                self._send(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    b'{"errors":[{"message":"Too large."}]}',
                    "application/json",
                    cors,
                )
                return
            body = self.rfile.read(length)
            standin.stall()
            if options.api_status:
                self._send(
                    options.api_status,
                    b'{"errors":[{"message":"Service failure (stand-in fault knob)."}]}',
                    "application/json",
                    cors,
                )
                return
            authorization = self.headers.get("Authorization", "")
            scheme, _, token = authorization.partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else ""
            if options.unauthorized_as_401 and standin.api.authenticate(token)[0] is None:
                self._send(
                    HTTPStatus.UNAUTHORIZED,
                    b'{"message":"Unauthorized"}',
                    "application/json",
                    {**cors, "WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
                return
            status, response = standin.api.execute(body, token or None)
            self._send(status, json.dumps(response).encode(), "application/json", cors)

    return Handler


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that left is not news
            super().handle_error(request, client_address)

    def __init__(self, address: tuple[str, int], standin: Standin) -> None:
        self.standin = standin
        super().__init__(address, make_handler(standin))

    def shutdown(self) -> None:
        self.standin.release()  # answers held back by api_latency go now
        super().shutdown()


def serve_standin(port: int, options: StandinOptions, host: str = "localhost") -> StandinServer:
    """Start the stand-in in a thread and return its server (``.standin`` holds its state)."""
    server = StandinServer((host, port), Standin(options))
    server.standin.apply(options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
