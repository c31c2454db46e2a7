"""The runtime as brotli (static/runtime.js): never the plain files on a normal load, the plain
files when a .br or the decoder cannot be had, a clear failure when a .br breaks mid-stream,
and a progress bar that moves while the runtime downloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from publish import brotli
from tests.e2e.actions import boot
from tests.e2e.conftest import Recorder
from tests.harness import BOOT_TIMEOUT_MS, Site

PLAIN = ("pyodide.asm.wasm", "python_stdlib.zip")


@pytest.fixture
def cold(browser: Any, recorder: Recorder) -> Iterator[Any]:
    """A page in a context of its own: an empty HTTP cache, so every file comes over the network."""
    context = browser.new_context()
    context.on("request", lambda request: recorder.requests.append(request))
    context.on("console", lambda message: recorder.console.append((message.type, message.text)))
    yield context.new_page()
    context.close()


def wait_failed(page: Any) -> None:
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)


def test_a_cold_load_never_asks_for_the_plain_files(
    cold: Any, standin_site: Site, recorder: Recorder
) -> None:
    boot(cold, standin_site.url)
    for name in PLAIN:
        assert recorder.fetched(name) == [], name
        assert len(recorder.fetched(name + ".br")) == 1, name
    # The original fetch is back once Pyodide has taken both files.
    assert cold.evaluate("fetch.toString()").endswith("{ [native code] }")
    assert cold.get_attribute("body", "data-boot") is None
    assert recorder.errors() == []


@pytest.mark.parametrize("blocked", ["abort", "404"])
def test_a_blocked_br_boots_from_the_plain_files(
    cold: Any, standin_site: Site, recorder: Recorder, blocked: str
) -> None:
    def block(route: Any) -> None:
        route.abort() if blocked == "abort" else route.fulfill(status=404, body="missing")

    cold.route("**/*.br", block)
    boot(cold, standin_site.url)
    for name in PLAIN:
        assert len(recorder.fetched(name)) == 1, name
    assert cold.get_attribute("body", "data-boot") is None
    assert cold.is_hidden("#boot-error")


def test_a_decoder_that_will_not_load_means_the_plain_files(
    cold: Any, standin_site: Site, recorder: Recorder
) -> None:
    # Chromium has no DecompressionStream("brotli"), so it needs brotli-dec-wasm.
    cold.route("**/brotli-dec-wasm/*.wasm", lambda route: route.fulfill(status=404, body="missing"))
    boot(cold, standin_site.url)
    for name in PLAIN:
        assert len(recorder.fetched(name)) == 1, name
    assert cold.get_attribute("body", "data-boot") is None


def broken(how: str) -> Any:
    """A route handler that serves the wasm's .br broken ``how``: corrupted or cut off mid-way."""

    def handle(route: Any) -> None:
        body = bytearray(route.fetch().body())
        middle = len(body) // 2
        if how == "corrupted":
            body[middle : middle + 4096] = bytes(4096)
        else:
            del body[middle:]
        route.fulfill(status=200, body=bytes(body), headers={"Content-Type": "application/octet-stream"})

    return handle


@pytest.mark.parametrize("how", ["corrupted", "cut off"])
def test_a_br_that_breaks_mid_stream_ends_in_the_boot_failure(
    cold: Any, standin_site: Site, recorder: Recorder, how: str
) -> None:
    cold.route("**/pyodide.asm.wasm.br", broken(how))
    cold.goto(standin_site.url)
    wait_failed(cold)
    assert "Python could not start" in cold.inner_text("#boot-error")
    assert "broke off" in cold.inner_text("#boot-error")
    assert cold.get_attribute("body", "data-auth") == "booting"
    assert cold.is_disabled("#sign-in")
    assert cold.is_hidden("#boot-progress") and cold.is_hidden("#boot-status")
    assert recorder.fetched("pyodide.asm.wasm") == []  # not half from one file, half from another
    # The notice offers a retry: with the file whole again, the reload boots.
    cold.unroute("**/pyodide.asm.wasm.br")
    cold.click("#boot-retry")
    cold.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=BOOT_TIMEOUT_MS)


# Installed before the page's scripts: each change of the bar or of the stage's text, in order.
WATCH_PROGRESS = """
(() => {
  const seen = (window.__progress = { values: [], stages: [], max: null, live: 0 });
  new MutationObserver((records) => {
    // Changes inside a live region once the page is parsed: each is announced.
    const live = (r) => (r.target.nodeType === 1 ? r.target : r.target.parentElement).closest("[aria-live]");
    const boot = (r) => live(r) && live(r).closest("#boot");
    if (document.readyState !== "loading") seen.live += records.filter(boot).length;
    const bar = document.getElementById("boot-progress");
    const stage = document.getElementById("boot-stage");
    if (bar && bar.hasAttribute("value") && bar.value !== seen.values.at(-1)) seen.values.push(bar.value);
    if (bar && bar.hasAttribute("value")) seen.max = bar.max;
    if (stage && stage.textContent !== seen.stages.at(-1)) seen.stages.push(stage.textContent);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
"""


def test_the_boot_shows_its_progress_on_a_slow_line(cold: Any, standin_site: Site) -> None:
    # 8 Mbit/s: the runtime's 3.6 MB of brotli take about 4 s, so the bar has time to move.
    cdp = cold.context.new_cdp_session(cold)
    cdp.send("Network.enable")
    line = {"offline": False, "latency": 40, "downloadThroughput": 1e6, "uploadThroughput": 1e6}
    cdp.send("Network.emulateNetworkConditions", line)
    cold.add_init_script(WATCH_PROGRESS)
    boot(cold, standin_site.url)
    assert cold.get_attribute("#boot-progress", "aria-labelledby") == "boot-stage"
    seen = cold.evaluate("window.__progress")
    sizes = json.loads((standin_site.folder / "static/vendor/pyodide" / brotli.MANIFEST).read_text())
    total = sum(sizes[name]["br"] for name in PLAIN)
    assert seen["max"] == total
    assert len(seen["values"]) >= 5, seen["values"]  # it moved, in steps
    assert seen["values"] == sorted(seen["values"]) and seen["values"][-1] == total
    # One change of the live text per stage, never one per chunk.
    assert seen["stages"] == ["Loading Python…", "Starting Python…", "Loading the app…"]
    assert seen["live"] == 2
    assert cold.locator("[aria-live] #boot-progress, #boot-progress[aria-live]").count() == 0
    assert cold.is_hidden("#boot-progress")  # gone with the boot card once the page is ready
