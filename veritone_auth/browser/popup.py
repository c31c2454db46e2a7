"""Popup sign-in: open Veritone in a named popup, and take the response when it is back here.

    from veritone_auth.browser.popup import open_popup, wait_for_response

    popup = open_popup(url, pending.popup_name)        # None when blocked
    fragment, href = await wait_for_response(popup, is_redirect_uri)

The response is read only from the popup this tab opened, once it is back on
this origin at the redirect URI (its first script, boot.js, holds it). A
popup whose opener stopped waiting (it was reloaded) finishes the sign-in in
the opener's tab storage instead (``BrowserAuth.start``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from js import window
from pyodide.ffi import JsException

from ..authorize import POPUP_MODE, PendingSignIn

POPUP_FEATURES = "popup,width=520,height=720"
POLL_SECONDS = 0.02


class Closed(Exception):
    """The popup was closed before it came back with a response."""


def is_this_window(other: Any) -> bool:
    return bool(getattr(window.Object, "is")(other, window))


def open_popup(url: str, name: str) -> Any:
    """Open the sign-in popup; None if the browser blocked it.

    A window that answers to ``name`` and is this tab itself counts as
    blocked: it would go to Veritone itself, and come back to close.
    """
    popup = window.open(url, name, POPUP_FEATURES)
    return None if not popup or is_this_window(popup) else popup


async def wait_for_response(popup: Any, at_redirect_uri: Callable[[str], bool]) -> tuple[str, str]:
    """Poll the popup until it is back at the redirect URI with a response: (fragment, its URL).

    Raises ``Closed`` if it is closed first. The popup is closed once read.
    """
    while True:
        await asyncio.sleep(POLL_SECONDS)
        if popup.closed:
            raise Closed()
        try:
            # Readable only once the popup is back on this origin.
            href = str(popup.location.href)
            take = getattr(popup, "takeAuthResponse", None) if at_redirect_uri(href) else None
        except JsException:
            continue
        response = take() if take is not None else None  # None: its first script has not run
        if isinstance(response, str):
            popup.close()
            return response, href


def is_our_popup(pending: PendingSignIn | None) -> bool:
    """This window is the popup of its tab's sign-in: it has the random name that sign-in gave it."""
    return (
        pending is not None
        and pending.mode == POPUP_MODE
        and bool(pending.popup_name)
        and str(window.name) == pending.popup_name
    )


def opener_on_this_origin() -> Any:
    """This window's opener, if it is another window still open on this origin; else None."""
    opener = window.opener
    try:
        ours = (
            bool(opener)
            and not is_this_window(opener)
            and not opener.closed
            and opener.location.origin == window.location.origin
        )
    except JsException:  # another origin: its location cannot be read
        return None
    return opener if ours else None


def forget_name() -> None:
    window.name = ""  # an ordinary window from now on, whatever happens


def close_and_reload_opener(opener: Any) -> None:
    opener.location.reload()
    window.close()
