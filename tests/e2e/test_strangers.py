"""Never trust a stranger: the last login-CSRF paths, a self-named tab, links and refused tokens.

Most run on the ``no-state`` build (``require_state: false``, for a Veritone that
does not echo state), where the pending sign-in is all that stands between a
tab and an attacker's response.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from standin.oauth import DEMO_CLIENT_ID, DEMO_USER
from tests.e2e.actions import (
    PENDING_KEY,
    arrive,
    arrive_with,
    auth_error,
    boot,
    log_in,
    revoked,
    session_storage,
    step_summaries,
    wait_auth,
    wait_closed,
    wait_profile,
)
from tests.harness import Site


def attackers_token(site: Site) -> str:
    """A real token of the stand-in: what an attacker gets by signing in as themselves."""
    return site.standin.issuer.issue("attacker", DEMO_CLIENT_ID, "127.0.0.1")


def stored_token(page: Any) -> str | None:
    return session_storage(page).get("veritone.token")


def test_a_reload_with_a_token_cannot_answer_a_popup_sign_in(
    page: Any, context: Any, standin_site: Site
) -> None:
    url = standin_site.at("no-state")
    standin_site.standin.options.echo_state = False
    boot(page, url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    popup.wait_for_selector("input[name=username]")
    # The attacker holds a handle to the tab, and loads it with its own token.
    token = attackers_token(standin_site)
    arrive(page, url, urlencode({"access_token": token, "token_type": "Bearer"}))
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert auth_error(page) == "state_mismatch"
    assert "popup" in page.inner_text("#auth-error")
    assert PENDING_KEY in session_storage(page)  # the user's sign-in goes on
    # The user's own popup sign-in still finishes, in this tab.
    log_in(popup)
    wait_auth(page, "signed-in")
    wait_profile(page)
    wait_closed(popup)
    assert page.inner_text("#profile-name") == DEMO_USER.email
    assert token not in (stored_token(page) or "")


def test_back_from_veritone_ends_a_redirect_sign_in(page: Any, standin_site: Site) -> None:
    url = standin_site.at("no-state")
    standin_site.standin.options.echo_state = False
    boot(page, url)
    page.click("#sign-in")
    page.wait_for_selector("input[name=username]")
    page.go_back()
    wait_auth(page, "signed-out")
    assert PENDING_KEY not in session_storage(page)
    assert [s for s in step_summaries(page, "abandon") if "redirect ended" in s]
    # The attacker's response 20 s later finds nothing to answer.
    arrive(page, url, urlencode({"access_token": attackers_token(standin_site), "token_type": "Bearer"}))
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert auth_error(page) == "state_mismatch"
    assert stored_token(page) is None


def test_a_tab_another_site_named_signs_in_in_a_real_popup_and_stays(
    page: Any, context: Any, standin_site: Site
) -> None:
    # Another origin (localhost, not 127.0.0.1) opens the app under the name the popup had.
    page.goto(standin_site.standin_url + "/")
    app = standin_site.url
    with page.expect_popup() as opened:
        page.evaluate("(url) => window.open(url, 'veritone-sign-in')", app)
    tab = opened.value
    wait_auth(tab, "signed-out")
    with tab.expect_popup() as popup_info:
        tab.click("#sign-in-popup")
    popup = popup_info.value
    assert popup != tab
    log_in(popup)
    wait_auth(tab, "signed-in")
    wait_profile(tab)
    wait_closed(popup)
    assert not tab.is_closed()
    assert tab.evaluate("window.name") == "veritone-sign-in"  # its own name, untouched


def test_a_popup_that_would_be_this_tab_is_a_blocked_popup(page: Any, standin_site: Site) -> None:
    # window.open returning the tab itself: as if a window of that name were this one.
    page.add_init_script("window.open = () => window")
    boot(page, standin_site.url)
    page.click("#sign-in-popup")
    page.wait_for_selector("#auth-error[data-error='popup_blocked']", state="attached")
    assert page.evaluate("location.href") == standin_site.url  # it did not go to Veritone
    assert PENDING_KEY not in session_storage(page)


def test_an_error_link_is_shown_only_for_veritone(page: Any, standin_site: Site) -> None:
    evil = "error=access_denied&error_description=Call%20support&error_uri=https%3A%2F%2Fevil.example%2Fhelp"
    arrive_with(page, standin_site, evil + "&state=s", state="s")
    assert auth_error(page) == "access_denied"
    assert page.is_hidden("#auth-error-link")
    assert "evil.example" not in page.inner_html("#auth-error")
    assert "Call support" in page.inner_text("#auth-error-description")  # plain text, from the response


def test_a_refused_response_s_token_is_revoked(page: Any, standin_site: Site) -> None:
    token = attackers_token(standin_site)
    # Nothing pending in this tab: refused, and its token revoked in the background.
    arrive_with(page, standin_site, urlencode({"access_token": token, "token_type": "Bearer"}), state=None)
    assert auth_error(page) == "state_mismatch"
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"#flow-log li[data-step='revoke']\")]"
        ".some((li) => li.textContent.includes('Revoked the token'))"
    )
    assert revoked(standin_site, token)
    entries = page.eval_on_selector_all("#flow-log li[data-step='refused']", "items => items.length")
    assert entries == 1
    assert "not asked for by this tab" in page.inner_text("#flow-log li[data-step='refused']")
    assert token not in page.content()
    # Not kept across a reload.
    page.reload()
    wait_auth(page, "signed-out")
    assert page.eval_on_selector_all("#flow-log li[data-step='refused']", "items => items.length") == 0
