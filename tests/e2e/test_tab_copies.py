"""A copy of the tab that was not listening at sign-out drops the token when it comes back."""

from __future__ import annotations

from typing import Any

from tests.e2e.actions import quick_sign_in, session_storage, wait_auth
from tests.harness import Site


def test_a_copy_loading_at_sign_out_boots_signed_out(page: Any, context: Any, standin_site: Site) -> None:
    token = quick_sign_in(page, standin_site)
    # The copy is on another page of the site (not listening) when the original signs out.
    with context.expect_page() as opened:
        page.evaluate("window.open(location.href + 'config.json')")
    copy = opened.value
    copy.wait_for_load_state()
    assert token in session_storage(copy)["veritone.token"]
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    copy.goto(standin_site.url)
    wait_auth(copy, "signed-out")
    assert "another tab" in copy.inner_text("#notice")
    assert "veritone.token" not in session_storage(copy)
    # Only a hash crossed: the token is nowhere in the storage the tabs share.
    shared = page.evaluate("JSON.stringify(localStorage)")
    assert token not in shared and "veritone.signed_out" in shared


def test_a_copy_in_the_back_forward_cache_drops_the_token_when_restored(
    page: Any, context: Any, standin_site: Site
) -> None:
    quick_sign_in(page, standin_site)
    with context.expect_page() as opened:
        page.evaluate("window.open(location.href)")
    copy = opened.value
    wait_auth(copy, "signed-in")
    copy.goto(standin_site.url + "config.json")  # the copy leaves: bfcache, not listening
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    copy.go_back()
    wait_auth(copy, "signed-out")
    assert "veritone.token" not in session_storage(copy)


def test_a_new_sign_in_after_a_sign_out_is_not_dropped(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    token = quick_sign_in(page, standin_site)  # a new token: its hash is not among the signed out
    page.reload()
    wait_auth(page, "signed-in")
    assert token in session_storage(page)["veritone.token"]
