"""A popup's response handed over on a same-origin channel, when its opener cannot read it.

A login page that sends Cross-Origin-Opener-Policy cuts the sign-in popup off
from the tab that opened it. Back on this origin, the popup posts the response
on a ``BroadcastChannel`` (``static/boot.js``); the tab takes it only if it
names this sign-in's popup and carries no state or this sign-in's::

    handed = read_handover(event.data, pending.popup_name, pending.state)
    if handed is not None:
        fragment, at = handed          # then checked like any response
"""

from __future__ import annotations

from . import json_text
from .callback import MAX_FRAGMENT_LENGTH, Callback


def read_handover(data: object, popup_name: str, state: str) -> tuple[str, str] | None:
    """A popup's response handed over on the channel: (fragment, where it arrived), or None.

    Only a message naming this sign-in's popup, with no state or this
    sign-in's ``state``, counts: a stranger's message spends nothing. The
    fragment is then checked like any response.
    """
    if not isinstance(data, str) or len(data) >= 2 * MAX_FRAGMENT_LENGTH:
        return None
    try:
        message = json_text.loads(data)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("kind") != "response" or not popup_name:
        return None
    fragment, at = message.get("response"), message.get("at")
    if message.get("popup") != popup_name or not isinstance(fragment, str) or not isinstance(at, str):
        return None
    echoed = Callback.parse(fragment).params.get("state")
    return (fragment, at) if echoed is None or echoed == state else None
