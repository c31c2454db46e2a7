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
import json
from collections.abc import Callable
from typing import Any

from js import window
from pyodide.ffi import JsException, create_proxy

from ..authorize import PENDING_LIFETIME, POPUP_MODE, PendingSignIn
from ..callback import POPUP, Callback
from ..errors import VeritoneError
from ..flow import ImplicitFlow
from ..handover import read_handover
from ..session import REFUSED, AuthEvent
from ..tokens import Token
from .tasks import in_background

POPUP_FEATURES = "popup,width=520,height=720"
POLL_SECONDS = 0.02
# Where a popup cut off by the login page's Cross-Origin-Opener-Policy hands its response
# over (static/boot.js): a same-origin channel, which only this origin's windows can use.
HANDOVER_CHANNEL = "veritone-auth:sign-in"


class Handover:
    """Waits for the response a popup hands over on the channel, when it cannot be read directly."""

    def __init__(self, popup_name: str, state: str) -> None:
        self.popup_name = popup_name
        self.state = state
        self.answer: asyncio.Future[tuple[str, str]] = asyncio.get_event_loop().create_future()
        self.channel = window.BroadcastChannel.new(HANDOVER_CHANNEL)
        self.channel.onmessage = create_proxy(self._message)

    def _message(self, event: Any) -> None:
        handed = read_handover(event.data, self.popup_name, self.state)
        if handed is None or self.answer.done():
            return  # a stranger's message, or a second one: nothing changes
        self.channel.postMessage(json.dumps({"kind": "taken", "popup": self.popup_name}))
        self.answer.set_result(handed)

    def close(self) -> None:
        self.channel.close()


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


async def wait_for_response(
    popup: Any, at_redirect_uri: Callable[[str], bool], handover: Handover
) -> tuple[str, str]:
    """Poll the popup until it is back at the redirect URI with a response: (fragment, its URL).

    Or take what it hands over on the channel. Raises ``Closed`` if its handle
    says closed first. The popup is closed once read.
    """
    while True:
        await asyncio.sleep(POLL_SECONDS)
        if handover.answer.done():
            return handover.answer.result()
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


def is_our_popup(pending: PendingSignIn | None, response: Callback | None) -> bool:
    """This window is the popup of its tab's sign-in: it has the random name that sign-in gave it.

    A login page's Cross-Origin-Opener-Policy may clear the name: a popup with
    no opener is known then by the response's state, the pending sign-in's own.
    """
    if pending is None or pending.mode != POPUP_MODE or not pending.popup_name:
        return False
    if str(window.name) == pending.popup_name:
        return True
    state = response.params.get("state") if response is not None else None
    return window.opener is None and state is not None and state == pending.state


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


class PopupSignIn:
    """This tab's popup sign-in: open it, take its answer, and listen on if it is lost from sight."""

    def __init__(self, flow: ImplicitFlow, revoke_refused: Callable[[], None]) -> None:
        self.flow = flow
        self.revoke_refused = revoke_refused
        self.window: Any = None  # the open popup, while one is pending
        self.late: asyncio.Task[None] | None = None  # a lost popup's hand-over, still awaited

    async def sign_in(self, here: str) -> Token | None:
        if self.window is not None:
            self.window.focus()
            return None
        self.stop_listening()
        url = self.flow.begin(here, POPUP_MODE)
        pending = self.flow.store.peek_pending()
        name, state = (pending.popup_name, pending.state) if pending else ("", "")
        opened = open_popup(url, name)
        if opened is None:
            raise self.flow.abandon("popup_blocked")
        self.window, handover = opened, Handover(name, state)
        try:
            response, href = await wait_for_response(
                opened, lambda url: self.flow.at_redirect_uri(url, here), handover
            )
        except Closed:
            # Closed, or cut off by the login page (COOP): it may still hand its answer over.
            self.late = in_background(self.take_late(handover))
            raise self.flow.popup_lost() from None
        finally:
            self.window = None
        handover.close()
        return self.receive(response, href)

    def receive(self, response: str, href: str) -> Token | None:
        try:
            return self.flow.receive(response, POPUP, href)
        finally:
            self.revoke_refused()

    async def take_late(self, handover: Handover) -> None:
        """Take what the popup hands over after its handle said closed; told as ``signed_in``."""
        try:
            response, href = await asyncio.wait_for(handover.answer, PENDING_LIFETIME)
        except TimeoutError:
            return
        finally:
            handover.close()
        try:
            self.receive(response, href)
        except VeritoneError as error:
            self.flow.tell(AuthEvent(REFUSED, error=error))

    def stop_listening(self) -> None:
        """A new sign-in starts: a popup of an earlier one can no longer answer here."""
        if self.late is not None:
            self.late.cancel()
            self.late = None
