"""Page readiness and sign-in latency, against baselines measured in the same run.

Four pages are served side by side from one server: the built app, a bare
PyScript page on the same vendored runtime whose main.py only sets a marker
(the runtime floor), the same bare page on the runtime exactly as npm ships it
(``stock``: what the precompiled standard library buys), and a plain
JavaScript page (the absolute floor). By default the server behaves like
GitHub Pages, which is what users get: gzip, ETags and
``Cache-Control: max-age=600`` on every file. ``--server serve`` uses
serve.py's development policy instead (the runtime cached for a day, the
page and its Python revalidated on every load). Each is loaded cold (a new
Chromium profile per run) and warm (one profile, primed once). In each warm
run the app also takes a redirect return from the stand-in: it lands with a
valid token fragment, timed to the profile being shown. Then a popup sign-in,
timed from the popup's return to our origin to the opener being signed in.
Last, the bytes a cold load of the app transfers, with and without gzip.

Times are taken in the page (``performance.now()`` when the marker appears),
so they start at navigation and exclude Playwright's own overhead.

    python -m benchmarks.pageload [--runs 7] [--server pages|serve] [--json benchmarks/results/latest.json]
                                  [--baseline benchmarks/baselines/main-before-issue-22.json]

It ends with issue 22's targets, each met or not; the warm redirect return is held to
``--baseline``, an earlier run's JSON (main before that issue, by default).

This measures and prints; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from publish import stdlib
from publish.site import ROOT, build
from publish.vendor import runtime_files
from serve import DEMO_CLIENT_ID, SiteServer, development_cache, site_handler
from standin.oauth import DEMO_USER
from standin.server import StandinOptions, StandinServer, serve_standin
from tests.harness import CHROMIUM, CHROMIUM_ARGS, free_port

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

# Installed before any page script: note when body[data-auth] or #profile-name change.
MARKERS = """
(() => {
  const marks = (window.__marks = {});
  new MutationObserver(() => {
    const body = document.body;
    if (body && !(body.dataset.auth in marks)) marks[body.dataset.auth] = performance.now();
    const name = document.getElementById("profile-name");
    if (name && name.textContent && name.textContent !== "…" && !("profile" in marks)) {
      marks.profile = performance.now();
    }
    if (marks["signed-in"] && !marks.signedInAt) marks.signedInAt = Date.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  if (window.opener && location.hash.includes("access_token")) {
    try { window.opener.__popupReturnedAt = Date.now(); } catch (e) {}
  }
})();
"""


@dataclass
class Series:
    name: str
    values: list[float]
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def row(self) -> str:
        return (
            f"| {self.name} | {self.median:,.0f} | {min(self.values):,.0f} | "
            f"{max(self.values):,.0f} | {len(self.values)} |"
        )


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
    files = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    # The policy sees each file's path within its site, as it would be served alone.
    policy = lambda name: cache_control(name.split("/", 1)[-1])  # noqa: E731
    server = SiteServer(("127.0.0.1", 0), site_handler(lambda: files, compress, policy))
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def profile(playwright: Any) -> Iterator[Any]:
    """A fresh persistent Chromium profile: its HTTP cache starts empty."""
    folder = tempfile.mkdtemp(prefix="bench-profile-")
    context = playwright.chromium.launch_persistent_context(
        folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    context.add_init_script(MARKERS)
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)


def load(page: Any, url: str, mark: str = "signed-out") -> float:
    """Navigate and return ms from navigation start to the mark."""
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("(m) => window.__marks && m in window.__marks", arg=mark, timeout=60_000)
    return float(page.evaluate("(m) => window.__marks[m]", mark))


def readiness(
    playwright: Any, urls: dict[str, str], runs: int, redirect: Callable[[Any, int], float]
) -> dict[str, list[float]]:
    """Cold and warm readiness of each page, and the app's warm redirect return, interleaved run by run.

    The pages take turns in every run, so drift in the machine's speed (this
    2-core machine is noisy) falls on all of them alike and the ratios hold.
    The redirect return runs in the app's warm profile right after the warm loads.
    """
    times: dict[str, list[float]] = {f"{name}_{kind}": [] for name in urls for kind in ("cold", "warm")}
    times["redirect"] = []
    for _ in range(runs):
        for name, url in urls.items():
            with profile(playwright) as context:
                times[f"{name}_cold"].append(load(context.new_page(), url))
    with ExitStack() as stack:
        pages = {name: stack.enter_context(profile(playwright)).new_page() for name in urls}
        for name, url in urls.items():
            load(pages[name], url)  # prime the cache
        for run in range(runs):
            for name, url in urls.items():
                times[f"{name}_warm"].append(load(pages[name], url))
            times["redirect"].append(redirect(pages["app"], run))
    return times


def redirect_return(page: Any, url: str, standin: StandinServer, run: int) -> float:
    """Warm: land on the redirect URI with a valid token fragment; ms until the profile shows."""
    token = standin.standin.issuer.issue(DEMO_USER.id, DEMO_CLIENT_ID, "127.0.0.1")
    state = f"bench-state-{run}"
    page.evaluate(
        """([state, uri]) => sessionStorage.setItem('veritone.pending', JSON.stringify(
            {state, started_at: Date.now() / 1000, redirect_uri: uri, mode: 'redirect'}))""",
        [state, url],
    )
    fragment = urlencode({"access_token": token, "token_type": "Bearer", "state": state})
    elapsed = load(page, f"{url}#{fragment}", "profile")
    page.evaluate("sessionStorage.clear()")
    return elapsed


def popup_completion(playwright: Any, url: str, runs: int) -> list[float]:
    """From the popup's return to our origin to the opener's body[data-auth=signed-in]."""
    times = []
    with profile(playwright) as context:
        page = context.new_page()
        for _ in range(runs):
            load(page, url)
            with page.expect_popup() as popup_info:
                page.click("#sign-in-popup")
            popup = popup_info.value
            popup.wait_for_selector("input[name=username]")
            popup.fill("input[name=username]", DEMO_USER.email)
            popup.fill("input[name=password]", DEMO_USER.password)
            popup.wait_for_timeout(1500)  # a person takes a moment to type; the opener uses it
            popup.click("button[value=allow]")
            page.wait_for_function(
                "() => window.__marks.signedInAt && window.__popupReturnedAt", timeout=60_000
            )
            times.append(float(page.evaluate("window.__marks.signedInAt - window.__popupReturnedAt")))
            page.evaluate("sessionStorage.clear()")
            context.clear_cookies()
    return times


def transferred(playwright: Any, url: str) -> int:
    """Bytes on the wire for a cold load (headers excluded), from Resource Timing."""
    with profile(playwright) as context:
        page = context.new_page()
        load(page, url)
        return int(
            page.evaluate(
                "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                ".reduce((sum, e) => sum + e.encodedBodySize, 0)"
            )
        )


# Cold loads over an emulated network (Chromium's CDP Network.emulateNetworkConditions):
# download and upload in bytes per second, round trip in ms. Users are not on loopback.
NETWORKS = {
    "20 Mbit/s, 40 ms RTT": (20e6 / 8, 5e6 / 8, 40),
    "9 Mbit/s, 150 ms RTT (phone)": (9e6 / 8, 2e6 / 8, 150),
}
# The runtime's files, in the order the boot needs them: the critical chain.
CHAIN = (
    "start.js",
    "core.js",
    "pyscript.toml",
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide.asm.wasm.br",  # the app's, as brotli (static/runtime.js)
    "pyodide-lock.json",
    "python_stdlib.zip",
    "python_stdlib.zip.br",
    "config.json",
    "main.py",
)
RESOURCES = """() => performance.getEntriesByType("resource").map(
  (e) => [e.name.split("?")[0].split("/").pop(), e.startTime, e.responseEnd, e.encodedBodySize])"""


def throttled_cold(
    playwright: Any, url: str, network: str
) -> tuple[float, int, dict[str, tuple[float, float]]]:
    """One cold load over ``network``: ms to ready, bytes, and when each chain file was asked for and came."""
    down, up, rtt = NETWORKS[network]
    with profile(playwright) as context:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        conditions = {"offline": False, "latency": rtt, "downloadThroughput": down, "uploadThroughput": up}
        cdp.send("Network.emulateNetworkConditions", conditions)
        ready = load(page, url)
        entries = page.evaluate(RESOURCES)
        navigation = page.evaluate("performance.getEntriesByType('navigation')[0].encodedBodySize")
    chain = {
        name: (start, end) for name, start, end, _size in entries if name in CHAIN or name.endswith(".whl")
    }
    return ready, int(navigation + sum(e[3] for e in entries)), chain


def over_networks(playwright: Any, urls: dict[str, str], runs: int) -> dict[str, Any]:
    """Cold loads of each page over each network, interleaved run by run; the app's chain."""
    results: dict[str, Any] = {}
    for network in NETWORKS:
        ready: dict[str, list[float]] = {name: [] for name in urls}
        sizes: dict[str, list[int]] = {name: [] for name in urls}
        chains: list[dict[str, tuple[float, float]]] = []
        for _ in range(runs):
            for name, url in urls.items():
                took, size, chain = throttled_cold(playwright, url, network)
                ready[name].append(took)
                sizes[name].append(size)
                if name == "app":
                    chains.append(chain)
        files = sorted({f for c in chains for f in c}, key=lambda f: min(c[f][0] for c in chains if f in c))
        results[network] = {
            "ready": {name: Series(f"{name}: cold over {network}", values) for name, values in ready.items()},
            "bytes": {name: statistics.median(values) for name, values in sizes.items()},
            "chain": {
                f: tuple(statistics.median(c[f][i] for c in chains if f in c) for i in (0, 1)) for f in files
            },
        }
    return results


def network_report(results: dict[str, Any]) -> list[str]:
    lines = []
    for network, result in results.items():
        ready, sizes = result["ready"], result["bytes"]
        lines += [
            "",
            f"Cold loads over {network} (Chromium network emulation):",
            "",
            "| page | median ms | min | max | transferred MB |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {name} | {s.median:,.0f} | {min(s.values):,.0f} | {max(s.values):,.0f} "
                f"| {sizes[name] / 1e6:.2f} |"
                for name, s in ready.items()
            ),
            "",
            f"app/stock cold: {ready['app'].median / ready['stock'].median:.2f}× "
            f"(target ≤ 0.40×: {'met' if ready['app'].median <= 0.4 * ready['stock'].median else 'not met'})",
            "",
            "The app's chain (medians, ms from navigation): asked for → arrived",
            "",
            *(f"- {name}: {start:,.0f} → {end:,.0f}" for name, (start, end) in result["chain"].items()),
        ]
    return lines


