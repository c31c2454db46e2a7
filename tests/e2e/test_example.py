"""examples/minimal: the smallest page on the library signs in, shows the name, signs out."""

from __future__ import annotations

from typing import Any

import pytest

from publish import stdlib
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
from tests.harness import BOOT_TIMEOUT_MS, Site


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


@pytest.mark.stdlib_later
def test_auth_client_is_a_ready_client_while_signed_in_and_refused_when_not(
    page: Any, standin_site: Site, recorder: Recorder
) -> None:
    # A later <script type="py"> runs in the same namespace as the example's main.py.
    probe = """
from js import document
from veritone_auth.errors import InvalidToken, NetworkError
try:
    document.body.dataset.client = auth.client().me()["me"]["name"]
except InvalidToken as error:
    document.body.dataset.client = "refused: " + error.error
except NetworkError as error:
    document.body.dataset.client = "unreachable: " + str(error)
"""
    url = example(standin_site)

    def run_probe() -> str:
        page.evaluate("delete document.body.dataset.client")
        page.evaluate(
            "(code) => { const s = document.createElement('script'); s.type = 'py';"
            " s.textContent = code; document.body.append(s); }",
            probe,
        )
        page.wait_for_function("() => 'client' in document.body.dataset")
        return page.evaluate("document.body.dataset.client")

    boot(page, url)
    assert run_probe() == "refused: invalid_token"
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    client_archive = stdlib.TARGET_CLIENT.name
    assert recorder.fetched(client_archive) == []  # signed in, with no synchronous client yet
    # Offline as the client's modules are fetched: the API could not be reached, and the
    # token is kept. Back online, the next call fetches them.
    page.route(f"**/{client_archive}", lambda route: route.abort("internetdisconnected"))
    assert run_probe().startswith(
        f"unreachable: network_error: the standard library's http://{url.split('/')[2]}/"
    )
    assert "veritone.token" in session_storage(page)
    page.unroute(f"**/{client_archive}")
    assert run_probe() == DEMO_USER[0]
    # Its urllib, http.client and email came in their own archive, once, and nothing else did.
    assert len(recorder.fetched(client_archive)) == 2
    assert recorder.fetched(stdlib.TARGET_REST.name) == []


def test_framed_the_example_boots_nothing(page: Any, standin_site: Site) -> None:
    page.goto(standin_site.standin_url + "/")  # another origin
    page.set_content(f'<iframe src="{example(standin_site)}" width="800" height="600"></iframe>')
    frame = page.frame_locator("iframe")
    frame.locator("#framed").wait_for(state="visible")
    assert frame.locator("button").count() == 0
    assert page.frames[1].url == standin_site.url + "static/framed.html"


def test_a_runtime_that_never_boots_says_so(page: Any, standin_site: Site) -> None:
    # The wasm's brotli copy and the plain file both.
    page.route("**/pyodide.asm.wasm*", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(example(standin_site))
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert "Python could not start" in page.inner_text("#boot-error")
    assert not page.is_visible("#boot-status")
    assert not page.is_visible("#sign-in")
