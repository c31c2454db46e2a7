"""Never freeze: a stalled API leaves the page usable, and every call ends in time.

The stand-in holds its GraphQL and REST logout answers back (``api_latency``,
``serve.py --api-latency``) for a minute. The page under test is the build
with ``api_timeout: 2``, so a request is given up after two seconds.
"""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.actions import auth_error, quick_sign_in, session_storage, wait_auth
from tests.harness import Site

STALL = 60.0

# Every task over 50 ms on the page's main thread, from its first script on: a
# synchronous XMLHttpRequest waiting on the API would be one task as long as the stall.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""
# The longest task from the moment the page showed signed-in, and asked for the profile, on.
LONGEST_SINCE_SIGNED_IN = """() => {
  const since = performance.getEntriesByName("auth:signed-in").at(-1).startTime;
  return Math.max(0, ...window.__longTasks.filter(([start]) => start >= since).map(([, d]) => d));
}"""


def stalled(site: Site) -> int:
    return site.standin.stalled


def wait_stalled(page: Any, site: Site, count: int = 1) -> None:
    """Wait until the stand-in is holding ``count`` API answers back."""
    deadline = time.monotonic() + 30
    while stalled(site) < count:
        assert time.monotonic() < deadline, "the page never asked the API"
        page.evaluate("0")  # a round trip: also lets Playwright dispatch its events


def test_a_stalled_api_never_freezes_the_page_and_times_out(page: Any, standin_site: Site) -> None:
    url = standin_site.at("short-timeout")
    token = quick_sign_in(page, standin_site, url)
    page.add_init_script(LONG_TASKS)
    standin_site.standin.options.api_latency = STALL
    page.reload()
    wait_auth(page, "signed-in")
    wait_stalled(page, standin_site)
    # The profile request is out and unanswered, and the page answers a script at once
    # and a click: the query box takes text while the request waits.
    page.fill("#api-query", "query { me { id } }")
    assert page.input_value("#api-query") == "query { me { id } }"
    page.wait_for_selector("#auth-error[data-error='timeout']", state="attached", timeout=10_000)
    assert "took too long" in page.inner_text("#auth-error")
    # The session stays: a timeout says nothing about the token.
    assert page.get_attribute("body", "data-auth") == "signed-in"
    assert token in session_storage(page)["veritone.token"]
    longest = page.evaluate(LONGEST_SINCE_SIGNED_IN)
    print(f"longest main-thread task while the API stalled: {longest:.0f} ms")
    assert longest < 1000, longest  # the stall is 60 s; a blocked thread would show it whole


def test_the_api_console_waits_without_freezing(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site, standin_site.at("short-timeout"))
    standin_site.standin.options.api_latency = STALL
    page.click("#api-run")
    wait_stalled(page, standin_site)
    assert page.get_attribute("#api-result", "aria-busy") == "true"
    page.wait_for_selector("#auth-error[data-error='timeout']", state="attached", timeout=10_000)
    assert "took too long" in page.inner_text("#api-result")
    assert page.get_attribute("#api-result", "aria-busy") is None
    assert page.get_attribute("body", "data-auth") == "signed-in"


def test_sign_out_is_immediate_and_the_revoke_goes_on_behind(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site, standin_site.at("short-timeout"))
    standin_site.standin.options.api_latency = STALL
    page.evaluate(
        "document.getElementById('sign-out').addEventListener("
        "'click', () => { window.__clicked = performance.now(); }, true)"
    )
    page.click("#sign-out")
    # Signed out while Veritone still holds the revoke: the click did not wait for it.
    wait_auth(page, "signed-out")
    wait_stalled(page, standin_site)
    assert "veritone.token" not in session_storage(page)
    took = page.evaluate(
        "performance.getEntriesByName('auth:signed-out').at(-1).startTime - window.__clicked"
    )
    print(f"sign-out click to signed-out: {took:.1f} ms")
    # The revoke timed out (REST, then userLogout): the page says the token was not revoked.
    page.wait_for_selector("#notice:not([hidden])", timeout=15_000)
    assert "could not confirm" in page.inner_text("#notice")
    assert auth_error(page) is None
