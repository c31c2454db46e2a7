"""The page boots Python from its own files, under a sub-path, with a clean console."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from publish import wheel
from tests.e2e.actions import auth_error, boot
from tests.e2e.conftest import Recorder
from tests.harness import BOOT_TIMEOUT_MS, Site


def test_boots_signed_out_with_sign_in_enabled(page: Any, standin_site: Site, recorder: Recorder) -> None:
    boot(page, standin_site.url)
    assert page.is_enabled("#sign-in")
    assert page.is_enabled("#sign-in-popup")
    assert auth_error(page) is None
    assert not page.is_visible("#boot-status")
    assert recorder.errors() == []


def test_python_files_are_preloaded_and_fetched_once(
    page: Any, standin_site: Site, recorder: Recorder
) -> None:
    # A preload that PyScript's fetch cannot reuse shows as a second request and a console warning.
    boot(page, standin_site.url)
    paths = [urlsplit(request.url).path for request in recorder.requests]
    preloaded = (
        *("main.py", "pyscript.toml", "config.json", "core.js", "core-C9KDLldu.js"),
        *(wheel.wheel_name(), wheel.VIEWS_WHEEL),
        # The runtime, hinted by boot.js: the wasm and the standard library as brotli, and
        # Chromium, which has no DecompressionStream("brotli"), the decoder.
        *("pyodide.mjs", "pyodide.asm.mjs", "pyodide-lock.json", "runtime.js"),
        *("pyodide.asm.wasm.br", "python_stdlib.zip.br", "brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm"),
    )
    for name in preloaded:
        assert sum(path.endswith("/" + name) for path in paths) == 1, name
    # boot.js asks for the runtime before the parser even reaches PyScript's core.js.
    first = {name: next(i for i, path in enumerate(paths) if path.endswith("/" + name)) for name in preloaded}
    assert first["pyodide.asm.wasm.br"] < first["core.js"] and first["pyodide.asm.mjs"] < first["core.js"]
    # The library comes in its wheel, as bytecode; no source of it is fetched on its own.
    assert not [path for path in paths if "/veritone_auth/" in path or "/views/" in path]
    # Every call the page makes is an awaited fetch: it never loads pyodide-http.
    assert not [path for path in paths if "pyodide_http" in path]
    # A preload PyScript could not use would also be warned about. "Not used within a few
    # seconds" is only slowness (a loaded machine), and the single fetches above say it was used.
    warnings = [text for _kind, text in recorder.console if "preload" in text]
    assert [text for text in warnings if "not used within a few seconds" not in text] == []


def test_shows_loading_indicator_while_booting(page: Any, standin_site: Site) -> None:
    # Hold the wasm back so the boot state can be seen, then let it through.
    held: list[Any] = []
    page.route("**/pyodide.asm.wasm.br", lambda route: held.append(route))
    with page.expect_request("**/pyodide.asm.wasm.br", timeout=BOOT_TIMEOUT_MS):
        page.goto(standin_site.url, wait_until="domcontentloaded")
    assert page.get_attribute("body", "data-auth") == "booting"
    assert page.is_visible("#boot-status")
    assert "Loading Python" in page.inner_text("#boot-status")
    assert page.is_disabled("#sign-in")
    # Playwright sent the request's route right after the request itself, so by the answer to
    # these later calls its handler has run.
    assert held, "the wasm's request was not routed"
    held[0].continue_()
    page.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=BOOT_TIMEOUT_MS)


def test_every_request_stays_on_the_page_origin(context: Any, standin_site: Site) -> None:
    own = "{0.scheme}://{0.netloc}".format(urlsplit(standin_site.url))
    foreign: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(own) or url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    boot(context.new_page(), standin_site.url)
    assert foreign == []


def test_missing_runtime_file_shows_a_boot_error(page: Any, standin_site: Site) -> None:
    # Its brotli copy and the plain file both.
    page.route("**/pyodide.asm.wasm*", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(standin_site.url)
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.is_visible("#boot-error")
    assert "Python could not start" in page.inner_text("#boot-error")
    assert page.get_attribute("body", "data-auth") == "booting"
    assert page.is_disabled("#sign-in")


def test_missing_pyscript_module_shows_a_boot_error(page: Any, standin_site: Site) -> None:
    page.route("**/vendor/pyscript/core.js", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(standin_site.url)
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.is_visible("#boot-error")


@pytest.mark.parametrize("name", ["main.py", "veritone_auth-*.whl", "config.json"])
def test_a_missing_file_of_the_page_shows_a_boot_error(page: Any, standin_site: Site, name: str) -> None:
    # The page's own files, not only the runtime's: each fails the boot, before or after py:ready.
    page.route(f"**/{name}", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(standin_site.url)
    page.wait_for_selector("body[data-boot='failed']", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.is_visible("#boot-error")
    assert page.get_attribute("body", "data-auth") == "booting"


def test_runs_the_vendored_python(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    assert page.inner_text("#python-version").startswith("3.")


def test_a_deep_link_stays_in_the_address_bar(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url + "#settings")
    assert page.evaluate("location.hash") == "#settings"
    assert auth_error(page) is None


def test_a_missing_image_or_favicon_is_no_boot_failure(page: Any, standin_site: Site) -> None:
    # A page of an adopter without the demo's data: favicon, and an image that is gone.
    page.add_init_script(
        "addEventListener('DOMContentLoaded', () => {"
        " const icon = document.createElement('link'); icon.rel = 'icon'; icon.href = 'favicon.ico';"
        " const image = new Image(); image.src = 'missing.png'; document.body.append(image);"
        " document.head.append(icon); });"
    )
    boot(page, standin_site.url)
    assert page.get_attribute("body", "data-boot") is None
    assert page.is_hidden("#boot-error")
