"""The implicit flow end to end in Chromium: redirect and popup sign-in, session, sign-out."""

from __future__ import annotations

import json
import re
from typing import Any

import jwt

from tests.e2e.actions import (
    auth_error,
    boot,
    log_in,
    quick_sign_in,
    redirect_sign_in,
    revoked,
    session_storage,
    wait_auth,
    wait_closed,
    wait_profile,
)
from tests.e2e.conftest import Recorder
from tests.harness import Site


def stored_token(page: Any) -> str:
    import json

    return json.loads(session_storage(page)["veritone.token"])["access_token"]


def test_redirect_sign_in(page: Any, standin_site: Site, recorder: Recorder) -> None:
    redirect_sign_in(page, standin_site)
    # location, not page.url: Playwright keeps the URL it navigated to when the first
    # script replaces it during the load.
    assert page.evaluate("location.href") == standin_site.url  # no fragment in the address bar
    assert page.evaluate("location.hash") == ""
    assert page.inner_text("#profile-name") == "demo@example.com"
    assert page.inner_text("#profile-org") == "Demo Organization"
    token = stored_token(page)
    claims = jwt.decode(token, options={"verify_signature": False})
    expires = page.get_attribute("#token-expires", "datetime")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", expires)
    from datetime import UTC, datetime

    assert datetime.fromtimestamp(claims["exp"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == expires
    scopes = page.locator("#token-scopes li").all_inner_texts()
    assert scopes == claims["scope"][0]["actions"]
    masked = page.inner_text("#token-masked")
    assert masked == f"{token[:6]}…{token[-4:]}"
    assert token not in page.content()
    assert auth_error(page) is None
    assert recorder.errors() == []


def test_countdown_is_live(page: Any, standin_site: Site) -> None:
    standin_site.standin.issuer.ttl = 2 * 3600  # hours, minutes and seconds, however slow the sign-in
    quick_sign_in(page, standin_site)
    first = page.inner_text("#token-countdown")
    page.wait_for_function(
        "(first) => document.getElementById('token-countdown').textContent !== first", arg=first, timeout=5000
    )
    assert re.fullmatch(r"\(in 1h \d+m \d+s\)", page.inner_text("#token-countdown"))


def test_popup_sign_in_keeps_python_running(page: Any, standin_site: Site, recorder: Recorder) -> None:
    boot(page, standin_site.url)
    page.evaluate("window.__sameDocument = true")
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    log_in(popup)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert page.evaluate("window.__sameDocument") is True  # no reload, so Python was not restarted
    wait_closed(popup)
    assert page.inner_text("#profile-name") == "demo@example.com"
    assert "veritone.token" in session_storage(page)
    assert "veritone.pending" not in session_storage(page)
    assert recorder.errors() == []


def test_blocked_popup_then_redirect_still_works(page: Any, standin_site: Site) -> None:
    page.add_init_script("window.open = () => null")  # what a popup blocker makes window.open return
    boot(page, standin_site.url)
    page.click("#sign-in-popup")
    page.wait_for_selector("#auth-error[data-error='popup_blocked']", state="attached")
    assert "blocked" in page.inner_text("#auth-error")
    assert "veritone.pending" not in session_storage(page)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    assert auth_error(page) is None


def test_popup_closed_by_the_user(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup_info.value.close()
    page.wait_for_selector("#auth-error[data-error='popup_closed']", state="attached")
    assert page.get_attribute("body", "data-auth") == "signed-out"
    # The page cannot tell a closed popup from one its login page cut off (COOP), so the
    # pending sign-in stays for the popup's answer, and both buttons work again at once.
    assert json.loads(session_storage(page)["veritone.pending"])["mode"] == "popup"
    assert page.is_enabled("#sign-in") and page.is_enabled("#sign-in-popup")


def test_reload_keeps_the_session_and_a_new_context_does_not(
    page: Any, standin_site: Site, browser: Any
) -> None:
    redirect_sign_in(page, standin_site)
    token = stored_token(page)
    page.reload()
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert stored_token(page) == token
    assert auth_error(page) is None
    other = browser.new_context()
    try:
        fresh = other.new_page()
        boot(fresh, standin_site.url)
        assert session_storage(fresh) == {}
    finally:
        other.close()


def test_another_tab_of_the_same_browser_is_signed_out(page: Any, context: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    second = context.new_page()
    boot(second, standin_site.url)  # sessionStorage is per tab


def test_sign_out_forgets_and_revokes(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    token = stored_token(page)
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    assert "veritone.token" not in session_storage(page)
    page.wait_for_selector("#flow-log li[data-step='revoke']", state="attached")
    assert revoked(standin_site, token)
    assert page.evaluate("document.activeElement.id") == "sign-in"


def test_after_the_callback_back_does_not_replay_it(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    token = stored_token(page)
    assert page.evaluate("history.length") >= 2
    page.go_back()
    # Back lands on the stand-in's page, which (signed in there) issues a new response for
    # the old, spent state: it is refused, and the session in the tab is untouched.
    page.wait_for_url(re.compile(re.escape(standin_site.url) + "$"), timeout=30000)
    page.wait_for_selector("body:not([data-auth='booting'])", state="attached", timeout=30000)
    assert stored_token(page) == token  # the new response for the spent state was refused
    assert auth_error(page) == "state_mismatch"
    assert page.evaluate("location.hash") == ""
