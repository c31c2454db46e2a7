"""Loads timed in the page, on loopback: readiness cold and warm, the redirect return, the popup, bytes.

Times are taken in the page (``performance.now()`` when the marker appears),
so they start at navigation and exclude Playwright's own overhead. Cold means
a new Chromium profile (an empty HTTP cache) per load; warm means one profile
per page, primed once.

    with sync_playwright() as playwright:
        times = readiness(playwright, {"app": url, "bare": bare_url}, runs=7, redirect=...)
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import urlencode

from serve import DEMO_CLIENT_ID
from standin.oauth import DEMO_USER
from standin.server import StandinServer
from tests.harness import CHROMIUM, CHROMIUM_ARGS

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
# Bytes on the wire of everything a page loaded (headers excluded), from Resource Timing.
ALL_BYTES = """performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""


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
    2-core machine is noisy) falls on all of them alike and the ratios hold; the
    i-th value of every list comes from the same run, so they pair.
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
        return int(page.evaluate(ALL_BYTES))
