"""Page readiness and sign-in latency, against baselines measured in the same run: ``./dev bench``.

Four pages are served side by side from one server (``sites.py``): the built
app, a bare PyScript page on the same vendored runtime, the same bare page on
the runtime exactly as npm ships it (``stock``), and a plain JavaScript page.
By default the server behaves like GitHub Pages, which is what users get:
gzip, ETags and ``Cache-Control: max-age=600`` on every file. ``--server
serve`` uses serve.py's development policy instead (the runtime cached for a
day, the page and its Python revalidated on every load).

On loopback (``measure.py``), each page is loaded cold (a new Chromium profile
per run) and warm (one profile, primed once), the pages taking turns in each
run. In each warm run the app also takes a redirect return from the stand-in:
it lands with a valid token fragment, timed to the profile being shown. Then a
popup sign-in, timed from the popup's return to our origin to the opener being
signed in. Then the bytes a cold load of the app transfers, with and without gzip.

Over emulated networks (``network.py``, ``--network-runs``, 3 by default):
app, bare and stock cold, interleaved, at 20 Mbit/s with 40 ms RTT and at
9 Mbit/s with 150 ms RTT; each page's ready time and bytes per file, the pages
paired run by run, and when the app's boot files arrived.

    python -m benchmarks.pageload [--runs 7] [--server pages|serve] [--network-runs 3]
                                  [--json benchmarks/results/latest.json]
                                  [--baseline benchmarks/baselines/main-before-issue-22.json]

It ends with issue 33's targets (``targets.py``), each met or not; the warm
redirect return is held to ``--baseline``, an earlier run's JSON (main before
that issue, by default). This measures and prints; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.site import ROOT
from standin.server import StandinOptions, StandinServer, serve_standin
from tests.harness import free_port

from .measure import popup_completion, readiness, redirect_return, transferred
from .network import NETWORKS, ColdLoad, delivered_mbit_s, over_networks
from .report import Series, loopback_pairs, loopback_ratios, loopback_report, network_report, summarize
from .sites import CACHE_POLICIES, make_sites, serve_tree
from .targets import BASELINE, TARGET_NETWORK, targets, targets_report

__all__ = ["BASELINE", "TARGET_NETWORK", "main", "run", "targets"]


@dataclass
class Measured:
    """What one run of the benchmark measured, before any median."""

    series: dict[str, Series]  # loopback, in the tables' order
    loads: dict[str, dict[str, list[ColdLoad]]]  # network -> page -> its cold loads
    delivered: dict[str, float]  # network -> Mbit/s its emulation gave one download alone
    sizes: dict[str, int]  # the app's cold transfer, "gzip" and "identity"


def run(
    runs: int,
    out: Path | None,
    log: Callable[[str], None] = print,
    server: str = "pages",
    network_runs: int = 0,
    baseline: Path | None = BASELINE,
) -> dict[str, Any]:
    """Measure, print the tables and the targets, write the JSON to ``out``; return the JSON."""
    started = time.monotonic()
    measured = measure(runs, server, network_runs, log)
    result = as_json(measured, runs, server)
    rows = targets(result, json.loads(baseline.read_text()) if baseline else None)
    lines = loopback_report(measured.series, measured.sizes, runs, server)
    report = "\n".join(lines + network_report(result["networks"]) + targets_report(rows))
    log(report)
    result["targets"] = [
        {"target": what, "measured": value, "limit": limit, "met": met} for what, value, limit, met in rows
    ]
    result["seconds"] = round(time.monotonic() - started, 1)
    result["table"] = report
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        log(f"wrote {out}")
    return result


def measure(runs: int, server: str, network_runs: int, log: Callable[[str], None]) -> Measured:
    """Build and serve the four pages and the stand-in, then take every measurement."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-sites-") as tmp, ExitStack() as running:
        root = Path(tmp)
        standin_port = free_port()
        paths = make_sites(root, f"http://localhost:{standin_port}")
        policy = CACHE_POLICIES[server]
        gzip_server, plain_server = serve_tree(root, True, policy), serve_tree(root, False, policy)
        running.callback(plain_server.shutdown)
        running.callback(gzip_server.shutdown)
        urls = {name: f"http://127.0.0.1:{gzip_server.server_port}{path}" for name, path in paths.items()}
        standin = serve_standin(standin_port, StandinOptions(redirect_uris=[urls["app"]]))
        running.callback(standin.shutdown)
        with sync_playwright() as playwright:
            log(f"measuring readiness and redirect return ({', '.join(paths)} interleaved; {server} server)…")
            series = loopback(playwright, urls, standin, runs, log)
            loads, delivered = {}, {}
            if network_runs:
                log(f"measuring cold loads over {len(NETWORKS)} emulated networks ({network_runs} runs)…")
                pages = {name: urls[name] for name in ("app", "bare", "stock")}
                loads = over_networks(playwright, pages, network_runs)
                log("probing what each emulated line delivers…")
                delivered = {net: delivered_mbit_s(playwright, urls["app"], net) for net in NETWORKS}
            log("measuring bytes…")
            sizes = {
                "gzip": transferred(playwright, urls["app"]),
                "identity": transferred(
                    playwright, f"http://127.0.0.1:{plain_server.server_port}{paths['app']}"
                ),
            }
    return Measured(series, loads, delivered, sizes)


def loopback(
    playwright: Any, urls: dict[str, str], standin: StandinServer, runs: int, log: Callable[[str], None]
) -> dict[str, Series]:
    """Each page cold and warm, the app's warm redirect return, then its popup sign-in."""
    times = readiness(
        playwright, urls, runs, lambda page, run: redirect_return(page, urls["app"], standin, run)
    )
    series: dict[str, Series] = {}
    for name in urls:
        series[f"{name}_cold"] = Series(f"{name}: cold load to ready", times[f"{name}_cold"])
        series[f"{name}_warm"] = Series(f"{name}: warm load to ready", times[f"{name}_warm"])
    series["redirect"] = Series("app: warm redirect return to profile shown", times["redirect"])
    log("measuring popup completion…")
    series["popup"] = Series(
        "app: popup back on our origin to signed in", popup_completion(playwright, urls["app"], runs)
    )
    return series


def as_json(measured: Measured, runs: int, server: str) -> dict[str, Any]:
    series = measured.series
    return {
        "runs": runs,
        "server": server,
        "series": {
            k: {"name": s.name, "values_ms": s.values, "median_ms": s.median} for k, s in series.items()
        },
        "ratios": loopback_ratios(series),
        "paired": loopback_pairs(series),
        "bytes": measured.sizes,
        "networks": summarize(measured.loads, measured.delivered),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark page readiness and sign-in latency.")
    parser.add_argument("--runs", type=int, default=7, help="runs per series (default 7)")
    parser.add_argument(
        "--server",
        choices=sorted(CACHE_POLICIES),
        default="pages",
        help="caching like GitHub Pages (default), or like serve.py",
    )
    parser.add_argument(
        "--network-runs",
        type=int,
        default=3,
        help="cold loads of the app, bare and stock pages per emulated network (default 3; 0: none)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=BASELINE,
        help="an earlier run's --json for the redirect-return target (default: main before issue 22)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run(args.runs, args.json, server=args.server, network_runs=args.network_runs, baseline=args.baseline)


if __name__ == "__main__":
    main()
