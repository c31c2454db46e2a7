"""What a person does on the page, as reusable steps for the end-to-end tests."""

from __future__ import annotations

from typing import Any

from tests.harness import BOOT_TIMEOUT_MS, Site

DEMO_USER = ("demo@example.com", "demo")


def boot(page: Any, url: str, state: str = "signed-out") -> None:
    """Open ``url`` and wait until Python has run and set ``body[data-auth]``."""
    page.goto(url)
    wait_auth(page, state)


def wait_auth(page: Any, state: str) -> None:
    page.wait_for_selector(f"body[data-auth='{state}']", state="attached", timeout=BOOT_TIMEOUT_MS)


def log_in(page: Any, decision: str = "allow", user: tuple[str, str] = DEMO_USER) -> None:
    """Fill and submit the stand-in's login form in ``page``."""
    page.wait_for_selector("input[name=username]", timeout=BOOT_TIMEOUT_MS)
    page.fill("input[name=username]", user[0])
    page.fill("input[name=password]", user[1])
    page.click(f"button[name=decision][value={decision}]")


def redirect_sign_in(page: Any, site: Site) -> None:
    """A whole redirect sign-in as the demo user, ending signed in with a profile."""
    boot(page, site.url)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    wait_profile(page)


def wait_profile(page: Any) -> None:
    page.wait_for_function(
        "() => document.getElementById('profile-name').textContent !== '…'", timeout=BOOT_TIMEOUT_MS
    )


def auth_error(page: Any) -> str | None:
    """The ``data-error`` of a visible ``#auth-error``, or None when it is hidden."""
    return page.evaluate(
        "(() => { const e = document.getElementById('auth-error');"
        " return e.hidden ? null : e.dataset.error; })()"
    )


def session_storage(page: Any) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(Object.entries(sessionStorage))")


def arrive_with(page: Any, site: Site, fragment: str, state: str | None = "pending-state") -> None:
    """Land on the page with ``fragment``, as a redirect from Veritone would, with a pending state.

    The page is loaded first so the pending state can be put in its sessionStorage, then
    left for about:blank so that arriving with the fragment is a full page load.
    """
    page.goto(site.url)
    page.wait_for_selector("body:not([data-auth='booting'])", state="attached", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("() => sessionStorage.clear()")
    if state is not None:
        page.evaluate("(state) => sessionStorage.setItem('veritone.state', state)", state)
    page.goto("about:blank")
    page.goto(site.url + "#" + fragment.lstrip("#"))
    page.wait_for_selector("body:not([data-auth='booting'])", state="attached", timeout=BOOT_TIMEOUT_MS)


def quick_sign_in(page: Any, site: Site) -> str:
    """Sign in with one boot: a token the stand-in issued arrives as a fragment on the loaded page.

    This is the page's own callback path (a hashchange); the redirect round trip through
    the stand-in's login form is covered by the tests that are about it.
    """
    from urllib.parse import urlencode

    from standin.oauth import DEMO_CLIENT_ID, DEMO_USER

    boot(page, site.url)
    token = site.standin.issuer.issue(DEMO_USER.id, DEMO_CLIENT_ID, "127.0.0.1")
    page.evaluate("() => sessionStorage.setItem('veritone.state', 'quick-state')")
    fragment = urlencode({"access_token": token, "token_type": "Bearer", "state": "quick-state"})
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)
    wait_auth(page, "signed-in")
    wait_profile(page)
    return token
