"""Screenshots of each state of the page for the README, taken from the real page.

It builds the site, serves it beside a stand-in, drives Chromium through the
states (booting, signed out, signed in, signed out with a revoke Veritone did
not confirm, an error, not configured, framed by another site, a phone in
dark mode) and writes PNGs to ``docs/screenshots/``, so the README shows what
the page does today.

    python -m publish.screenshots
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from publish.site import ROOT, build
from serve import DEMO_CLIENT_ID
from standin.oauth import DEMO_USER
from standin.server import StandinOptions, StandinServer, serve_standin
from tests.harness import CHROMIUM, CHROMIUM_ARGS, free_port, serve_folder

OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1100, "height": 900}
PHONE = {"width": 360, "height": 780}


def sign_in(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=60_000)
    page.click("#sign-in")
    page.fill("input[name=username]", DEMO_USER.email)
    page.fill("input[name=password]", DEMO_USER.password)
    page.click("button[value=allow]")
    page.wait_for_selector("body[data-auth='signed-in']", state="attached", timeout=60_000)
    page.wait_for_function("() => document.getElementById('profile-name').textContent !== '…'")


@contextmanager
def served() -> Iterator[tuple[str, str, StandinServer]]:
    """The site built into a scratch folder, served beside a stand-in: both base URLs, the stand-in."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        port = free_port()
        standin_url = f"http://localhost:{port}"
        config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
        build(root / "demo", config)
        build(root / "unconfigured", {"environment": "us", "client_id": ""}, starter=False, api=False)
        static = serve_folder(root)
        base = f"http://127.0.0.1:{static.server_port}"
        standin = serve_standin(port, StandinOptions(redirect_uris=[f"{base}/demo/"]))
        try:
            yield base, standin_url, standin
        finally:
            standin.shutdown()
            static.shutdown()


def desktop_states(page: Any, base: str, standin: StandinServer, shot: Callable[[Any, str], None]) -> None:
    """Booting, signed out, signed in with an answer, a revoke not confirmed, denied, not configured."""
    url = f"{base}/demo/"
    held: list[Any] = []
    page.route("**/pyodide.asm.wasm*", lambda route: held.append(route))  # held back: still booting
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#boot-progress", state="attached")
    shot(page, "booting")
    for route in held:
        route.continue_()
    page.unroute("**/pyodide.asm.wasm*")
    page.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=60_000)
    shot(page, "signed-out")
    sign_in(page, url)
    page.select_option("#api-sample", "recent")
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent !== ''")
    shot(page, "signed-in")
    options = standin.standin.options
    options.rest_logout, options.api_status = False, 500  # neither logout answers
    page.click("#sign-out")
    page.wait_for_selector("#notice:not([hidden])", state="attached")
    shot(page, "signed-out-revoke-unconfirmed")
    options.rest_logout, options.api_status = True, None
    page.context.clear_cookies()  # signed out at the stand-in too, so it asks again
    page.click("#sign-in")
    page.click("button[value=deny]")
    page.wait_for_selector("#auth-error[data-error='access_denied']", state="attached", timeout=60_000)
    shot(page, "error-access-denied")
    page.goto(f"{base}/unconfigured/")
    page.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=60_000)
    shot(page, "not-configured")


def take(out: Path = OUT) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(page: Any, name: str) -> None:
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    with served() as (base, standin_url, standin), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop_states(browser.new_page(viewport=DESKTOP), base, standin, shot)
        framer = browser.new_page(viewport=DESKTOP)
        framer.goto(standin_url + "/")  # another origin frames the page
        framer.set_content(
            f'<p>Another site</p><iframe src="{base}/demo/" width="900" height="200"></iframe>'
        )
        framer.frame_locator("iframe").locator("#framed").wait_for(state="attached")
        shot(framer, "framed")
        phone = browser.new_page(viewport=PHONE, color_scheme="dark")
        sign_in(phone, f"{base}/demo/")
        shot(phone, "phone-dark-signed-in")
        browser.close()
    return shots


def main() -> None:
    for path in take():
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
