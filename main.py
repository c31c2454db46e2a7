"""The demo: Sign in with Veritone with the Implicit Flow, told top to bottom.

The library (``veritone_auth``) decides and ``views/`` draws; this file is the story: read the
registration, finish what this load brought back, show the session as the library tells it,
and answer the clicks. No click waits on the network. What the page shows is kept here, in
Python, never read back from the DOM. The page contract is in ``docs/page-contract.md``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

from js import window
from pyodide.ffi import create_proxy

from veritone_auth.browser import FINISHED_IN_POPUP, SENT_TO_OPENER, BrowserAuth, SignedOut, in_background
from veritone_auth.browser.address import page_url
from veritone_auth.errors import NotAllowed, NotConfigured, VeritoneError
from veritone_auth.session import ABANDONED, BY_USER, EXPIRING, REFUSED, SIGNED_IN, SIGNED_OUT, AuthEvent
from veritone_auth.tokens import Token
from views import console, inspector, notices, on, session, set_text, worker_panel
from views import token as token_view


@dataclass
class Shown:
    """What the page shows now."""

    token: Token | None = None  # the token the page shows as signed in
    expiring: bool = False  # the session-ending notice is up
    started: bool = False  # start() has shown what this load brought


shown = Shown()


def registration() -> tuple[BrowserAuth | None, VeritoneError | None]:
    """The app's registration from config.json, and why sign-in cannot work here, if it cannot."""
    try:
        auth = BrowserAuth.from_config("config.json")
    except VeritoneError as error:  # a broken config is reported, not raised
        return None, error
    return auth, auth.problem()


def start() -> None:
    """Show the flow so far, then finish what this page load brought back, and show the session."""
    assert auth is not None
    inspector.show_steps(auth.flow.log.events)
    auth.flow.log.listeners.append(inspector.show_step)
    auth.on(on_event)
    session.show_environment(auth.settings.environment.label)
    refused = False
    try:
        token = auth.start()
    except VeritoneError as error:  # a refused response; whatever was held stays
        notices.show_error(error)
        token, refused = auth.token, True
    if auth.arrival == SENT_TO_OPENER:  # this popup answered for its opener's tab
        session.show_popup_answered(refused)
        return
    wire()
    if token is None:
        show_signed_out()
    else:
        show_signed_in(token)
        if auth.arrival is not None:
            session.focus_signed_in()
    if auth.arrival == FINISHED_IN_POPUP:
        notices.show_finished_here()
    session.enable_sign_in(True)
    shown.started = True


def wire() -> None:
    on("sign-in", "click", sign_in)
    on("sign-in-popup", "click", sign_in_popup)
    on("sign-out", "click", sign_out)
    on("api-run", "click", run_query)
    on("api-sample", "change", lambda *_: console.choose_sample())
    on("token-copy", "click", lambda *_: in_background(token_view.copy(auth), on_error=failed))
    on("worker-run", "click", lambda *_: in_background(worker_panel.run(auth), on_error=failed))
    on("worker-cancel", "click", lambda *_: auth.cancel_worker())
    window.setInterval(create_proxy(tick), 1000)
    console.choose_sample()


# --- the session, as the library tells it ---------------------------------------------


def show_signed_in(token: Token) -> None:
    if shown.token == token:  # told by the library and returned by the call alike
        return
    shown.token = token
    token_view.show_token(token)
    tick()
    session.show_state(session.SIGNED_IN)
    session.show_profile_loading()
    in_background(load_profile(token), on_error=failed)


def show_signed_out() -> None:
    shown.token = None
    if shown.expiring:
        shown.expiring = False
        notices.clear_notice()
    session.show_state(session.SIGNED_OUT)
    session.enable_sign_in(auth.popup is None)


