"""The security checklist, proven in the browser: CSP, token confidentiality, history, popup origin."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from tests.e2e.actions import (
    after_page_timers,
    auth_error,
    boot,
    history_urls,
    log_in,
    redirect_sign_in,
    session_storage,
    wait_auth,
    wait_profile,
)
from tests.e2e.conftest import Recorder
from tests.harness import Site

COLLECT_CSP_VIOLATIONS = """
window.__csp = [];
addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_no_csp_violations_through_whole_flows(page: Any, standin_site: Site) -> None:
    page.add_init_script(COLLECT_CSP_VIOLATIONS)
    redirect_sign_in(page, standin_site)
    page.select_option("#api-sample", "recent")
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent !== ''")
    assert page.evaluate("window.__csp") == []
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    standin_site.standin.sessions.clear()
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    log_in(popup_info.value)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert page.evaluate("window.__csp") == []


def test_csp_is_enforced(page: Any, standin_site: Site) -> None:
    """The policy really blocks: inline script and a foreign connection are refused."""
    page.add_init_script(COLLECT_CSP_VIOLATIONS)
    boot(page, standin_site.url)
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inline = 1'; document.body.append(s); }"""
    )
    page.evaluate("() => fetch('https://evil.example/').catch(() => null)")
    page.wait_for_function("() => window.__csp.length >= 2")
    assert page.evaluate("window.__inline") is None
    violations = " ".join(page.evaluate("window.__csp"))
    assert "script-src" in violations and "connect-src" in violations


def test_the_token_goes_only_in_the_authorization_header_to_the_api(
    page: Any, context: Any, standin_site: Site, recorder: Recorder
) -> None:
    redirect_sign_in(page, standin_site)
    token = json.loads(session_storage(page)["veritone.token"])["access_token"]
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent !== ''")
    page.reload()
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert token not in page.content()
    assert token not in page.inner_text("body")
    entries = history_urls(context, page)
    assert all("#" not in url and "access_token" not in url for url in entries), entries
    page.click("#sign-out")
    page.wait_for_selector("#flow-log li[data-step='revoke']", state="attached")

    api = origin(standin_site.standin_url) + "/v3/graphql"
    # Veritone's own sign-out (veritone-sdk) names the token in the path; the page asks
    # userLogout first (token in a header and the body), so that URL is asked for only when
    # userLogout does not confirm. No other URL ever holds it, and never in a query.
    logout = origin(standin_site.standin_url) + f"/v1/admin/token/{token}/logout"
    authorized = 0
    for request in recorder.requests:
        headers = request.all_headers()
        assert token not in request.url or request.url == logout
        for name, value in headers.items():
            if token in value:
                assert (name, value) == ("authorization", f"Bearer {token}"), name
                assert request.url in (api, logout)
                authorized += 1
        body = request.post_data or ""
        if token in body:  # Veritone revokes by GraphQL: userLogout(token: ...) in the body
            assert request.url == api and "userLogout" in body
    assert authorized >= 3  # profile, console query, profile after reload
    assert [r.method for r in recorder.requests if r.url == logout] == []  # userLogout confirmed
    assert [r for r in recorder.requests if "userLogout" in (r.post_data or "")]
    assert not [m for kind, m in recorder.console if token in m]
    assert not [r for r in standin_site.standin.referers if token in r or "#" in r]
    assert not [line for line in standin_site.standin.log if token in line]


def test_no_referrer_reaches_the_stand_in(page: Any, standin_site: Site) -> None:
    standin_site.standin.referers.clear()  # only this test's requests
    redirect_sign_in(page, standin_site)
    page_origin = origin(standin_site.url)
    assert not [r for r in standin_site.standin.referers if r.startswith(page_origin)]


def test_popup_result_is_read_only_from_our_own_origin(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    popup = popup_info.value
    popup.wait_for_selector("input[name=username]")
    # A token-bearing fragment on another origin: the opener cannot and must not take it.
    popup.goto(standin_site.standin_url + "/#access_token=planted.token.value&token_type=Bearer&state=x")
    after_page_timers(page)  # the opener has polled the popup since it loaded there
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert "veritone.token" not in session_storage(page)
    popup.close()
    page.wait_for_selector("#auth-error[data-error='popup_closed']", state="attached")
    assert auth_error(page) == "popup_closed"


def test_storage_whose_methods_throw_gives_storage_unavailable(page: Any, standin_site: Site) -> None:
    page.add_init_script(
        "Storage.prototype.getItem = () => { throw new DOMException('denied', 'SecurityError'); };"
    )
    boot(page, standin_site.url)
    assert auth_error(page) == "storage_unavailable"
    assert "session storage" in page.inner_text("#auth-error")
