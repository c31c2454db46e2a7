"""The worker panel: Python in a module worker calls the API over pyodide-http.

The page never waits on it: a stalled API ends in ``timeout`` in the worker
(its synchronous request has a working timeout there) while the main thread
keeps ticking, and the user can cancel, after which a new worker takes over.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.actions import auth_error, quick_sign_in, session_storage, wait_auth
from tests.e2e.test_answers import HEARTBEAT, LONGEST_GAP
from tests.harness import Site

STALL = 60.0
# The worker's pyodide-http imports urllib.request and email: the later archive they are in.
pytestmark = pytest.mark.stdlib_later


def run(page: Any, query: str = "query { me { id name } }") -> None:
    page.fill("#worker-query", query)
    page.evaluate("document.getElementById('worker-result').dataset.state = 'clicked'")
    page.click("#worker-run")


RUNTIME = ("pyodide.asm.wasm", "python_stdlib.zip")  # runtime.js's FILES


def settled(page: Any, timeout: float = 90_000) -> str:
    """The panel's state once the query it was given has ended."""
    page.wait_for_selector(
        "#worker-result:not([data-state='running']):not([data-state='clicked'])",
        state="attached",
        timeout=timeout,
    )
    return str(page.get_attribute("#worker-result", "data-state"))


@pytest.mark.timing
def test_a_query_in_the_worker_answers_and_the_page_never_loaded_pyodide_http_for_it(
    page: Any, standin_site: Site, recorder: Any
) -> None:
    quick_sign_in(page, standin_site)
    assert not recorder.fetched("pyodide_http-0.2.2-py3-none-any.whl")  # the page itself never loads it
    page_took = {name: len(recorder.fetched(name + ".br")) for name in RUNTIME}
    page.evaluate(HEARTBEAT)
    run(page)
    assert settled(page) == "ok"
    assert '"name": "demo@example.com"' in page.inner_text("#worker-result")
    assert len(recorder.fetched("pyodide_http-0.2.2-py3-none-any.whl")) == 1  # the worker's
    # The worker's Pyodide takes the runtime as the page did, brotli (runtime.js), never the plain files.
    for name in RUNTIME:
        assert len(recorder.fetched(name + ".br")) == page_took[name] + 1, name
        assert recorder.fetched(name) == [], name
    print(
        f"longest main-thread gap while the worker started and answered: {page.evaluate(LONGEST_GAP):.0f} ms"
    )
    run(page, "query { me { email } }")  # the same worker, already started
    assert settled(page) == "ok"
    assert page.get_attribute("body", "data-auth") == "signed-in"


@pytest.mark.timing
def test_a_stalled_api_ends_in_timeout_in_the_worker_and_the_page_never_stalls(
    page: Any, standin_site: Site
) -> None:
    url = standin_site.at("short-timeout")  # api_timeout: 2
    token = quick_sign_in(page, standin_site, url)
    run(page)  # started, so the timing below is the request's alone
    assert settled(page) == "ok"
    standin_site.standin.options.api_latency = STALL
    page.evaluate(HEARTBEAT)
    run(page)
    assert settled(page, timeout=30_000) == "error"
    assert page.get_attribute("#worker-result", "data-error") == "timeout"
    longest = page.evaluate(LONGEST_GAP)
    print(f"longest main-thread gap while the worker's request stalled: {longest:.0f} ms")
    assert longest < 200, longest
    assert token in session_storage(page)["veritone.token"]  # a timeout says nothing of the token


def test_cancel_ends_the_query_and_a_new_worker_answers_the_next(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    standin_site.standin.options.api_latency = STALL
    run(page)
    page.click("#worker-cancel")
    assert settled(page, timeout=10_000) == "idle"
    standin_site.standin.options.api_latency = 0.0
    run(page)
    assert settled(page) == "ok"


def test_a_revoked_token_gives_the_same_error_as_on_the_main_thread(page: Any, standin_site: Site) -> None:
    token = quick_sign_in(page, standin_site)
    assert standin_site.standin.issuer.revoke(token)
    run(page)
    assert settled(page) == "error"
    assert page.get_attribute("#worker-result", "data-error") == "invalid_token"
    wait_auth(page, "signed-out")  # deleted, and the page says so as for any refused token
    assert auth_error(page) == "invalid_token"
    assert "veritone.token" not in session_storage(page)
