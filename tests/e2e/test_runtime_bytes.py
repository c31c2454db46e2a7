"""The runtime as brotli (static/runtime.js): never the plain files on a normal load, the plain
files when a .br or the decoder cannot be had, and a clear failure when a .br breaks mid-stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

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
    assert cold.is_hidden("#boot-status")
    assert recorder.fetched("pyodide.asm.wasm") == []  # not half from one file, half from another
    # The notice offers a retry: with the file whole again, the reload boots.
    cold.unroute("**/pyodide.asm.wasm.br")
    cold.click("#boot-retry")
    cold.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=BOOT_TIMEOUT_MS)
