"""The site as the WebKit tests serve it: its own build, stand-in, and a console observer.

WebKitWebDriver 2.50 has no console log endpoint and cannot run a script before the
page's own, so the WebKit flow runs against a build of the site whose HTML pages
load ``observer.js`` before anything else. It reports console errors, uncaught
errors, unhandled rejections, failed loads and CSP violations to this server, from
every page of ours the flow opens, the sign-in popup included. What the engine logs
by itself and no script can see (a failed fetch's status line, say) stays unseen.

Used by tests/cross_engine/test_webkit.py.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from publish.site import build
from serve import DEMO_CLIENT_ID
from standin.server import StandinOptions, StandinServer, serve_standin
from tests.harness import Reports, free_port, serve_with_reports

OBSERVER = Path(__file__).with_name("observer.js")


@dataclass
class ObservedSite:
    url: str
    standin: StandinServer
    folder: Path  # what is served: the site in app/, observer.js beside it
    console: Reports = field(default_factory=Reports)


def observe(folder: Path) -> int:
    """Put the observer before the first script of every HTML page in ``folder``."""
    pages = 0
    for page in folder.rglob("*.html"):
        html = page.read_text()
        at = html.find("<script")
        if at == -1:
            continue  # no script of its own to observe (static/framed.html)
        page.write_text(f'{html[:at]}<script src="/observer.js"></script>\n  {html[at:]}')
        pages += 1
    return pages


@contextmanager
def observed_site() -> Iterator[ObservedSite]:
    """Build and serve the site with the observer, and a stand-in that knows its URL."""
    root = Path(tempfile.mkdtemp(prefix="observed-"))
    standin_port = free_port()
    try:
        config = {"environment": "standin", "base_url": f"http://localhost:{standin_port}"}
        build(root / "app", {**config, "client_id": DEMO_CLIENT_ID}, starter=False, api=False)
        if observe(root / "app") < 2:  # the demo and the example
            raise RuntimeError("the observer was not put into the site's pages")
        shutil.copy(OBSERVER, root / "observer.js")
        server, console = serve_with_reports(root)
        url = f"http://127.0.0.1:{server.server_port}/app/"
        example = url + "examples/minimal/"
        standin = serve_standin(standin_port, StandinOptions(redirect_uris=[url, example]))
        try:
            yield ObservedSite(url, standin, root, console)
        finally:
            standin.shutdown()
            server.shutdown()
    finally:
        shutil.rmtree(root, ignore_errors=True)
