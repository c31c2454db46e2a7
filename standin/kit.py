"""The stand-in as an adopter's tests drive it: started on a free port, with a page to serve.

``pip install "veritone-auth[testing]"`` brings this and a pytest plugin
(``pytest_plugin.py``) whose fixtures hand a test one ``VeritoneStandin``. It
answers like Veritone, offline: the authorize endpoint and its login form, the
GraphQL API, and the REST logout. A test gets its URLs, the registered client,
the signed-in user, and knobs for what real deployments do: a denied sign-in, a
slow or failing API, a revoked token.

    standin = VeritoneStandin.start()
    url = standin.serve("site/")        # the page, pointed at the stand-in
    token = standin.sign_in()           # a token, as a sign-in would give
    standin.revoke(token)               # Veritone no longer accepts it
    standin.stop()
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .oauth import DEMO_CLIENT_ID, DEMO_USER, App, User
from .server import QuietServer, StandinServer, serve_standin
from .state import Standin, StandinOptions

__all__ = ["VeritoneStandin"]

# The connect-src of a page's CSP meta tag (its content attribute, up to the directive's end).
_CONNECT_SRC = re.compile(
    r"""(http-equiv=["']Content-Security-Policy["'][^>]*?content="[^"]*?connect-src[^;"]*)""", re.I
)


class VeritoneStandin:
    """A running stand-in: its URLs, its client and user, and the knobs a test turns."""

    client_id = DEMO_CLIENT_ID
    user: User = DEMO_USER  # signs in with user.email and user.password

    def __init__(self, server: StandinServer) -> None:
        self.server = server
        self.defaults = replace(server.standin.options)
        self._pages: list[QuietServer] = []

    @classmethod
    def start(cls, port: int = 0, options: StandinOptions | None = None) -> VeritoneStandin:
        """Start a stand-in on ``port`` (0: one the system picks) in a thread of this process."""
        return cls(serve_standin(port, options or StandinOptions()))

    def stop(self) -> None:
        """Stop the stand-in and every page it serves."""
        for page in self._pages:
            page.shutdown()
            page.server_close()
        self.server.shutdown()
        self.server.server_close()

    @property
    def standin(self) -> Standin:
        return self.server.standin

    @property
    def url(self) -> str:
        """The stand-in's base URL: a page's ``base_url`` in ``config.json``."""
        return f"http://localhost:{self.server.server_port}"

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/v1/admin/oauth/authorize"

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/v3/graphql"

    def config(self) -> dict[str, Any]:
        """The ``config.json`` of a page signing in against this stand-in."""
        return {"environment": "standin", "base_url": self.url, "client_id": self.client_id}

    def register(self, redirect_uri: str) -> str:
        """Register ``redirect_uri`` for the client (its origin is then allowed by CORS)."""
        app = self.standin.registry.apps[self.client_id]
        if redirect_uri not in app.redirect_uris:
            uris = (*app.redirect_uris, redirect_uri)
            self.standin.registry.add(App(app.client_id, app.name, uris, app.implicit_allowed))
        return redirect_uri

    def serve(self, folder: str | Path, path: str = "/") -> str:
        """Serve a static page folder at a registered URL, pointed at this stand-in; return the URL.

        The folder is served as it is, except ``config.json``, which names this
        stand-in, and each HTML page's CSP ``connect-src``, which allows it. The
        files on disk are never changed.
        """
        handler = functools.partial(_PageHandler, self, directory=str(folder))
        page = QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=page.serve_forever, daemon=True).start()
        self._pages.append(page)
        return self.register(f"http://127.0.0.1:{page.server_port}{path}")

    def sign_in(self, user: User | None = None, redirect_uri: str = "http://127.0.0.1/") -> str:
        """A token for ``user`` (the demo user by default), as the implicit grant would issue it."""
        who = user or self.user
        return self.standin.issuer.issue(who.id, self.client_id, urlsplit(redirect_uri).hostname or "")

    def revoke(self, token: str) -> bool:
        """Revoke ``token``, as a sign-out elsewhere does; say whether it was valid."""
        return self.standin.issuer.revoke(token)

    def deny(self, error: str = "access_denied") -> None:
        """Answer every authorization request with ``error``, as a user's Deny does."""
        self._set(authorize_fault=error)

    def delay_api(self, seconds: float) -> None:
        """Hold each API answer back ``seconds``, as a stalled network does."""
        self._set(api_latency=seconds)

    def fail_api(self, status: int = 503) -> None:
        """Answer each API request with ``status`` (500 or 503)."""
        self._set(api_status=status)

    def token_ttl(self, seconds: int) -> None:
        """Issue tokens that expire ``seconds`` after they are issued."""
        self._set(token_ttl=seconds)

    def reset(self) -> None:
        """Every knob back to how the stand-in started, and no one signed in at it."""
        self.standin.apply(replace(self.defaults))
        self.standin.sessions.clear()

    def _set(self, **knobs: Any) -> None:
        self.standin.apply(replace(self.standin.options, **knobs))


class _PageHandler(SimpleHTTPRequestHandler):
    """A static folder, with its ``config.json`` and CSP pointed at the stand-in."""

    def __init__(self, kit: VeritoneStandin, *args: Any, **kwargs: Any) -> None:
        self.kit = kit
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        pass  # quiet: a test's output is its own

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path.endswith("/config.json"):
            self._send(json.dumps(self.kit.config()).encode(), "application/json")
            return
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            html, pointed = _CONNECT_SRC.subn(rf"\1 {self.kit.url}", local.read_text(encoding="utf-8"))
            if not pointed and "content-security-policy" in html.lower():
                # Served as it is, the page would fail later, far from the cause: say it here.
                why = f"{local.name}: its CSP has no connect-src the stand-in could be added to.\n"
                self._send(why.encode(), "text/plain; charset=utf-8", 500)
                return
            self._send(html.encode(), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
