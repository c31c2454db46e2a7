"""The stand-in's HTTP server: which route answers which request, and the server that runs it.

Routes:
- ``GET  /v1/admin/oauth/authorize``: validate; sign in or, with a session, redirect (``login.py``).
- ``POST /v1/admin/oauth/authorize``: the login form's allow or deny (``login.py``).
- ``POST /v3/graphql`` and its CORS preflight (``api_routes.py``).
- ``GET  /v1/admin/token/<token>/logout`` and its CORS preflight: how Veritone's own apps
  end a session (``api_routes.py``).

Every bad input gets a 4xx with a short message, never a 500 or a
traceback, and the request log never holds a token (``handler.py``).

    server = serve_standin(8001, StandinOptions(redirect_uris=["http://localhost:8000/"]))
    server.standin.apply(StandinOptions(api_latency=5))  # turn a knob
    server.shutdown()
"""

from __future__ import annotations

import sys
import threading
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from .api_routes import graphql, preflight, rest_logout
from .handler import AUTHORIZE_PATH, GRAPHQL_PATH, LOGOUT_PATH, Handler
from .login import authorize_get, authorize_post
from .state import Standin, StandinOptions

__all__ = ["QuietServer", "Standin", "StandinHandler", "StandinOptions", "StandinServer", "serve_standin"]

INDEX = b"Veritone stand-in: OAuth at /v1/admin/oauth/authorize, GraphQL at /v3/graphql\n"


class StandinHandler(Handler):
    """Dispatches each method and path to its route; anything else is 404 (or 405)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's names)
        path = urlsplit(self.path).path
        if path == AUTHORIZE_PATH:
            self.guarded(authorize_get)
        elif match := LOGOUT_PATH.fullmatch(path):
            self.guarded(lambda http: rest_logout(http, unquote(match.group(1))))
        elif path == GRAPHQL_PATH:
            allow = {"Allow": "POST, OPTIONS"}
            self.reply(HTTPStatus.METHOD_NOT_ALLOWED, b"Use POST.\n", "text/plain", allow)
        elif path == "/":
            self.reply(HTTPStatus.OK, INDEX, "text/plain")
        else:
            self.not_found()

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's names)
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802 (http.server's names)
        path = urlsplit(self.path).path
        if path == AUTHORIZE_PATH:
            self.guarded(authorize_post)
        elif path == GRAPHQL_PATH:
            self.guarded(graphql)
        else:
            self.not_found()

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's names)
        path = urlsplit(self.path).path
        if path == GRAPHQL_PATH:
            preflight(self, "POST")
        elif LOGOUT_PATH.fullmatch(path):
            preflight(self, "GET")
        else:
            self.not_found()


class QuietServer(ThreadingHTTPServer):
    """A threaded server that prints no traceback for a client that left mid-answer.

    A browser drops a download when its page closes or navigates (a popup closed by its
    opener): the broken pipe is not news. Any other error still prints.
    """

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StandinServer(QuietServer):
    """The stand-in's server; its handlers share ``.standin``."""

    def __init__(self, address: tuple[str, int], standin: Standin) -> None:
        self.standin = standin
        super().__init__(address, StandinHandler)

    def shutdown(self) -> None:
        self.standin.release()  # answers held back by api_latency go now
        super().shutdown()


def serve_standin(port: int, options: StandinOptions, host: str = "localhost") -> StandinServer:
    """Start the stand-in in a thread and return its server (``.standin`` holds its state)."""
    server = StandinServer((host, port), Standin(options))
    server.standin.apply(options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
