"""Boot and warm redirect return in Chromium, Firefox and WebKit, read the same way in each.

Every number is the page's own User Timing mark (``auth:signed-out``,
``auth:signed-in``, ``profile``), in ms from the start of the navigation, so the
drivers' overheads (Playwright, puppeteer-core, Selenium) do not count. Per run,
each engine starts with a fresh profile:

- cold boot: the first load of the page, to ``auth:signed-out``;
- warm boot: a reload, signed in, to ``auth:signed-in``;
- warm redirect return: a full load of the redirect URI with a valid token
  fragment and a pending sign-in, to ``profile`` (the profile shown).

    python -m benchmarks.engines [--runs 5]

This measures and prints; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from publish.site import build
from serve import DEMO_CLIENT_ID
from standin.oauth import DEMO_USER
from standin.server import StandinOptions, serve_standin
from tests import engines
from tests.cross_engine.firefox import run_firefox
from tests.cross_engine.webkit import run_webkit
from tests.harness import CHROMIUM, CHROMIUM_ARGS, free_port, serve_folder

USER = (DEMO_USER.email, DEMO_USER.password)


def chromium_run(url: str, tokens: list[str]) -> dict[str, list[float]]:
    """One run in Chromium, like firefox.mjs and webkit.py: boot, sign in, reload, returns."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.actions import log_in

    times: dict[str, list[float]] = {"boot": [], "warm": [], "redirect": []}
    mark = "(n) => performance.getEntriesByName(n)[0].startTime"
    folder = tempfile.mkdtemp(prefix="engines-chromium-")
    try:
        with sync_playwright() as driver:
            context = driver.chromium.launch_persistent_context(
                folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("body[data-auth='signed-out']", state="attached")
            times["boot"].append(page.evaluate(mark, "auth:signed-out"))
            page.click("#sign-in")
            log_in(page)
            page.wait_for_selector("body[data-auth='signed-in']", state="attached")
            page.reload()
            page.wait_for_selector("body[data-auth='signed-in']", state="attached")
            times["warm"].append(page.evaluate(mark, "auth:signed-in"))
            for token in tokens:
                page.evaluate(
                    """(url) => { sessionStorage.clear(); sessionStorage.setItem('veritone.pending',
                       JSON.stringify({state: 'bench', started_at: Date.now() / 1000, redirect_uri: url,
                                       mode: 'redirect'})); }""",
                    url,
                )
                page.goto("about:blank")
                page.goto(f"{url}#access_token={token}&token_type=Bearer&state=bench")
                page.wait_for_function("() => performance.getEntriesByName('profile').length > 0")
                times["redirect"].append(page.evaluate(mark, "profile"))
            context.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return times


def median(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f}" if values else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per engine (default 5)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="engines-site-"))
    standin_port = free_port()
    standin_url = f"http://localhost:{standin_port}"
    build(
        root / "app",
        {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID},
        starter=False,
        api=False,
    )
    static = serve_folder(root)
    url = f"http://127.0.0.1:{static.server_port}/app/"
    server = serve_standin(standin_port, StandinOptions(redirect_uris=[url]))

    def tokens() -> list[str]:
        return [server.standin.issuer.issue(DEMO_USER.id, DEMO_CLIENT_ID, "127.0.0.1") for _ in range(3)]

    results: dict[str, dict[str, list[float]]] = {}
    runners: dict[str, Any] = {
        "Chromium": lambda: chromium_run(url, tokens()),
        "Firefox": lambda: run_firefox(url, tokens=tokens())["times"],
        "WebKit": lambda: run_webkit(url, USER, tokens=tokens())["times"],
    }
    found = {"Chromium": bool(CHROMIUM), "Firefox": bool(engines.firefox()), "WebKit": bool(engines.webkit())}
    try:
        for _ in range(args.runs):  # the engines take turns, so drift hits them alike
            for name, run in runners.items():
                if not found[name]:
                    continue
                server.standin.sessions.clear()
                times = run()
                for series, values in times.items():
                    results.setdefault(name, {}).setdefault(series, []).extend(v for v in values if v)
    finally:
        server.shutdown()
        static.shutdown()
        shutil.rmtree(root, ignore_errors=True)

    print(f"\nMedians in ms, {args.runs} runs per engine (3 redirect returns per run):\n")
    print("| engine | cold boot | warm boot (reload) | warm redirect return |")
    print("|---|---:|---:|---:|")
    for name in runners:
        if name not in results:
            print(f"| {name} | not found: {engines.install_command(name.lower())} | | |")
            continue
        r = results[name]
        print(f"| {name} | {median(r['boot'])} | {median(r['warm'])} | {median(r['redirect'])} |")


if __name__ == "__main__":
    main()
