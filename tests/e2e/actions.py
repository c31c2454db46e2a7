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


def wait_closed(popup: Any) -> None:
    """Wait for the popup's own close event (the page closes it once it has the response)."""
    if not popup.is_closed():
        popup.wait_for_event("close", timeout=BOOT_TIMEOUT_MS)


# The page's popup poller checks every 20 ms (veritone_auth.browser.POPUP_POLL_SECONDS).
POLL_MS = 20


def after_page_timers(page: Any, ms: int = 2 * POLL_MS) -> None:
    """Return once every timer the page had set for ``ms`` or less has fired.

    The HTML timer rules run a timeout only after the earlier ones with an equal or
    shorter delay: a ``setTimeout(ms)`` set now fires after any poll the page's Python
    had scheduled. Tests that prove something does *not* happen wait for this event,
    not for a fixed time.
    """
    page.evaluate("(ms) => new Promise((done) => setTimeout(done, ms))", ms)


def step_summaries(page: Any, step: str) -> list[str]:
    """The texts of the flow inspector's entries for ``step``."""
    return page.locator(f"#flow-log li[data-step='{step}']").all_inner_texts()


def auth_error(page: Any) -> str | None:
    """The ``data-error`` of a visible ``#auth-error``, or None when it is hidden."""
    return page.evaluate(
        "(() => { const e = document.getElementById('auth-error');"
        " return e.hidden ? null : e.dataset.error; })()"
    )


def history_urls(context: Any, page: Any) -> list[str]:
    """The URLs of the tab's session history entries (Chromium's DevTools protocol)."""
    cdp = context.new_cdp_session(page)
    try:
        return [entry["url"] for entry in cdp.send("Page.getNavigationHistory")["entries"]]
    finally:
        cdp.detach()


def session_storage(page: Any) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(Object.entries(sessionStorage))")


PENDING_KEY = "veritone.pending"

# Make the held token expire ``seconds`` from now, as time passing would (page.evaluate).
EXPIRE_SOON = """(seconds) => {
  const token = JSON.parse(sessionStorage.getItem('veritone.token'));
  token.expires_at = Date.now() / 1000 + seconds;
  sessionStorage.setItem('veritone.token', JSON.stringify(token));
}"""


def set_pending(page: Any, redirect_uri: str, state: str, *, age: float = 0, mode: str = "redirect") -> None:
    """Put a pending sign-in in the tab's sessionStorage, as starting one would."""
    page.evaluate(
        """([key, state, uri, age, mode]) => sessionStorage.setItem(key, JSON.stringify(
            {state, started_at: Date.now() / 1000 - age, redirect_uri: uri, mode}))""",
        [PENDING_KEY, state, redirect_uri, age, mode],
    )


def on_the_origin(page: Any, site: Site) -> None:
    """Open a plain file of the site, so the tab's sessionStorage can be set without a boot."""
    page.goto(site.url + "config.json")


def arrive(page: Any, url: str, fragment: str) -> None:
    """Land on ``url`` with ``fragment`` by a full page load, as a redirect from Veritone does."""
    page.goto("about:blank")
    page.goto(url + "#" + fragment.lstrip("#"))
    page.wait_for_selector("body:not([data-auth='booting'])", state="attached", timeout=BOOT_TIMEOUT_MS)


def arrive_with(page: Any, site: Site, fragment: str, state: str | None = "pending-state") -> None:
    """Land on the page with ``fragment``, as a redirect from Veritone would, with a pending state.

    A file of the site is opened first so the pending sign-in can be put in the tab's
    sessionStorage; then the page is loaded with the fragment.
    """
    on_the_origin(page, site)
    page.evaluate("() => sessionStorage.clear()")
    if state is not None:
        set_pending(page, site.url, state)
    arrive(page, site.url, fragment)


def quick_sign_in(page: Any, site: Site, url: str | None = None, *, profile: bool = True) -> str:
    """Sign in without the login form: a token the stand-in issued arrives by a full page load.

    The page is the same as after a redirect sign-in; the round trip through the stand-in's
    login form is covered by the tests that are about it.
    """
    from urllib.parse import urlencode

    from standin.oauth import DEMO_CLIENT_ID, DEMO_USER

    token = site.standin.issuer.issue(DEMO_USER.id, DEMO_CLIENT_ID, "127.0.0.1")
    fragment = urlencode({"access_token": token, "token_type": "Bearer", "state": "quick-state"})
    url = url or site.url
    page.goto(url + "config.json")
    set_pending(page, url, "quick-state")
    arrive(page, url, fragment)
    wait_auth(page, "signed-in")
    if profile:
        wait_profile(page)
    return token


def revoked(site: Site, token: str) -> bool:
    """Whether the stand-in now refuses ``token``: it was revoked (sign-out does that)."""
    from standin.tokens import InvalidTokenError

    try:
        site.standin.issuer.verify(token)
    except InvalidTokenError:
        return True
    return False
