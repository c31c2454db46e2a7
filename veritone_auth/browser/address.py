"""The address bar: the page's URL, the response it was loaded with, and the way to Veritone.

from veritone_auth.browser.address import take_response, go_to

callback = take_response()      # parsed once; boot.js took it out of the address bar already
go_to(authorization_url)        # a redirect sign-in
"""

from __future__ import annotations

from js import window

from ..callback import Callback


def page_url() -> str:
    return str(window.location.href)


def fragment() -> str:
    """The address bar's fragment now, ``#`` included."""
    return str(window.location.hash)


def clean_url() -> None:
    """Drop the fragment from the address bar and from this history entry."""
    location = window.location
    window.history.replaceState(None, "", f"{location.pathname}{location.search}")


def take_response() -> Callback | None:
    """Take the response this page was loaded with, once, parsed: every check reads this value.

    From the first script (``boot.js``), which took it out of the address bar
    before anything loaded; without that script, from the address bar now.
    """
    take = getattr(window, "takeAuthResponse", None)
    if take is not None:
        taken = take()
        return Callback.parse(taken) if isinstance(taken, str) else None  # none is jsnull
    fragment = str(window.location.hash)
    callback = Callback.parse(fragment) if len(fragment) > 1 else None
    if callback is None or not callback.is_response:
        return None  # none, or a deep link (#settings): it stays in the address bar
    clean_url()
    return callback


def go_to(url: str) -> None:
    """Leave this page for ``url`` (the authorization request)."""
    window.location.assign(url)


def return_to(location: str) -> None:
    """Put back the path and deep link a redirect sign-in started from, without loading.

    ``location`` comes from this tab's pending sign-in, never from a
    response, and is a path on this origin (``PendingSignIn.from_json``).
    """
    current = f"{window.location.pathname}{window.location.search}{window.location.hash}"
    if location and location != current:
        window.history.replaceState(None, "", location)
