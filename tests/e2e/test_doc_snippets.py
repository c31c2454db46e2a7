"""The pages the docs tell an adopter to write sign in, built from the docs' own code blocks
(tests/snippet_pages.py says how); the same pages run in Firefox and WebKit in the
cross-engine group."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from serve import DEMO_CLIENT_ID
from tests.e2e.actions import log_in
from tests.e2e.conftest import Recorder
from tests.harness import BOOT_TIMEOUT_MS, Site, registered
from tests.snippet_pages import SNIPPETS, write_snippet_page


@pytest.fixture(params=sorted(SNIPPETS))
def snippet_page(request: pytest.FixtureRequest, standin_site: Site) -> Iterator[str]:
    name = request.param
    folder = write_snippet_page(standin_site.folder, name, standin_site.standin_url, DEMO_CLIENT_ID)
    with registered(standin_site.standin, f"{standin_site.url}examples/from-{name}/") as url:
        yield url
    shutil.rmtree(folder)


def token_stored(page: Any) -> bool:
    return page.evaluate("() => sessionStorage.getItem('veritone.token') !== null")


def test_the_docs_snippets_make_a_page_that_signs_in_and_out(
    page: Any, snippet_page: str, recorder: Recorder
) -> None:
    page.goto(snippet_page)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)  # main.py ran to its end
    assert not token_stored(page)
    page.click("#go")
    log_in(page)
    page.wait_for_function("() => sessionStorage.getItem('veritone.token') !== null", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("location.href") == snippet_page  # the response left the address bar
    page.click("#stop")
    page.wait_for_function("() => sessionStorage.getItem('veritone.token') === null")
    # What each snippet's listener prints: the README's every event, library.md's a sign-out.
    said = [line for kind, line in recorder.console if kind == "log"]
    assert "signed_out user" in said or "signed out: user" in said, said
    if "readme" in snippet_page:
        assert "signed_in None" in said, said
    assert recorder.errors() == []


def test_the_watchdog_stands_down_once_python_runs_on_a_page_that_never_sets_data_auth(
    browser: Any, snippet_page: str
) -> None:
    # The snippets leave body[data-auth] at "booting"; boot.js must still know Python started.
    # A context of its own: Playwright's clock is the whole context's, and would stay.
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    page.goto(snippet_page)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)
    page.clock.fast_forward(61_000)  # past boot.js's 60-s limit
    assert page.evaluate("() => document.body.dataset.boot") is None
    assert page.locator("#boot-error").count() == 0
    context.close()
