"""A redirect sign-in brings the user back to the path and deep link they started from."""

from __future__ import annotations

from typing import Any

from tests.e2e.actions import boot, log_in, wait_auth, wait_profile
from tests.harness import Site


def test_a_redirect_sign_in_returns_to_the_deep_link(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url + "#settings")
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert page.evaluate("location.href") == standin_site.url + "#settings"


def test_the_return_comes_from_the_pending_sign_in_never_from_the_response(
    page: Any, standin_site: Site
) -> None:
    boot(page, standin_site.url)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    assert page.evaluate("location.href") == standin_site.url  # no fragment, none invented
