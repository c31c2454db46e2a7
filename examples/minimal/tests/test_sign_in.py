"""This page's own test: sign in through a local Veritone, in a real browser.

    pip install --find-links static/vendor/wheels "veritone-auth[testing]" playwright
    playwright install chromium
    pytest tests

The ``veritone`` fixture comes with ``veritone-auth[testing]``: a Veritone
stand-in for the test session that serves this folder at a registered redirect
URI, with ``config.json`` and the CSP's ``connect-src`` pointed at itself (the
files on disk stay as they are). Its knobs give the answers real deployments
give: ``veritone.deny()``, ``veritone.delay_api(seconds)``, ``veritone.revoke(token)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

PAGE = Path(__file__).resolve().parent.parent  # this page's folder
BOOT = 60_000  # ms: Python's first start in a fresh browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        # CHROMIUM_PATH: a Chromium you have, instead of `playwright install chromium`'s.
        chromium = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH") or None)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context()  # a browser of its own for each test: no storage left over
    yield context.new_page()
    context.close()


def sign_in(page: Page, veritone: Any, decision: str = "allow") -> None:
    page.goto(veritone.serve(PAGE))
    page.click("#sign-in", timeout=BOOT)
    page.fill("input[name=username]", veritone.user.email)
    page.fill("input[name=password]", veritone.user.password)
    page.click(f"button[name=decision][value={decision}]")


def test_signing_in_shows_the_user_and_signing_out_forgets_them(page: Page, veritone: Any) -> None:
    sign_in(page, veritone)
    page.wait_for_selector(f"#name:text('Signed in as {veritone.user.email}')", timeout=BOOT)
    page.click("#sign-out")
    page.wait_for_selector("body[data-auth=signed-out]")
    assert page.evaluate("sessionStorage.getItem('veritone.token')") is None  # the token is gone


def test_a_denied_sign_in_says_so_and_stays_signed_out(page: Page, veritone: Any) -> None:
    sign_in(page, veritone, decision="deny")
    page.wait_for_selector("body[data-auth=signed-out]", timeout=BOOT)
    assert "declined" in page.inner_text("#message")
