"""Events instead of polling: the library watches expiry and the other tabs of a session."""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.actions import (
    EXPIRE_SOON,
    after_page_timers,
    auth_error,
    boot,
    log_in,
    quick_sign_in,
    session_storage,
    wait_auth,
)
from tests.harness import Site


def test_a_copy_of_the_tab_signs_out_with_it_and_a_tab_of_its_own_does_not(
    page: Any, context: Any, standin_site: Site
) -> None:
    token = quick_sign_in(page, standin_site)
    # A copy of the tab (as "Duplicate tab" does): the browser copies its sessionStorage.
    with context.expect_page() as opened:
        page.evaluate("window.open(location.href)")
    copy = opened.value
    wait_auth(copy, "signed-in")
    assert token in session_storage(copy)["veritone.token"]
    other = context.new_page()  # a tab that signed in by itself holds a token of its own
    own = quick_sign_in(other, standin_site)
    assert own != token
    page.click("#sign-out")
    started = time.monotonic()
    wait_auth(copy, "signed-out")
    print(f"the copy followed the sign-out in {(time.monotonic() - started) * 1000:.0f} ms")
    assert "veritone.token" not in session_storage(copy)
    assert "another tab" in copy.inner_text("#notice")
    # The message reached every tab at once; the other tab has had its turn by now.
    after_page_timers(other)
    assert other.get_attribute("body", "data-auth") == "signed-in"
    assert own in session_storage(other)["veritone.token"]


def test_the_page_says_when_the_session_is_about_to_end_and_then_that_it_did(
    page: Any, standin_site: Site
) -> None:
    quick_sign_in(page, standin_site)
    page.evaluate(EXPIRE_SOON, 3)
    page.wait_for_selector("#notice:not([hidden])", state="attached", timeout=5000)
    assert "Sign in again" in page.inner_text("#notice")
    wait_auth(page, "signed-out")  # within a second of the expiry, with no reload
    assert auth_error(page) == "token_expired"
    assert "veritone.token" not in session_storage(page)


def test_the_example_signs_out_when_the_token_expires(page: Any, standin_site: Site) -> None:
    url = standin_site.url + "examples/minimal/"
    boot(page, url)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    page.evaluate(EXPIRE_SOON, 1)
    wait_auth(page, "signed-out")
    assert "expired" in page.inner_text("#message")
