"""Run the demo: the page at http://localhost:8000/ and a local Veritone at :8001.

The page is served from the working tree (edit, reload) with the config
pointed at the stand-in, so sign-in works offline with no setup. The
stand-in is a separate origin, so CORS is as real as with Veritone.

    python serve.py [--port 8000] [--standin-port 8001] [--token-ttl 604800] [--no-standin]
                    [--no-state-echo] [--redirect-uri URL ...] [--api-latency SECONDS] [--coop]

The files are served by ``siteserver.py``: ETags, gzip, and the development cache policy.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from publish import wheel
from publish.site import ROOT, rendered_files, site_files
from siteserver import SiteServer, site_handler

DEMO_CLIENT_ID = "e6ac4220-5898-456b-b6ae-ff4f4bb6b9bf"
DEMO_USER = ("demo@example.com", "demo")


def demo_config(standin_url: str | None, echo_state: bool = True) -> dict[str, Any]:
    """The page's config for the demo: the stand-in, or production's when there is none."""
    if standin_url is None:
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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; a --redirect-uri that is not a page's http(s) address stops here."""
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
    parser.add_argument(
        "--coop",
        action="store_true",
        help="the stand-in's login page sends Cross-Origin-Opener-Policy: same-origin",
    )
    args = parser.parse_args(argv)
    for uri in args.redirect_uri:
        if not uri.startswith(("http://", "https://")) or "#" in uri:
            parser.error(f"--redirect-uri {uri!r}: give the page's exact http(s) address, without a fragment")
    return args


def start(args: argparse.Namespace, page_url: str) -> tuple[list[ThreadingHTTPServer], str | None]:
    """Start the stand-in (unless --no-standin) and the page; return the servers and the stand-in's URL."""
    servers: list[ThreadingHTTPServer] = []
    standin_url = None
    if not args.no_standin:
        from standin.server import StandinOptions, serve_standin

        standin_url = f"http://localhost:{args.standin_port}"
        options = StandinOptions(
            token_ttl=args.token_ttl,
            redirect_uris=[page_url, page_url + "examples/minimal/", *args.redirect_uri],
            echo_state=not args.no_state_echo,
            api_latency=args.api_latency,
            coop=args.coop,
        )
        servers.append(serve_standin(args.standin_port, options))
    servers.append(serve_site(args.port, demo_config(standin_url, echo_state=not args.no_state_echo)))
    return servers, standin_url


def announce(args: argparse.Namespace, page_url: str, standin_url: str | None) -> None:
    """Print where everything is, who to sign in as, and what the knobs changed."""
    print(f"Page:      {page_url}")
    if standin_url:
        print(f"Stand-in:  {standin_url}/  (a local Veritone: OAuth + GraphQL)")
        print(f"Sign in as {DEMO_USER[0]} with password {DEMO_USER[1]!r}.")
        if args.no_state_echo:
            print("The stand-in does not echo state; the page runs with require_state: false.")
        if args.api_latency:
            print(f"The stand-in's API answers after {args.api_latency:g} s (--api-latency).")
        if args.coop:
            print("The stand-in's login page sends Cross-Origin-Opener-Policy: same-origin (--coop).")
    print(f"Example:   {page_url}examples/minimal/  (the smallest page on the library)")
    if standin_url and args.redirect_uri:
        config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
        print(f"Also registered: {', '.join(args.redirect_uri)}. Their config.json:")
        print(json.dumps(config))
    print("Ctrl-C stops.", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    page_url = f"http://localhost:{args.port}/"
    servers, standin_url = start(args, page_url)
    announce(args, page_url, standin_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for server in servers:  # Ctrl-C or SIGTERM: stop everything cleanly
        server.shutdown()
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
