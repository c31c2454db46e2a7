"""The access token card: masked token, expiry as ``<time>``, a countdown, and its scopes."""

from __future__ import annotations

import time

from js import document, window

from veritone_auth.tokens import Token

from . import element, set_text


def show_token(token: Token) -> None:
    stamp = element("token-expires")
    stamp.setAttribute("datetime", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)))
    stamp.textContent = str(window.Date.new(token.expires_at * 1000).toLocaleString())
    set_text("token-masked", token.masked)
    set_text("token-expiry-source", token.expiry_source.replace("_", " "))
    scopes = element("token-scopes")
    scopes.replaceChildren()
    for action in token.scopes or ("(none in the token)",):
        item = document.createElement("li")
        item.textContent = action
        scopes.append(item)


def show_countdown(seconds_left: float) -> None:
    left = max(0, int(seconds_left))
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {seconds}s"
    set_text("token-countdown", f"(in {text})")


def show_copied(id_: str) -> None:
    set_text(id_, "Copied")
