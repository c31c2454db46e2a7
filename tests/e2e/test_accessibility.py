"""Accessibility and layout: axe finds nothing serious, the keyboard works, 360 px fits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.actions import arrive_with, boot, log_in, quick_sign_in, wait_auth
from tests.harness import Site


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_in_any_state(page: Any, standin_site: Site, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    boot(page, standin_site.url)
    assert serious_violations(page) == [], "signed-out"
    quick_sign_in(page, standin_site)
    page.click("#api-run")
    page.wait_for_function("() => document.getElementById('api-result').textContent !== ''")
    assert serious_violations(page) == [], "signed-in"
    arrive_with(page, standin_site, "error=access_denied&error_description=Denied&state=s", state="s")
    assert serious_violations(page) == [], "error"
    page.goto(standin_site.url.replace("/veritone-implicit/", "/unconfigured/"))
    wait_auth(page, "signed-out")
    assert serious_violations(page) == [], "not configured"


def test_sign_in_by_keyboard_alone(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "sign-in":
            break
    assert page.evaluate("document.activeElement.id") == "sign-in"
    page.keyboard.press("Enter")
    log_in(page)
    wait_auth(page, "signed-in")
    assert page.evaluate("document.activeElement.id") == "signed-in-title"  # focus follows sign-in


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fits_a_360_px_phone(browser: Any, standin_site: Site, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    try:
        page = context.new_page()
        quick_sign_in(page, standin_site)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
