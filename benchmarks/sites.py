"""The benchmark's four pages, written side by side and served like a static host.

- ``app``: the built demo, configured for the stand-in;
- ``bare``: a PyScript page on the same vendored runtime whose main.py only sets
  the marker (the runtime's floor);
- ``stock``: the same bare page on the runtime exactly as npm ships it (what the
  precompiled standard library buys);
- ``plain``: a plain JavaScript page (the absolute floor).

Every page sets ``body[data-auth=signed-out]`` when it is ready; that is what
the benchmark times.

    paths = make_sites(root, "http://localhost:8001")   # {"app": "/app/", ...}
    server = serve_tree(root, compress=True, cache_control=CACHE_POLICIES["pages"])
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from publish import stdlib
from publish.site import ROOT, build
from publish.vendor import runtime_files
from serve import DEMO_CLIENT_ID
from siteserver import SiteServer, development_cache, site_handler

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="static/vendor/pyscript/core.js"></script></head>
<body data-auth="booting"><script type="py" src="main.py" config="pyscript.toml"></script></body></html>
"""
BARE_TOML = 'interpreter = "./static/vendor/pyodide/pyodide.mjs"\n'
BARE_MAIN = 'from pyscript import document\ndocument.body.dataset.auth = "signed-out"\n'
PLAIN_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body data-auth="booting"><script src="main.js"></script></body></html>
"""
PLAIN_JS = 'document.body.dataset.auth = "signed-out";\n'


def pages_cache(_name: str) -> str:
    """GitHub Pages' caching: every file for 10 minutes, then revalidated by its ETag."""
    return "max-age=600"


CACHE_POLICIES = {"pages": pages_cache, "serve": development_cache}


def bare_page(folder: Path) -> None:
    folder.mkdir()
    (folder / "index.html").write_text(BARE_HTML)
    (folder / "pyscript.toml").write_text(BARE_TOML)
    (folder / "main.py").write_text(BARE_MAIN)


def make_sites(root: Path, standin_url: str) -> dict[str, str]:
    """Write the four pages under ``root`` and return their URL paths."""
    build(
        root / "app",
        {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID},
        starter=False,
        api=False,
    )
    bare_page(root / "bare")
    shutil.copytree(ROOT / "static" / "vendor", root / "bare" / "static" / "vendor")
    # The same page on npm's files as they are: the standard library as sources.
    bare_page(root / "stock")
    for source, target in runtime_files():
        (root / "stock" / target.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, root / "stock" / target.relative_to(ROOT))
    shutil.copy2(stdlib.SOURCE, root / "stock" / stdlib.TARGET.relative_to(ROOT))
    plain = root / "plain"
    plain.mkdir()
    (plain / "index.html").write_text(PLAIN_HTML)
    (plain / "main.js").write_text(PLAIN_JS)
    return {"app": "/app/", "bare": "/bare/", "stock": "/stock/", "plain": "/plain/"}


def serve_tree(root: Path, compress: bool, cache_control: Callable[[str], str] = pages_cache) -> SiteServer:
    """Serve every file under ``root`` on a free loopback port, in a thread."""
    files = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    # The policy sees each file's path within its site, as it would be served alone.
    policy = lambda name: cache_control(name.split("/", 1)[-1])  # noqa: E731
    server = SiteServer(("127.0.0.1", 0), site_handler(lambda: files, compress, policy))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
