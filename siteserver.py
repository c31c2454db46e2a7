"""The site's HTTP server: a site's files with ETags, gzip and a cache policy, as a static host serves them.

``serve.py`` serves the working tree with it (the development policy: the
runtime cached for a day, the page and our own code revalidated on every
load); the benchmark serves its sites with it the way GitHub Pages does.

    server = SiteServer(("localhost", 8000), site_handler(lambda: {"index.html": Path("index.html")}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from publish import wheel

# Compress what is big and compressible; the wasm shrinks from 9.6 to ~3.5 MB.
GZIP_SUFFIXES = {".wasm", ".mjs", ".js", ".css", ".json", ".zip", ".html", ".py", ".toml"}
GZIP_MIN_BYTES = 1024
MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".toml": "application/toml",
    ".py": "text/x-python",
    ".whl": "application/zip",
}


def content_type(name: str) -> str:
    suffix = Path(name).suffix
    guessed = MIME_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


@dataclass(frozen=True)
class Asset:
    """A file's bytes with what serving it needs, computed once per version of the file."""

    data: bytes
    etag: str

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.data, compresslevel=6, mtime=0)


@lru_cache(maxsize=256)
def _asset(path: Path, mtime_ns: int, size: int) -> Asset:
    data = path.read_bytes()
    return Asset(data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')


def asset(source: bytes | Path) -> Asset:
    """Return the Asset for rendered bytes or a file; a changed file is read again."""
    if isinstance(source, bytes):
        return Asset(source, '"' + hashlib.sha256(source).hexdigest()[:32] + '"')
    stat = source.stat()
    return _asset(source, stat.st_mtime_ns, stat.st_size)


def development_cache(name: str) -> str:
    """The demo's caching: the runtime for a day; the page and our own code revalidate every time.

    The library's wheel is under static/vendor/ but is rebuilt on every edit of its sources.
    """
    if name.startswith("static/vendor/") and not name.startswith(f"static/vendor/wheels/{wheel.PACKAGE}-"):
        return "public, max-age=86400"
    return "no-cache"


def site_handler(
    files: Callable[[], dict[str, bytes | Path]],
    compress: bool = True,
    cache_control: Callable[[str], str] = development_cache,
) -> type[BaseHTTPRequestHandler]:
    """Return a handler serving ``files()`` (URL path -> bytes or file) at the root."""

    class SiteHandler(BaseHTTPRequestHandler):
        server_version = "veritone-implicit-demo"
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else keep-alive adds ~40 ms per request

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet: the page never puts a token in a URL, but logs stay empty anyway

        def do_HEAD(self) -> None:
            self.do_GET(body=False)

        def do_GET(self, body: bool = True) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
            name = path or "index.html"
            if name.endswith("/"):
                name += "index.html"
            source = files().get(name)
            if source is None:
                self.send_error(HTTPStatus.NOT_FOUND, "Not found")
                return
            served = asset(source)
            data, etag = served.data, served.etag
            self.send_response_only(
                HTTPStatus.NOT_MODIFIED if self.headers.get("If-None-Match") == etag else HTTPStatus.OK
            )
            self.send_header("Content-Type", content_type(name))
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache_control(name))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            if self.headers.get("If-None-Match") == etag:
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            accepts_gzip = compress and "gzip" in self.headers.get("Accept-Encoding", "")
            if accepts_gzip and Path(name).suffix in GZIP_SUFFIXES and len(data) >= GZIP_MIN_BYTES:
                data = served.gzipped
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return SiteHandler


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that left is not news
            super().handle_error(request, client_address)