def ratio(a: Series, b: Series) -> str:
    return f"{a.median / b.median:.2f}×"


# Issue 22's targets. The redirect return is held to main's before that issue, as a ratio to
# the bare page's warm load of the same run, so the two runs' machine speeds cancel out.
BASELINE = ROOT / "benchmarks" / "baselines" / "main-before-issue-22.json"
TARGET_NETWORK = next(iter(NETWORKS))


def targets(
    result: dict[str, Any], baseline: dict[str, Any] | None
) -> list[tuple[str, str, str, bool | None]]:
    """Each target as (what, measured, limit, met); met is None where this run did not measure it."""
    median = {name: s["median_ms"] for name, s in result["series"].items()}
    rows: list[tuple[str, str, str, bool | None]] = []
    gzip = result["bytes"]["gzip"]
    rows.append(("signed-out cold load, transferred", f"{gzip / 1e6:.2f} MB", "≤ 4.50 MB", gzip <= 4.5e6))
    network = result["networks"].get(TARGET_NETWORK)
    if network is None:
        rows.append((f"cold load over {TARGET_NETWORK}", "not measured", "≤ 2,500 ms", None))
        rows.append((f"app/stock cold over {TARGET_NETWORK}", "not measured", "≤ 0.40×", None))
    else:
        app, stock = network["ready_median_ms"]["app"], network["ready_median_ms"]["stock"]
        rows.append((f"cold load over {TARGET_NETWORK}", f"{app:,.0f} ms", "≤ 2,500 ms", app <= 2500))
        rows.append(
            (f"app/stock cold over {TARGET_NETWORK}", f"{app / stock:.2f}×", "≤ 0.40×", app <= 0.4 * stock)
        )
    for kind in ("cold", "warm"):
        value = median[f"app_{kind}"] / median[f"bare_{kind}"]
        rows.append((f"app/bare {kind} on loopback", f"{value:.2f}×", "≤ 1.05×", value <= 1.05))
    value = median["redirect"] / median["bare_warm"]
    if baseline is None:
        rows.append(
            ("warm redirect return/bare warm", f"{value:.2f}×", "main's before issue 22: no baseline", None)
        )
    else:
        limit = baseline["series"]["redirect"]["median_ms"] / baseline["series"]["bare_warm"]["median_ms"]
        rows.append(
            (
                "warm redirect return/bare warm",
                f"{value:.2f}×",
                f"≤ {limit:.2f}× (main before issue 22)",
                value <= limit,
            )
        )
    return rows


