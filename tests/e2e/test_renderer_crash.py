"""The page never runs Python on a WebAssembly stack-switching (JSPI) stack.

Chromium's sampling heap profiler, which Chrome turns on in a share of renderers, takes
the native stack of a sampled allocation by walking frame pointers up to the thread's
own stack end. From a JSPI stack that walk reads past the stack's top: the renderer
segfaults and the tab shows "Aw, Snap!". Pyodide runs Python on JSPI stacks wherever
``WebAssembly.Suspending`` exists, so start.js removes it before Pyodide loads.

Here the profiler is on in every renderer and samples often. The same page with JSPI
left on is the control: it must crash in this browser, or the test proves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.actions import boot, quick_sign_in, wait_auth
from tests.harness import CHROMIUM, CHROMIUM_ARGS, Site

HEAP_PROFILER_EVERYWHERE = (
    "--enable-features=HeapProfilerReporting:stable-probability/1.0/nonstable-probability/1.0"
    "/renderer-prob-pct/100/renderer-sampling-rate-bytes/2000"
)
# Measured with this flag: the page with JSPI on crashed in 6, 3 and 20 of 10-20 rounds
# (1 in 3 at the least); with it off, in none of 50.
CONTROL_ROUNDS = 20  # a miss with the bug present: under 0.7 ** 20, about 1 in 1,250
ROUNDS = 10
JSPI_REMOVED = ("delete WebAssembly.Suspending;", "delete WebAssembly.Suspender;")


@pytest.fixture
def profiled(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, HEAP_PROFILER_EVERYWHERE]
    )
    yield browser
    browser.close()


def rounds(context: Any, site: Site, count: int) -> int:
    """Boot, sign in and reload ``count`` times, each in a new tab; return the first crashed round, or 0."""
    for number in range(1, count + 1):
        page = context.new_page()
        crashed: list[Any] = []
        page.on("crash", lambda crashed_page, seen=crashed: seen.append(crashed_page))
        try:
            boot(page, site.url)
            quick_sign_in(page, site)
            page.reload()
            wait_auth(page, "signed-in")
        except Exception:
            if not crashed:
                raise
        if crashed:
            return number
        page.close()
    return 0


def with_jspi_left_on(route: Any) -> None:
    script = route.fetch().text()
    assert all(line in script for line in JSPI_REMOVED)
    for line in JSPI_REMOVED:
        script = script.replace(line, "")
    route.fulfill(body=script, content_type="text/javascript")


@pytest.mark.timeout(300)
def test_a_renderer_with_the_heap_profiler_on_does_not_crash(profiled: Any, site: Site) -> None:
    control = profiled.new_context()
    control.route("**/static/start.js", with_jspi_left_on)
    if not rounds(control, site, CONTROL_ROUNDS):
        pytest.skip(f"this Chromium did not crash the page with JSPI on in {CONTROL_ROUNDS} rounds")

    context = profiled.new_context()
    page = context.new_page()
    boot(page, site.url)
    assert page.evaluate("() => 'Suspending' in WebAssembly || 'Suspender' in WebAssembly") is False
    page.close()
    assert rounds(context, site, ROUNDS) == 0