def on_event(event: AuthEvent) -> None:
    if event.kind == SIGNED_IN and event.token is not None and shown.started and shown.token is None:
        notices.clear()  # a popup cut off by its login page answered after all
        show_signed_in(event.token)
    elif event.kind == EXPIRING:
        shown.expiring = True
        notices.show_expiring(event.seconds_left or 0)
    elif event.kind == REFUSED and event.error is not None:
        notices.show_error(event.error)  # a response put in by a hash change
    elif event.kind == ABANDONED:
        session.enable_sign_in(auth.popup is None)  # back from Veritone without an answer
    elif event.kind == SIGNED_OUT and event.reason != BY_USER:
        show_signed_out()
        notices.show_signed_out_because(event.reason or "")  # expired, revoked, another tab


def tick(*_args: Any) -> None:
    """Once a second while signed in: the countdowns' text (the library watches expiry itself)."""
    if shown.token is None:
        return
    left = shown.token.expires_at - time.time()
    token_view.show_countdown(left)
    if shown.expiring:
        notices.show_expiring(left)


def still_shown(token: Token | None) -> bool:
    """Whether an answer for ``token`` still belongs on the page (no sign-out or new sign-in since)."""
    return token is not None and shown.token == token and auth.token == token


async def load_profile(token: Token) -> None:
    try:
        user = await auth.user()
    except VeritoneError as error:
        if still_shown(token) or (shown.token == token and auth.token is None):
            notices.show_error(error)
            session.show_profile_failed()
        return
    if still_shown(token):
        session.show_profile(user)


def failed(error: BaseException) -> None:
    """Background work raised something unexpected: say so; never leave the page waiting."""
    notices.show_error(VeritoneError("api_error", type(error).__name__))
    if shown.token is not None:
        session.show_profile_failed()


# --- the user's clicks --------------------------------------------------------------------


def sign_in(_event: Any = None) -> None:
    if auth.popup is not None:  # a popup sign-in is under way
        return
    notices.clear()
    try:
        auth.sign_in()
    except VeritoneError as error:
        notices.show_error(error)
    else:
        session.enable_sign_in(False)  # the page is leaving for Veritone


async def sign_in_popup(_event: Any = None) -> None:
    if auth.popup is None:
        notices.clear()
    session.enable_sign_in(False)
    try:
        token = await auth.sign_in_popup()
    except VeritoneError as error:
        notices.show_error(error)
    else:
        if token is not None:
            show_signed_in(token)
            session.focus_signed_in()
    finally:
        if auth.popup is None and shown.token is None:
            session.enable_sign_in(True)


def sign_out(_event: Any = None) -> None:
    """Signed out here at once; Veritone is asked to revoke the token meanwhile."""
    notices.clear()
    try:
        signed_out: SignedOut | None = auth.sign_out()
    except VeritoneError as error:
        notices.show_error(error)
        signed_out = None
    inspector.show_steps(auth.flow.log.events)
    show_signed_out()
    session.focus_sign_in()
    if signed_out is not None and signed_out.revoking is not None:
        in_background(report_revoke(signed_out), on_error=failed)


async def report_revoke(signed_out: SignedOut) -> None:
    """If Veritone did not confirm the revoke, say so: the token stays valid there until it expires."""
    if await signed_out.revoking or signed_out.token is None or shown.token is not None:
        return
    notices.show_revoke_unconfirmed(signed_out.token.expires_at)


async def run_query(_event: Any = None) -> None:
    token = auth.token
    console.show_busy()
    try:
        answer = await auth.call_async(lambda api: api.execute(console.query()), "query")
    except NotAllowed as error:  # a right is missing; the token is fine, the session stays
        console.show_answer(error.result)
        notices.show_error(error)
    except VeritoneError as error:
        if still_shown(token) or auth.token is None:
            console.show_failure(error.message)
            notices.show_error(error)
    else:
        if still_shown(token):
            notices.clear_error()  # an earlier query's error is over
            console.show_answer(answer)
    finally:
        console.done()


# --- the start -------------------------------------------------------------------------------

set_text("python-version", ".".join(map(str, sys.version_info[:3])))
on("setup-copy", "click", session.copy_redirect_uri)
auth, problem = registration()
if auth is None or problem is not None:  # signed out for good: what to register, and why
    session.show_setup(auth.redirect_uri if auth else page_url().split("#")[0])
    notices.show_error(problem or NotConfigured())
    session.show_state(session.SIGNED_OUT)
else:
    start()
