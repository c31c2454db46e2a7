"""examples/minimal: the smallest page on the library signs in, shows the name, signs out."""

from __future__ import annotations

from typing import Any

from serve import DEMO_USER
from tests.e2e.actions import (
    arrive,
    boot,
    log_in,
    on_the_origin,
    revoked,
    session_storage,
    set_pending,
    wait_auth,
)
from tests.e2e.conftest import Recorder
from tests.harness import Site


def example(site: Site) -> str:
    return site.url + "examples/minimal/"


def test_sign_in_name_and_sign_out(page: Any, standin_site: Site, recorder: Recorder) -> None:
    url = example(standin_site)
    boot(page, url)
    assert page.is_visible("#sign-in") and not page.is_visible("#sign-out")
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    assert page.inner_text("#name") == f"Signed in as {DEMO_USER[0]}"  # Veritone's name is the login
    assert page.evaluate("location.href") == url  # the response left the address bar
    token = session_storage(page)["veritone.token"]
    page.reload()
    wait_auth(page, "signed-in")  # the session survives a reload of the tab
    page.click("#sign-out")
    wait_auth(page, "signed-out")
    assert page.inner_text("#name") == ""
    assert "veritone.token" not in session_storage(page)
    assert revoked(standin_site, token)
    assert recorder.errors() == []
    # It loads the library's wheel, and nothing of the demo's UI.
    asked = [request.url for request in recorder.requests]
    assert any("/static/vendor/wheels/veritone_auth-" in name for name in asked)
    assert not any(name.endswith(("/veritone-implicit/main.py", "/app.css")) for name in asked)


def test_a_refused_response_is_shown_as_text(page: Any, standin_site: Site) -> None:
    url = example(standin_site)
    on_the_origin(page, standin_site)
    set_pending(page, url, "the-state")
    arrive(page, url, "access_token=abc&token_type=Bearer&state=<b>another</b>")
    wait_auth(page, "signed-out")
    assert "not started by this tab" in page.inner_text("#message")
    assert page.locator("#message b").count() == 0
    assert "veritone.token" not in session_storage(page)


def test_without_the_first_script_the_library_takes_the_response_from_the_address_bar(
    page: Any, standin_site: Site
) -> None:
    # A page that left boot.js out: start() reads the fragment itself and clears it.
    page.route("**/static/boot.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    url = example(standin_site)
    boot(page, url)
    assert page.evaluate("typeof window.takeAuthResponse") == "undefined"
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    assert page.inner_text("#name") == f"Signed in as {DEMO_USER[0]}"
    assert page.evaluate("location.href") == url  # no token left in the address bar
