"""The page as real deployments meet it (issue 14).

A Veritone that does not echo state, a token that must leave the address bar before
anything loads, double clicks, an opener reloaded mid-sign-in, a framing site, a
config that points elsewhere, a revoke that fails and a right that is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from standin.oauth import DEMO_CLIENT_ID, DEMO_USER
from standin.server import StandinOptions
from tests.e2e.actions import (
    PENDING_KEY,
    after_page_timers,
    arrive,
    auth_error,
    boot,
    history_urls,
    log_in,
    on_the_origin,
    quick_sign_in,
    session_storage,
    set_pending,
    step_summaries,
    wait_auth,
    wait_closed,
    wait_profile,
)
from tests.e2e.conftest import Recorder
from tests.harness import BOOT_TIMEOUT_MS, Site

RECORD_URL_AT_DOMCONTENTLOADED = """
document.addEventListener("DOMContentLoaded", () => { window.__hrefAtDcl = location.href; });
"""


def genuine_fragment(site: Site, state: str | None) -> str:
    token = site.standin.issuer.issue(DEMO_USER.id, DEMO_CLIENT_ID, "127.0.0.1")
    params = {"access_token": token, "token_type": "Bearer"}
    if state is not None:
        params["state"] = state
    return urlencode(params)


# --- the fragment leaves the URL in the first script ------------------------------


def test_the_token_is_out_of_the_url_before_the_page_has_loaded(
    page: Any, context: Any, standin_site: Site
) -> None:
    page.add_init_script(RECORD_URL_AT_DOMCONTENTLOADED)
    on_the_origin(page, standin_site)
    set_pending(page, standin_site.url, "s-1")
    arrive(page, standin_site.url, genuine_fragment(standin_site, "s-1"))
    wait_auth(page, "signed-in")
    assert page.evaluate("window.__hrefAtDcl") == standin_site.url
    assert all("access_token" not in url for url in history_urls(context, page))


def test_a_boot_that_fails_leaves_no_token_in_the_url(page: Any, context: Any, standin_site: Site) -> None:
    page.route("**/pyodide.asm.wasm*", lambda route: route.fulfill(status=404, body=""))  # .br and plain
    page.add_init_script(RECORD_URL_AT_DOMCONTENTLOADED)
    on_the_origin(page, standin_site)
    set_pending(page, standin_site.url, "s-1")
    page.goto("about:blank")
    page.goto(standin_site.url + "#" + genuine_fragment(standin_site, "s-1"))
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("window.__hrefAtDcl") == standin_site.url
    assert page.evaluate("location.href") == standin_site.url
    assert all("access_token" not in url for url in history_urls(context, page))
    assert page.is_visible("#boot-error")


def test_a_hash_change_with_a_genuine_response_signs_nobody_in(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    set_pending(page, standin_site.url, "s-1", mode="popup")
    page.evaluate("(f) => { location.hash = f; }", genuine_fragment(standin_site, "s-1"))
    page.wait_for_selector("#auth-error[data-error='state_mismatch']", state="attached")
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert "veritone.token" not in session_storage(page)
    assert PENDING_KEY in session_storage(page)  # the user's own sign-in is not cancelled
    assert "without loading it" in page.inner_text("#auth-error")
    assert page.evaluate("location.hash") == ""


# --- a Veritone that does not echo state -----------------------------------------


@pytest.fixture
def no_echo(standin_site: Site) -> Iterator[Site]:
    standin_site.standin.apply(StandinOptions(**{**vars(standin_site.defaults), "echo_state": False}))
    yield standin_site


def test_no_state_echo_redirect_sign_in(page: Any, no_echo: Site, recorder: Recorder) -> None:
    url = no_echo.at("no-state")
    boot(page, url)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert page.evaluate("location.href") == url
    check = step_summaries(page, "state_check")[-1]
    assert "No state came back" in check and "RFC 6749 §10.12" in check
    assert page.get_attribute("#flow-log li[data-step='state_check'] a", "href").endswith("#section-10.12")
    assert recorder.errors() == []


def test_no_state_echo_popup_sign_in(page: Any, no_echo: Site) -> None:
    boot(page, no_echo.at("no-state"))
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    log_in(popup_info.value)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert PENDING_KEY not in session_storage(page)


def test_no_state_echo_deny(page: Any, no_echo: Site) -> None:
    boot(page, no_echo.at("no-state"))
    page.click("#sign-in")
    log_in(page, decision="deny")
    page.wait_for_selector("#auth-error[data-error='access_denied']", state="attached", timeout=30000)
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert PENDING_KEY not in session_storage(page)


def test_no_state_echo_with_the_default_config_names_the_fix(page: Any, no_echo: Site) -> None:
    boot(page, no_echo.url)  # require_state: true
    page.click("#sign-in")
    log_in(page)
    page.wait_for_selector("#auth-error[data-error='state_mismatch']", state="attached", timeout=30000)
    text = page.inner_text("#auth-error")
    assert '"require_state": false' in text and "config.json" in text
    assert "veritone.token" not in session_storage(page)


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_state_echo_refuses_a_response_nobody_asked_for(page: Any, no_echo: Site, signed_in: bool) -> None:
    # Login CSRF / token injection: a valid token of the attacker's own account, no state.
    url = no_echo.at("no-state")
    held = None
    if signed_in:
        boot(page, url)
        page.click("#sign-in")
        log_in(page)
        wait_auth(page, "signed-in")
        held = session_storage(page)["veritone.token"]
    else:
        on_the_origin(page, no_echo)
    arrive(page, url, genuine_fragment(no_echo, None))
    assert auth_error(page) == "state_mismatch"
    assert session_storage(page).get("veritone.token") == held
    assert page.get_attribute("body", "data-auth") == ("signed-in" if signed_in else "signed-out")


# --- one popup sign-in at a time -------------------------------------------------


def test_double_click_opens_one_popup_and_ends_signed_in_without_error(
    page: Any, context: Any, standin_site: Site
) -> None:
    popups: list[Any] = []

    def opened(popup: Any) -> None:
        popups.append(popup)

    context.on("page", opened)
    try:
        boot(page, standin_site.url)
        with page.expect_popup() as first:
            page.dblclick("#sign-in-popup")
        assert page.is_disabled("#sign-in-popup") and page.is_disabled("#sign-in")
        log_in(first.value)
        wait_auth(page, "signed-in")
        wait_profile(page)
        wait_closed(first.value)
        # Both clicks' handlers ran long before the sign-in finished (they were queued
        # first). A second poller would see the closed popup at its next 20 ms poll:
        # that poll has fired once the page's later timers have.
        after_page_timers(page)
        assert auth_error(page) is None
        assert popups == [first.value]
    finally:
        context.remove_listener("page", opened)


def test_buttons_come_back_when_the_popup_is_closed(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    assert page.is_disabled("#sign-in")
    popup_info.value.close()
    page.wait_for_selector("#auth-error[data-error='popup_closed']", state="attached")
    assert page.is_enabled("#sign-in") and page.is_enabled("#sign-in-popup")
    assert [s for s in step_summaries(page, "abandon") if "popup_closed" in s]


def test_opener_reloaded_mid_sign_in_gets_the_result(
    page: Any, context: Any, standin_site: Site, recorder: Recorder
) -> None:
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    popup.wait_for_selector("input[name=username]")
    page.reload()
    wait_auth(page, "signed-out")
    log_in(popup)
    # Nobody polls the popup now: it boots, checks the response against the opener tab's
    # pending sign-in, stores the token in that tab, reloads the opener and closes.
    wait_auth(page, "signed-in")
    wait_profile(page)
    wait_closed(popup)
    assert page.evaluate("location.href") == standin_site.url
    assert all("access_token" not in url for url in history_urls(context, page))
    assert PENDING_KEY not in session_storage(page)
    # Back with the response, the popup first gave its opener a second to take it (boot.js).
    asked = {
        r.url.rsplit("/", 1)[-1]: r.timing["startTime"] for r in recorder.requests if r.frame.page == popup
    }
    assert asked["pyodide.mjs"] - asked["boot.js"] >= 900, asked


def test_a_popup_whose_opener_closed_finishes_the_sign_in_itself(context: Any, standin_site: Site) -> None:
    opener = context.new_page()
    boot(opener, standin_site.url)
    with opener.expect_popup() as popup_info:
        opener.click("#sign-in-popup")
    popup = popup_info.value
    popup.wait_for_selector("input[name=username]")
    opener.close()
    log_in(popup)
    wait_auth(popup, "signed-in")
    wait_profile(popup)
    assert popup.evaluate("location.href") == standin_site.url
    assert "finished here" in popup.inner_text("#notice")


# --- framing ---------------------------------------------------------------------


def test_framed_by_another_site_it_boots_nothing(page: Any, standin_site: Site, recorder: Recorder) -> None:
    page.goto(standin_site.standin_url + "/")  # another origin
    page.set_content(f'<iframe src="{standin_site.url}#x=1" width="800" height="600"></iframe>')
    frame = page.frame_locator("iframe")
    frame.locator("#framed").wait_for(state="visible")
    assert "This page cannot run inside another site" in frame.locator("body").inner_text()
    assert frame.locator("button, input, textarea, select").count() == 0
    assert frame.locator("body").get_attribute("data-auth") == "framed"
    # Once the notice has loaded, the page that was stopped can ask for nothing more.
    page.frames[1].wait_for_load_state("load")
    loaded = [
        r.url.removeprefix(standin_site.url) for r in recorder.requests if r.url.startswith(standin_site.url)
    ]
    # The page up to its first script, then the static notice: no runtime, no Python, no config.
    assert loaded == ["", "static/boot.js", "static/framed.html", "static/app.css"], loaded
    assert page.frames[1].url == standin_site.url + "static/framed.html"


# --- config validated at load ----------------------------------------------------


def test_a_redirect_uri_that_is_not_this_page_is_not_configured(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.at("wrong-redirect"))
    assert auth_error(page) == "not_configured"
    assert "elsewhere.example" in page.inner_text("#auth-error")
    assert page.is_disabled("#sign-in") and page.is_disabled("#sign-in-popup")


# --- revoke, rights, copy --------------------------------------------------------


def test_sign_out_revokes_with_the_rest_endpoint(page: Any, standin_site: Site) -> None:
    token = quick_sign_in(page, standin_site)
    standin_site.standin.options.api_status = 500  # GraphQL is down; REST logout is not
    page.click("#sign-out")
    page.wait_for_selector("#flow-log li[data-step='revoke'] + li[data-step='revoke']", state="attached")
    # userLogout first (the token in no URL), then the REST URL, which confirms.
    first, then = step_summaries(page, "revoke")[:2]
    assert "userLogout failed" in first and "Revoked the token with GET /v1/admin/token/…/logout" in then
    assert token not in page.content()
    # The URL that held the token is gone from the page's Resource Timing entries.
    timings = page.evaluate("performance.getEntriesByType('resource').map((entry) => entry.name)")
    assert not [name for name in timings if token in name or "/logout" in name], timings
    assert page.is_hidden("#notice")
    assert not standin_site.standin.issuer.revoke(token)  # already revoked


def test_a_failed_revoke_is_visible(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    standin_site.standin.options.rest_logout = False
    standin_site.standin.options.api_status = 500
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    page.wait_for_selector("#notice:not([hidden])", state="attached")
    notice = page.inner_text("#notice")
    assert "could not confirm" in notice and "until it expires" in notice
    assert "veritone.token" not in session_storage(page)
    assert auth_error(page) is None  # a notice, not an error: signing out here worked


def test_a_missing_right_is_an_api_error_and_the_session_stays(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    page.fill("#api-query", 'mutation { deleteTemporalDataObject(id: "1000000") { id } }')
    page.click("#api-run")
    page.wait_for_selector("#auth-error[data-error='api_error']", state="attached")
    assert "still signed in" in page.inner_text("#auth-error")
    assert page.get_attribute("body", "data-auth") == "signed-in"
    assert "veritone.token" in session_storage(page)
    assert json.loads(page.inner_text("#api-result"))["errors"][0]["name"] == "not_allowed"


def test_copying_an_expired_token_copies_nothing(page: Any, standin_site: Site) -> None:
    # No timer and no visibility event: only the copy itself can notice the expiry.
    page.add_init_script(
        "window.__copied = []; window.setInterval = () => 0;"
        "navigator.clipboard.writeText = async (t) => { window.__copied.push(t); };"
    )
    quick_sign_in(page, standin_site)
    page.evaluate(
        """() => { const t = JSON.parse(sessionStorage.getItem('veritone.token'));
                   t.expires_at = Date.now() / 1000 - 1;
                   sessionStorage.setItem('veritone.token', JSON.stringify(t)); }"""
    )
    page.click("#token-copy")
    page.wait_for_selector("#auth-error[data-error='token_expired']", state="attached")
    assert page.evaluate("window.__copied") == []
    assert "veritone.token" not in session_storage(page)
    assert page.get_attribute("body", "data-auth") == "signed-out"


def test_back_from_veritone_out_of_the_back_forward_cache_can_sign_in_again(
    playwright: Any, standin_site: Site
) -> None:
    from tests.harness import CHROMIUM, CHROMIUM_ARGS

    # Playwright turns the back-forward cache off by default; a real browser has it on.
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    try:
        page = browser.new_page()
        page.add_init_script(
            "addEventListener('pageshow', (e) => { if (e.persisted) window.__restored = true; });"
        )
        boot(page, standin_site.url)
        page.click("#sign-in")
        page.wait_for_selector("input[name=username]")
        page.go_back(wait_until="commit")  # a restore fires no load event
        page.wait_for_function("() => window.__restored === true", timeout=10_000)
        page.wait_for_function("() => !document.getElementById('sign-in').disabled", timeout=5_000)
        assert page.is_enabled("#sign-in-popup")
    finally:
        browser.close()
