"""Test harness: Chromium settings, plain static servers (one takes reports back), the served site.

The end-to-end tests never use serve.py: they build the site as a static host
would get it, serve that folder with a plain static file server under
``/veritone-implicit/`` (as GitHub Pages serves a project site), and point it
at a stand-in on another origin.
"""

from __future__ import annotations

import fcntl
import functools
import json
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from standin.server import QuietServer, Standin, StandinOptions, StandinServer
from tests import engines

# Found, not assumed (tests/engines.py); the conftest fails with the install command if None.
CHROMIUM = engines.chromium() or ""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any accidental request to the internet fails loudly instead of hanging.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
SUBPATH = "/veritone-implicit/"
PRODUCTION_CLIENT_ID = "11111111-2222-4333-8444-555555555555"
BOOT_TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietStaticHandler(SimpleHTTPRequestHandler):
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    """A plain static file server, like any static host, on a free loopback port."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietStaticHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Reports(list[dict[str, Any]]):
    """What a page reported, in order; a test waits on each arrival, not on a clock."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Condition()

    def add(self, report: dict[str, Any]) -> None:
        with self.arrived:
            self.append(report)
            self.arrived.notify_all()

    def wait_for(self, predicate: Callable[[Reports], bool], timeout: float) -> bool:
        """Until ``predicate(self)`` holds, checked at each arrival; False if ``timeout`` s pass first."""
        with self.arrived:
            return self.arrived.wait_for(lambda: predicate(self), timeout)


class ReportingHandler(QuietStaticHandler):
    """Static files, and each POST's JSON body kept in ``reports``: what a page reports back."""

    reports: Reports

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.reports.add(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()


class ReportingServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a window closed mid-download breaks its connections: expected with popups


def serve_with_reports(folder: Path) -> tuple[ReportingServer, Reports]:
    """Serve ``folder`` on a free loopback port; return the server and the reports."""
    reports = Reports()
    handler = type("Handler", (ReportingHandler,), {"reports": reports})
    server = ReportingServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, reports


@dataclass
class Site:
    """The built site as served for the tests, and the stand-in it points at."""

    url: str
    standin_url: str
    server: StandinServer
    folder: Path
    defaults: StandinOptions = field(default_factory=StandinOptions)

    def at(self, folder: str) -> str:
        """The URL of another build of the site served beside this one (``no-state``, ...)."""
        return self.url.replace(SUBPATH, f"/{folder}/")

    @property
    def standin(self) -> Standin:
        return self.server.standin

    def reset(self) -> None:
        self.standin.apply(StandinOptions(**vars(self.defaults)))
        self.standin.sessions.clear()


@contextmanager
def registered(standin: Standin, url: str) -> Iterator[str]:
    """``url`` registered with ``standin`` as another redirect URI of the demo app, as
    ``serve.py --redirect-uri`` does, for as long as the block runs."""
    from serve import DEMO_CLIENT_ID
    from standin.oauth import App

    app = standin.registry.apps[DEMO_CLIENT_ID]
    standin.registry.add(App(app.client_id, app.name, (*app.redirect_uris, url)))
    try:
        yield url
    finally:
        standin.registry.add(app)


def unpack_starter(starter: Path, folder: Path, standin_url: str) -> Path:
    """starter.zip set up as an adopter would for the stand-in: unzipped into ``folder``, the
    client id in ``config.json``, and the stand-in's origin in the CSP's ``connect-src``."""
    from serve import DEMO_CLIENT_ID

    with zipfile.ZipFile(starter) as archive:
        archive.extractall(folder)
    config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
    (folder / "config.json").write_text(json.dumps(config))
    index = folder / "index.html"
    index.write_text(index.read_text().replace("https://api.veritone.com", standin_url))
    return folder


@contextmanager
def take_turns(folder: Path, alone: bool) -> Iterator[None]:
    """A readers-writer lock across processes, over two files in ``folder``.

    Others share ``room``. One that must be alone takes ``gate`` first, so nobody new comes
    in while it waits for those inside to leave, then takes ``room`` for itself.
    """
    with open(folder / "gate", "a") as gate, open(folder / "room", "a") as room:
        if alone:
            fcntl.flock(gate, fcntl.LOCK_EX)
            fcntl.flock(room, fcntl.LOCK_EX)
        else:
            fcntl.flock(gate, fcntl.LOCK_SH)
            fcntl.flock(room, fcntl.LOCK_SH)
            fcntl.flock(gate, fcntl.LOCK_UN)
        yield  # closing the files releases the locks
