"""Every failure shows its message in #auth-error and leaves no half-signed-in state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.e2e.actions import (
    EXPIRE_SOON,
    arrive,
    arrive_with,
    auth_error,
    boot,
    log_in,
    quick_sign_in,
    session_storage,
    set_pending,
    wait_auth,
)
from tests.e2e.conftest import Recorder
from tests.harness import Site
from veritone_auth.errors import OAUTH_ERRORS

STATE = "pending-state"


def assert_signed_out_with(page: Any, error: str) -> None:
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert auth_error(page) == error
    assert "veritone.token" not in session_storage(page)
    assert "veritone.pending" not in session_storage(page)
    assert page.evaluate("location.hash") == ""


def test_deny_gives_access_denied(page: Any, standin_site: Site, recorder: Recorder) -> None:
    boot(page, standin_site.url)
    page.click("#sign-in")
    log_in(page, decision="deny")
    page.wait_for_selector("#auth-error[data-error='access_denied']", state="attached", timeout=30000)
    assert_signed_out_with(page, "access_denied")
    assert "Sign-in was declined" in page.inner_text("#auth-error")  # the user's choice, not a fault
    assert page.is_enabled("#sign-in")
    assert recorder.page_errors == []


def test_each_guide_error_id_is_rendered(page: Any, standin_site: Site) -> None:
    # Each arrives as a real response does: a full load of the redirect URI.
    for error in sorted(OAUTH_ERRORS):
        arrive_with(page, standin_site, urlencode({"error": error, "state": STATE}), state=STATE)
        assert_signed_out_with(page, error)
        assert OAUTH_ERRORS[error] in page.inner_text("#auth-error")


@pytest.mark.parametrize("fault", ["server_error", "temporarily_unavailable"])
def test_authorization_server_faults_come_back_as_errors(page: Any, standin_site: Site, fault: str) -> None:
    standin_site.standin.oauth.fault = fault
    boot(page, standin_site.url)
    page.click("#sign-in")
    page.wait_for_selector(f"#auth-error[data-error='{fault}']", state="attached", timeout=30000)
    assert_signed_out_with(page, fault)


def test_error_description_is_text_not_markup(page: Any, standin_site: Site, recorder: Recorder) -> None:
    payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    arrive_with(
        page,
        standin_site,
        urlencode(
            {
                "error": "access_denied",
                "error_description": payload,
                "error_uri": "javascript:window.__pwned=1",
                "state": STATE,
            }
        ),
    )
    assert_signed_out_with(page, "access_denied")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#auth-error img, #auth-error script").count() == 0
    assert page.is_hidden("#auth-error-link")


@pytest.mark.parametrize(
    ("error_uri", "linked"),
    [("https://api.veritone.com/help/scope", True), ("https://docs.example/scope", False)],
)
def test_error_uri_is_linked_only_on_veritone_s_origin(
    page: Any, standin_site: Site, error_uri: str, linked: bool
) -> None:
    # The production build talks to https://api.veritone.com: its own links are shown.
    url = standin_site.at("production")
    page.goto(url + "config.json")
    set_pending(page, url, STATE)
    arrive(page, url, urlencode({"error": "invalid_scope", "error_uri": error_uri, "state": STATE}))
    assert auth_error(page) == "invalid_scope"
    assert page.is_visible("#auth-error-link") is linked
    assert page.get_attribute("#auth-error-uri", "href") == (error_uri if linked else None)


def test_state_mismatch_is_rejected_and_nothing_stored(page: Any, standin_site: Site) -> None:
    arrive_with(
        page,
        standin_site,
        urlencode({"access_token": "abc.def.ghi", "token_type": "Bearer", "state": "forged"}),
    )
    assert_signed_out_with(page, "state_mismatch")


def test_callback_without_any_pending_sign_in_is_rejected(page: Any, standin_site: Site) -> None:
    arrive_with(
        page,
        standin_site,
        urlencode({"access_token": "abc", "token_type": "Bearer", "state": "x"}),
        state=None,
    )
    assert_signed_out_with(page, "state_mismatch")


def test_non_bearer_token_type_is_rejected(page: Any, standin_site: Site) -> None:
    arrive_with(page, standin_site, urlencode({"access_token": "abc", "token_type": "mac", "state": STATE}))
    assert_signed_out_with(page, "unsupported_token_type")


def test_malformed_callback_is_rejected(page: Any, standin_site: Site) -> None:
    arrive_with(page, standin_site, f"state={STATE}&access_token=a&access_token=b&token_type=Bearer")
    assert_signed_out_with(page, "invalid_callback")


def test_expired_token_signs_out_with_token_expired(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    # The token lapses a second from now: set after the sign-in, so however long that took
    # on a loaded machine, the token was valid through it.
    page.evaluate(EXPIRE_SOON, 1)
    wait_auth(page, "signed-out")  # the library's watch notices within a second
    assert_signed_out_with(page, "token_expired")


def test_token_expired_on_arrival_is_not_stored(page: Any, standin_site: Site) -> None:
    standin_site.standin.issuer.ttl = 1
    boot(page, standin_site.url)
    page.click("#sign-in")
    log_in(page)
    page.wait_for_selector("#auth-error[data-error='token_expired']", state="attached", timeout=30000)
    assert_signed_out_with(page, "token_expired")


def test_revoked_token_gives_invalid_token_on_the_next_call(page: Any, standin_site: Site) -> None:
    import json

    quick_sign_in(page, standin_site)
    token = json.loads(session_storage(page)["veritone.token"])["access_token"]
    assert standin_site.standin.issuer.revoke(token)
    page.click("#api-run")
    wait_auth(page, "signed-out")
    assert_signed_out_with(page, "invalid_token")


def test_gateway_401_gives_invalid_token(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    standin_site.standin.options.unauthorized_as_401 = True
    standin_site.standin.issuer.key = b"rotated" * 5  # every token is now bad
    page.click("#api-run")
    wait_auth(page, "signed-out")
    assert auth_error(page) == "invalid_token"


def test_api_down_gives_network_error_and_keeps_the_session(page: Any, standin_site: Site) -> None:
    quick_sign_in(page, standin_site)
    page.route("**/v3/graphql", lambda route: route.abort("connectionrefused"))
    page.click("#api-run")
    page.wait_for_selector("#auth-error[data-error='network_error']", state="attached")
    assert page.get_attribute("body", "data-auth") == "signed-in"
    assert "veritone.token" in session_storage(page)


@pytest.mark.parametrize("status", [500, 503])
def test_api_failure_gives_api_error(page: Any, standin_site: Site, status: int) -> None:
    quick_sign_in(page, standin_site)
    standin_site.standin.options.api_status = status
    page.click("#api-run")
    page.wait_for_selector("#auth-error[data-error='api_error']", state="attached")
    assert page.get_attribute("body", "data-auth") == "signed-in"


def test_api_console_runs_queries_and_shows_json_as_text(page: Any, standin_site: Site) -> None:
    import json

    quick_sign_in(page, standin_site)
    page.select_option("#api-sample", "organization")
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent.length > 0")
    assert (
        json.loads(page.inner_text("#api-result"))["data"]["me"]["organization"]["name"]
        == "Demo Organization"
    )
    page.fill("#api-query", "{ nope }")
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent.includes('nope')")
    assert "errors" in json.loads(page.inner_text("#api-result"))
    assert page.get_attribute("body", "data-auth") == "signed-in"


BLOCKED_STORAGE = """
Object.defineProperty(window, 'sessionStorage', {
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }
});
"""

FULL_STORAGE = """
(() => {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    // Room for the pending sign-in (~250 characters), not for a token (~1,300).
    if (String(value).length > 400) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    return setItem.call(this, key, value);
  };
})();
"""


def test_blocked_storage_gives_storage_unavailable(page: Any, standin_site: Site) -> None:
    page.add_init_script(BLOCKED_STORAGE)
    boot(page, standin_site.url)
    assert auth_error(page) == "storage_unavailable"
    page.click("#sign-in")
    assert auth_error(page) == "storage_unavailable"
    assert page.url == standin_site.url  # it did not leave for Veritone with no state to check


def test_full_storage_gives_storage_unavailable_and_stores_nothing(page: Any, standin_site: Site) -> None:
    page.add_init_script(FULL_STORAGE)
    boot(page, standin_site.url)
    page.click("#sign-in")
    log_in(page)
    page.wait_for_selector("#auth-error[data-error='storage_unavailable']", state="attached", timeout=30000)
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert "veritone.token" not in session_storage(page)


def test_unconfigured_page_explains_what_to_register(page: Any, standin_site: Site) -> None:
    url = standin_site.url.replace("/veritone-implicit/", "/unconfigured/")
    boot(page, url + "index.html")
    assert auth_error(page) == "not_configured"
    assert page.is_visible("#setup")
    assert page.input_value("#setup-redirect-uri") == url  # what to register: exact, without index.html
    assert page.is_disabled("#sign-in")