def targets_report(rows: list[tuple[str, str, str, bool | None]]) -> list[str]:
    verdict = {True: "met", False: "not met", None: "not measured"}
    return [
        "",
        "Targets (issue 22):",
        "",
        "| target | measured | limit | |",
        "|---|---:|---|---|",
        *(f"| {what} | {measured} | {limit} | {verdict[met]} |" for what, measured, limit, met in rows),
    ]


def run(
    runs: int,
    out: Path | None,
    log: Callable[[str], None] = print,
    server: str = "pages",
    network_runs: int = 0,
    baseline: Path | None = BASELINE,
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-sites-") as tmp:
        root = Path(tmp)
        standin_port = free_port()
        standin_url = f"http://localhost:{standin_port}"
        paths = make_sites(root, standin_url)
        policy = CACHE_POLICIES[server]
        gzip_server, plain_server = serve_tree(root, True, policy), serve_tree(root, False, policy)
        base = f"http://127.0.0.1:{gzip_server.server_port}"
        app_url = base + paths["app"]
        standin = serve_standin(standin_port, StandinOptions(redirect_uris=[app_url]))
        series: dict[str, Series] = {}
        with sync_playwright() as playwright:
            log(f"measuring readiness and redirect return ({', '.join(paths)} interleaved; {server} server)…")
            times = readiness(
                playwright,
                {name: base + path for name, path in paths.items()},
                runs,
                lambda page, run: redirect_return(page, app_url, standin, run),
            )
            for name in paths:
                series[f"{name}_cold"] = Series(f"{name}: cold load to ready", times[f"{name}_cold"])
                series[f"{name}_warm"] = Series(f"{name}: warm load to ready", times[f"{name}_warm"])
            series["redirect"] = Series("app: warm redirect return to profile shown", times["redirect"])
            log("measuring popup completion…")
            series["popup"] = Series(
                "app: popup back on our origin to signed in", popup_completion(playwright, app_url, runs)
            )
            networked = {}
            if network_runs:
                log(f"measuring cold loads over {len(NETWORKS)} emulated networks ({network_runs} runs)…")
                pages = {name: base + paths[name] for name in ("app", "bare", "stock")}
                networked = over_networks(playwright, pages, network_runs)
            log("measuring bytes…")
            sizes = {
                "gzip": transferred(playwright, app_url),
                "identity": transferred(
                    playwright, f"http://127.0.0.1:{plain_server.server_port}{paths['app']}"
                ),
            }
        standin.shutdown()
        gzip_server.shutdown()
        plain_server.shutdown()

    ratios = {
        "app/bare cold": ratio(series["app_cold"], series["bare_cold"]),
        "app/bare warm": ratio(series["app_warm"], series["bare_warm"]),
        "redirect return/bare warm": ratio(series["redirect"], series["bare_warm"]),
        "stock/bare cold": ratio(series["stock_cold"], series["bare_cold"]),
        "stock/bare warm": ratio(series["stock_warm"], series["bare_warm"]),
    }
    lines = [
        f"Runs per series: {runs}. Machine: {platform.machine()}, {platform.system()}, "
        f"{__import__('os').cpu_count()} cores; Chromium at {CHROMIUM}; server: {server} "
        f"({'gzip, ETag, max-age=600 on every file' if server == 'pages' else 'serve.py policy'}).",
        "",
        "| series | median ms | min | max | runs |",
        "|---|---:|---:|---:|---:|",
        *(s.row() for s in series.values()),
        "",
        "| ratio | value |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in ratios.items()),
        "",
        f"Cold transfer of the app: {sizes['gzip'] / 1e6:.2f} MB with gzip, "
        f"{sizes['identity'] / 1e6:.2f} MB without.",
        *network_report(networked),
    ]
    result: dict[str, Any] = {
        "runs": runs,
        "server": server,
        "series": {
            k: {"name": s.name, "values_ms": s.values, "median_ms": s.median} for k, s in series.items()
        },
        "ratios": ratios,
        "bytes": sizes,
        "networks": {
            network: {
                "ready_median_ms": {name: s.median for name, s in measured["ready"].items()},
                "bytes_median": measured["bytes"],
                "chain_ms": measured["chain"],
            }
            for network, measured in networked.items()
        },
    }
    rows = targets(result, json.loads(baseline.read_text()) if baseline else None)
    report = "\n".join(lines + targets_report(rows))
    log(report)
    result["targets"] = [
        {"target": what, "measured": measured, "limit": limit, "met": met}
        for what, measured, limit, met in rows
    ]
    result["seconds"] = round(time.monotonic() - started, 1)
    result["table"] = report
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        log(f"wrote {out}")
    return result


def main() -> None:
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
    args = parser.parse_args()
    run(args.runs, args.json, server=args.server, network_runs=args.network_runs, baseline=args.baseline)


if __name__ == "__main__":
    main()
