"""Malformed and hostile API answers: a clear error in the page, and no stall over 200 ms.

The API's answers are replaced in the browser (``page.route``): what matters here
is what the page does with a body, not how it got there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.actions import auth_error, quick_sign_in, session_storage, wait_auth
from tests.harness import Site
from veritone_auth.api import MAX_ANSWER_BYTES

# The longest gap between two ticks of a 10 ms timer on the page's main thread.
HEARTBEAT = """() => {
  window.__beats = { last: performance.now(), longest: 0 };
  window.__beat = setInterval(() => {
    const now = performance.now();
    window.__beats.longest = Math.max(window.__beats.longest, now - window.__beats.last);
    window.__beats.last = now;
  }, 10);
}"""
LONGEST_GAP = "() => window.__beats.longest"


def answer_with(page: Any, body: bytes, status: int = 200) -> None:
    page.route(
        "**/v3/graphql",
        lambda route: route.fulfill(
            status=status,
            body=body,
            headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
        ),
    )


def run_query(page: Any) -> None:
    page.evaluate("document.getElementById('api-result').textContent = 'before'")
    page.click("#api-run")
    page.wait_for_function(
        "() => { const box = document.getElementById('api-result');"
        " return box.textContent !== 'before' && !box.hasAttribute('aria-busy'); }",
        timeout=60_000,
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"errors": 5}',
        b'{"errors": true}',
        b'["x", {"data": {}}]',
        b'{"data": "text"}',
        b"<html>proxy</html>",
    ],
    ids=["errors-number", "errors-bool", "a-list", "data-string", "html"],
)
def test_a_malformed_answer_is_an_api_error_in_the_page(
    page: Any, standin_site: Site, recorder: Any, body: bytes
) -> None:
    token = quick_sign_in(page, standin_site)
    answer_with(page, body)
    run_query(page)
    assert auth_error(page) == "api_error"
    assert page.get_attribute("body", "data-auth") == "signed-in"  # the token is fine
    assert token in session_storage(page)["veritone.token"]
    assert recorder.page_errors == []  # no exception escaped a handler
    assert not [text for kind, text in recorder.console if "Traceback" in text or "veritone_auth:" in text]


def test_a_profile_the_page_cannot_read_says_so_instead_of_waiting(page: Any, standin_site: Site) -> None:
    page.route(
        "**/v3/graphql",
        lambda route: route.fulfill(
            status=200,
            body=json.dumps({"data": {"me": {"name": "N", "organization": "a string"}}}),
            headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
        ),
    )
    quick_sign_in(page, standin_site, profile=False)
    page.wait_for_function("() => document.getElementById('profile-name').textContent !== '…'")
    assert page.inner_text("#profile-name") == "N"
    assert page.inner_text("#profile-org") == "(no organization)"
    answer_with(page, b'{"data": {"me": "nobody"}}')
    page.reload()
    page.wait_for_function("() => document.getElementById('profile-name').textContent !== '…'")
    assert "could not be loaded" in page.inner_text("#profile-name")
    assert auth_error(page) == "api_error"


@pytest.mark.timing
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"data": {"x": "' + b"a" * 50_000_000 + b'"}}',
        b"[" * 70 + b'"' + b'\\"' * 950_000,  # 1.9 MB: under the cap, a string left open
        b"[" * 70 + b'"' * 1_900_000,  # 950,000 empty strings
    ],
    ids=["5000-deep", "50-MB", "escaped-quotes", "quotes"],
)
def test_a_hostile_body_never_stalls_the_page(page: Any, standin_site: Site, body: bytes) -> None:
    quick_sign_in(page, standin_site)
    # From the stand-in itself: a 50 MB route.fulfill crawls through the DevTools protocol.
    standin_site.standin.options.api_body = body
    # Twice, with a reload between, as a user might try again: once a body 5,000 levels
    # deep had been parsed in a tab, the next one overflowed the browser's stack inside
    # json.loads before Python's own limit came, and the page stayed busy for good. One
    # over the size cap is refused unread: once is enough.
    for attempt in ("first", "after a reload")[: 2 if len(body) <= MAX_ANSWER_BYTES else 1]:
        if attempt != "first":
            page.reload()
            wait_auth(page, "signed-in")
        page.evaluate(HEARTBEAT)
        run_query(page)
        longest = page.evaluate(LONGEST_GAP)
        print(f"longest main-thread gap while the page took a {len(body):,}-byte body: {longest:.0f} ms")
        assert auth_error(page) == "api_error", attempt
        assert len(page.inner_text("#api-result")) < 1000
        assert longest < 200, (attempt, longest)


@pytest.mark.timing
def test_a_large_answer_is_shown_cut_with_a_note(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    rows = [{"id": str(i), "name": "x" * 100} for i in range(5000)]  # ~0.6 MB: under the cap
    answer_with(page, json.dumps({"data": {"rows": rows}}).encode())
    page.evaluate(HEARTBEAT)
    run_query(page)
    shown = page.inner_text("#api-result")
    assert "(cut: the answer is" in shown and len(shown) < 110_000
    assert auth_error(page) is None
    print(f"longest main-thread gap for a 0.6 MB answer: {page.evaluate(LONGEST_GAP):.0f} ms")
