"""Popup sign-in when the login page sends Cross-Origin-Opener-Policy: same-origin.

Such a page cuts the popup off from its opener: the opener's handle says closed
at once, and the popup, back here, has no opener. It hands its response over on
a same-origin BroadcastChannel instead (static/boot.js), bound to the pending
sign-in by the popup's name, and the opener checks it as any response.
"""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.actions import auth_error, boot, log_in, session_storage, wait_auth, wait_closed, wait_profile
from tests.harness import Site


def coop(site: Site) -> None:
    site.standin.options.coop = True


def test_popup_sign_in_works_when_the_login_page_sends_coop(
    page: Any, standin_site: Site, recorder: Any
) -> None:
    coop(standin_site)
    boot(page, standin_site.url)
    page.evaluate("window.__sameDocument = true")
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    # The opener cannot see the popup: its handle says closed while the login form is up.
    page.wait_for_selector("#auth-error[data-error='popup_closed']", state="attached")
    assert "hid it from this page" in page.inner_text("#auth-error")
    assert popup.evaluate("window.opener") is None
    log_in(popup)
    wait_auth(page, "signed-in")
    wait_profile(page)
    wait_closed(popup)  # it closed itself once the opener took the response
    assert page.evaluate("window.__sameDocument") is True
    assert auth_error(page) is None
    assert "veritone.pending" not in session_storage(page)
    assert recorder.errors() == []


def test_a_stranger_on_the_channel_changes_nothing(page: Any, context: Any, standin_site: Site) -> None:
    coop(standin_site)
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    page.wait_for_selector("#auth-error[data-error='popup_closed']", state="attached")
    name = json.loads(session_storage(page)["veritone.pending"])["popup_name"]
    stranger = context.new_page()
    stranger.goto(standin_site.url + "config.json")  # any page of this origin
    post = """([popup, response, at]) => new BroadcastChannel("veritone-auth:sign-in")
        .postMessage(JSON.stringify({kind: "response", popup, response, at}))"""
    forged = "#access_token=forged-token-0123456789&token_type=Bearer&state=not-the-state"
    stranger.evaluate(post, ["veritone-sign-in-someone-else", forged, standin_site.url])
    stranger.evaluate(post, [name, forged, standin_site.url])  # the right name, the wrong state
    stranger.evaluate("0")  # a round trip after the posts
    page.evaluate("0")
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert "veritone.token" not in session_storage(page)
    assert "veritone.pending" in session_storage(page)  # not spent: the real popup can finish
    log_in(popup)
    wait_auth(page, "signed-in")
    assert "forged" not in session_storage(page)["veritone.token"]
