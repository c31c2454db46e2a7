"""This tab among the others of its origin: sign-outs they tell, and the session's watch.

    from veritone_auth.browser.tabs import Tabs

    tabs = Tabs(flow, channel_name)
    tabs.watch(on_hash_change, on_page_show)   # once, from BrowserAuth.start()

Tabs of this app tell each other of sign-outs on a ``BroadcastChannel``, by
the token's hash (storage events do not cross tabs for sessionStorage). A
copy of the tab that was not listening then (loading, in the back-forward
cache, on another site) finds the hash in ``localStorage`` when it boots, is
restored, or becomes visible: ``Session.current`` drops the token there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from js import window
from pyodide.ffi import create_proxy

from ..flow import ImplicitFlow
from ..session import AuthEvent, read_signed_out_message, signed_out_message

CHANNEL_PREFIX = "veritone-auth:"
CHECK_EVERY_MS = 1000


class Tabs:
    """The channel to this app's other tabs, and the timer and events that check the session."""

    def __init__(self, flow: ImplicitFlow, client_id: str) -> None:
        self.flow = flow
        self.name = CHANNEL_PREFIX + client_id
        self.channel: Any = None

    def watch(self, on_hash_change: Callable[[], None], on_page_show: Callable[[bool], None]) -> None:
        """Check the session each second, on ``visibilitychange`` and ``pageshow``; listen to the tabs."""
        if self.channel is not None:
            return
        check = create_proxy(lambda *_: self.flow.check())
        window.setInterval(check, CHECK_EVERY_MS)
        window.document.addEventListener("visibilitychange", check)
        window.addEventListener("hashchange", create_proxy(lambda *_: on_hash_change()))
        window.addEventListener("pageshow", create_proxy(lambda event: on_page_show(bool(event.persisted))))
        self.channel = window.BroadcastChannel.new(self.name)
        self.channel.onmessage = create_proxy(
            lambda message: self.flow.other_tab_signed_out(read_signed_out_message(message.data))
        )
        self.flow.listeners.append(self.tell)

    def tell(self, event: AuthEvent) -> None:
        """Pass a sign-out here on to the tabs listening now."""
        if (message := signed_out_message(event)) is not None:
            self.channel.postMessage(message)
