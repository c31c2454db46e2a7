"""Run the demo: the page at http://localhost:8000/ and a local Veritone at :8001.

The page is served from the working tree (edit, reload) with the config
pointed at the stand-in, so sign-in works offline with no setup. The
stand-in is a separate origin, so CORS is as real as with Veritone.

    python serve.py [--port 8000] [--standin-port 8001] [--token-ttl 604800] [--no-standin]
                    [--no-state-echo]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import mimetypes
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from publish import wheel
from publish.site import ROOT, rendered_files, site_files

DEMO_CLIENT_ID = "e6ac4220-5898-456b-b6ae-ff4f4bb6b9bf"
DEMO_USER = ("demo@example.com", "demo")

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


def demo_config(standin_url: str | None, echo_state: bool = True) -> dict[str, Any]:
    """The page's config for the demo: the stand-in, or production's when there is none."""
    if standin_url is None:
        import json

        return json.loads(Path("config.json").read_text(encoding="utf-8"))
    config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
    if not echo_state:
        config["require_state"] = False
    return config


def serve_site(
    port: int, config: dict[str, Any], host: str = "localhost", root: Path = ROOT
) -> ThreadingHTTPServer:
    """Start serving the working tree's site in a thread and return the server."""

    def files() -> dict[str, bytes | Path]:
        # Re-read on every request: edit main.py or the library and just reload (an edited
        # library source is built into the wheel first, in a few seconds).
        wheel.build(root, root / "static" / "vendor" / "wheels")
        wheel.build_views(root, root / "static" / "vendor" / "wheels")
        return {**site_files(root), **rendered_files(config, root)}

    server = SiteServer((host, port), site_handler(files))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Sign in with Veritone demo.")
    parser.add_argument("--port", type=int, default=8000, help="page port (default 8000)")
    parser.add_argument("--standin-port", type=int, default=8001, help="stand-in port (default 8001)")
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=604800,
        metavar="SECONDS",
        help="lifetime of stand-in tokens (default 604800, 7 days)",
    )
    parser.add_argument(
        "--no-standin", action="store_true", help="serve the page only, configured by config.json"
    )
    parser.add_argument(
        "--no-state-echo",
        action="store_true",
        help="answer like the guide's sample, without state (the page sets require_state: false)",
    )
    parser.add_argument(
        "--redirect-uri",
        action="append",
        default=[],
        metavar="URL",
        help="register another page with the stand-in (its exact address; repeatable)",
    )
    parser.add_argument(
        "--api-latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the stand-in's GraphQL and REST logout answer only after this long (a stalled network)",
    )
    args = parser.parse_args(argv)
    for uri in args.redirect_uri:
        if not uri.startswith(("http://", "https://")) or "#" in uri:
            parser.error(f"--redirect-uri {uri!r}: give the page's exact http(s) address, without a fragment")

    page_url = f"http://localhost:{args.port}/"
    servers: list[Any] = []
    standin_url = None
    if not args.no_standin:
        from standin.server import StandinOptions, serve_standin

        standin_url = f"http://localhost:{args.standin_port}"
        options = StandinOptions(
            token_ttl=args.token_ttl,
            redirect_uris=[page_url, page_url + "examples/minimal/", *args.redirect_uri],
            echo_state=not args.no_state_echo,
            api_latency=args.api_latency,
        )
        servers.append(serve_standin(args.standin_port, options))
    servers.append(serve_site(args.port, demo_config(standin_url, echo_state=not args.no_state_echo)))

    print(f"Page:      {page_url}")
    if standin_url:
        print(f"Stand-in:  {standin_url}/  (a local Veritone: OAuth + GraphQL)")
        print(f"Sign in as {DEMO_USER[0]} with password {DEMO_USER[1]!r}.")
        if args.no_state_echo:
            print("The stand-in does not echo state; the page runs with require_state: false.")
        if args.api_latency:
            print(f"The stand-in's API answers after {args.api_latency:g} s (--api-latency).")
    print(f"Example:   {page_url}examples/minimal/  (the smallest page on the library)")
    if standin_url and args.redirect_uri:
        config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
        print(f"Also registered: {', '.join(args.redirect_uri)}. Their config.json:")
        print(json.dumps(config))
    print("Ctrl-C stops.", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for server in servers:
        server.shutdown()
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
