"""The demo's UI: the Sign in with Veritone page, on top of ``veritone_auth.browser``.

Everything that decides anything lives in the library (the pure core, tested
under CPython); ``BrowserAuth`` connects it to the browser. This file only
draws: it wires the buttons, renders results and the flow log as text, and
keeps the buttons honest while a sign-in is under way. No click waits on the
network: API calls are awaited (``fetch``, with a timeout) and sign-out is
local first. The page contract (ids and ``data-*`` attributes) is in
``docs/page-contract.md``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from js import document, window
from pyodide.ffi import create_proxy

from veritone_auth.browser import (
    FINISHED_IN_POPUP,
    SENT_TO_OPENER,
    BrowserAuth,
    SignedOut,
    in_background,
    page_url,
)
from veritone_auth.errors import AuthorizationError, InvalidToken, NotAllowed, TokenExpired, VeritoneError
from veritone_auth.events import FlowEvent
from veritone_auth.flow import BY_USER, EXPIRED, EXPIRING, OTHER_TAB, REVOKED, SIGNED_OUT, AuthEvent
from veritone_auth.tokens import Token

SAMPLE_QUERIES = {
    "me": "query {\n  me { id name email firstName lastName }\n  myRights { operations }\n}",
    "organization": "query {\n  me { organization { id name } }\n}",
    "recent": "query {\n  temporalDataObjects(limit: 5) {\n    records { id name createdDateTime }\n  }\n}",
}


def element(id_: str) -> Any:
    return document.getElementById(id_)


def set_text(id_: str, text: str) -> None:
    element(id_).textContent = text  # textContent: untrusted text never becomes markup


def on(id_: str, event: str, handler: Callable[..., Any]) -> None:
    element(id_).addEventListener(event, create_proxy(handler))


class Page:
    """The page's behaviour: one instance, made when Python is ready."""

    def __init__(self, auth: BrowserAuth | None, problem: VeritoneError | None = None) -> None:
        self.auth = auth
        self.problem = problem

    # --- rendering ---------------------------------------------------------

    def show_error(self, error: VeritoneError) -> None:
        box = element("auth-error")
        box.dataset.error = error.error
        set_text("auth-error-message", error.message)
        description = element("auth-error-description")
        description.textContent = error.description or ""
        # Only a response's description or a config problem is news to the user; the
        # client's own details (HTTP status, exception name) stay out of the message.
        shown = isinstance(error, AuthorizationError) or error.error == "not_configured"
        description.hidden = not (shown and error.description)
        link = element("auth-error-link")
        uri = getattr(error, "uri", None)
        link.hidden = not uri
        if uri:
            element("auth-error-uri").setAttribute("href", uri)
        box.hidden = False

    def clear_error(self) -> None:
        box = element("auth-error")
        box.hidden = True
        box.removeAttribute("data-error")
        element("notice").hidden = True

    def show_notice(self, text: str) -> None:
        """A non-blocking note: something the user should know that is not an error."""
        set_text("notice", text)
        element("notice").hidden = False

    def set_sign_in_enabled(self, enabled: bool) -> None:
        for id_ in ("sign-in", "sign-in-popup"):
            element(id_).disabled = not enabled

    def render_event(self, event: FlowEvent) -> None:
        item = document.createElement("li")
        item.dataset.step = event.step
        when = document.createElement("span")
        when.className = "when"
        when.textContent = time.strftime("%H:%M:%S", time.localtime(event.at))
        item.append(when, document.createTextNode(event.summary + " "))
        link = document.createElement("a")
        link.setAttribute("href", event.link)
        link.setAttribute("rel", "noopener noreferrer")
        link.setAttribute("target", "_blank")
        link.textContent = "(spec)"
        item.append(link)
        if event.details:
            details = document.createElement("dl")
            for name, value in event.details:
                term, text = document.createElement("dt"), document.createElement("dd")
                term.textContent, text.textContent = name, value
                details.append(term, text)
            item.append(details)
        element("flow-log").append(item)

    def render_token(self, token: Token) -> None:
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at))
        stamp = element("token-expires")
        stamp.setAttribute("datetime", expires)
        stamp.textContent = str(window.Date.new(token.expires_at * 1000).toLocaleString())
        set_text("token-masked", token.masked)
        set_text("token-expiry-source", token.expiry_source.replace("_", " "))
        scopes = element("token-scopes")
        scopes.replaceChildren()
        for action in token.scopes or ("(none in the token)",):
            item = document.createElement("li")
            item.textContent = action
            scopes.append(item)
        self.tick()

    def set_auth(self, state: str) -> None:
        document.body.dataset.auth = state
        # A User Timing mark, the same in every engine: what the cross-engine numbers read.
        window.performance.mark(f"auth:{state}")

    # --- the flow ----------------------------------------------------------

    def refresh(self, *, load_profile: bool = True) -> None:
        """Show signed-in or signed-out from what storage holds now."""
        try:
            token = self.auth.current()
        except VeritoneError as error:  # expired (deleted) or storage unavailable
            self.show_error(error)
            token = None
        if token is None:
            self.set_auth("signed-out")
            return
        self.render_token(token)
        self.set_auth("signed-in")
        if load_profile:
            set_text("profile-name", "…")
            set_text("profile-org", "…")
            in_background(self.load_profile(token))

    def still_signed_in_with(self, token: Token) -> bool:
        """Whether an answer for ``token`` still belongs on the page (no sign-out or new sign-in since)."""
        return document.body.dataset.auth == "signed-in" and self.auth.token == token

    async def load_profile(self, token: Token) -> None:
        try:
            data = await self.auth.call_async(lambda client: client.me(), "me")
        except VeritoneError as error:
            # Unless the user signed out or in meanwhile (then this answer is stale): a
            # refused token was deleted by the call, and the page shows signed-out.
            if document.body.dataset.auth == "signed-in" and self.auth.token in (token, None):
                self.show_error(error)
                self.refresh(load_profile=False)
            return
        if not self.still_signed_in_with(token):
            return
        me = data.get("me") or {}
        organization = me.get("organization") or {}
        set_text("profile-name", str(me.get("name") or me.get("email") or "(no name)"))
        set_text("profile-org", str(organization.get("name") or "(no organization)"))
        window.performance.mark("profile")

    def signed_in_now(self) -> None:
        """A sign-in just finished here: clear old errors, show it, move focus to it."""
        self.clear_error()
        self.refresh()
        element("signed-in-title").focus()

    def on_hash_change(self, _event: Any = None) -> None:
        """A fragment put in by another window, not a page load: never a sign-in."""
        try:
            self.auth.hash_changed()
        except VeritoneError as error:
            self.show_error(error)

    def on_page_show(self, event: Any) -> None:
        """Back from Veritone's page out of the back-forward cache: that sign-in is over."""
        if not event.persisted:
            return
        try:
            self.auth.page_shown(True)
        except VeritoneError as error:
            self.show_error(error)
        if self.auth.popup is None:
            self.set_sign_in_enabled(True)

    def sign_in(self, _event: Any = None) -> None:
        if self.auth.popup is not None:
            return
        self.clear_error()
        try:
            self.auth.sign_in()
        except VeritoneError as error:
            self.show_error(error)
            return
        self.set_sign_in_enabled(False)

    async def sign_in_popup(self, _event: Any = None) -> None:
        if self.auth.popup is None:
            self.clear_error()
        self.set_sign_in_enabled(False)
        try:
            token = await self.auth.sign_in_popup()
        except VeritoneError as error:
            self.show_error(error)
            self.refresh(load_profile=False)
        else:
            if token is not None:
                self.signed_in_now()
        finally:
            if self.auth.popup is None and document.body.dataset.auth != "signed-in":
                self.set_sign_in_enabled(True)

    def sign_out(self, _event: Any = None) -> None:
        """Signed out here at once; Veritone is asked to revoke the token meanwhile."""
        self.clear_error()
        try:
            signed_out = self.auth.sign_out()
        except VeritoneError as error:
            self.show_error(error)
            signed_out = None
        element("flow-log").replaceChildren()
        for event in self.auth.flow.log.events:
            self.render_event(event)
        self.set_auth("signed-out")
        element("sign-in").focus()
        if signed_out is not None and signed_out.revoking is not None:
            in_background(self.report_revoke(signed_out))

    async def report_revoke(self, signed_out: SignedOut) -> None:
        """If Veritone did not confirm the revoke, say so: the token stays valid there until it expires."""
        if await signed_out.revoking or signed_out.token is None:
            return
        if document.body.dataset.auth == "signed-out":
            expires = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(signed_out.token.expires_at))
            self.show_notice(
                "Signed out here, but Veritone could not confirm that the token was revoked. "
                f"It stays valid at Veritone until it expires ({expires})."
            )

    def on_auth_event(self, event: AuthEvent) -> None:
        """What the library tells of the session: it watches expiry and the other tabs."""
        if event.kind == EXPIRING:
            self.show_notice(
                f"Your Veritone session ends in {max(0, int(event.seconds_left or 0))} s. "
                "Sign in again to keep working."
            )
        elif event.kind == SIGNED_OUT and event.reason != BY_USER:
            if event.reason == EXPIRED:
                self.show_error(TokenExpired())
            elif event.reason == REVOKED:
                self.show_error(InvalidToken())
            elif event.reason == OTHER_TAB:
                self.show_notice(
                    "You signed out in another tab of this session, so this tab is signed out too."
                )
            self.set_auth("signed-out")
            self.set_sign_in_enabled(self.auth.popup is None)

    def tick(self, *_args: Any) -> None:
        """Once a second, while signed in: the countdown's text (the library watches expiry)."""
        if document.body.dataset.auth != "signed-in":
            return
        token = self.auth.token
        if token is None:  # gone without an event (storage cleared by hand, say)
            self.set_auth("signed-out")
            return
        left = max(0, int(token.expires_at - time.time()))
        days, rest = divmod(left, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        text = f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {seconds}s"
        set_text("token-countdown", f"(in {text})")

    async def run_query(self, _event: Any = None) -> None:
        query = str(element("api-query").value)
        token = self.auth.token
        result_box = element("api-result")
        result_box.textContent = ""
        result_box.setAttribute("aria-busy", "true")  # the page stays usable meanwhile
        try:
            result = await self.auth.call_async(lambda client: client.execute(query), "query")
        except NotAllowed as error:  # a right is missing; the token is fine, the session stays
            set_text("api-result", json.dumps(error.result, indent=2, ensure_ascii=False))
            self.show_error(error)
        except VeritoneError as error:
            if document.body.dataset.auth == "signed-in" and self.auth.token in (token, None):
                set_text("api-result", error.message)
                self.show_error(error)
                self.refresh(load_profile=False)
        else:
            if token is not None and self.still_signed_in_with(token):
                set_text("api-result", json.dumps(result, indent=2, ensure_ascii=False))
        finally:
            result_box.removeAttribute("aria-busy")

    def choose_sample(self, _event: Any = None) -> None:
        element("api-query").value = SAMPLE_QUERIES[str(element("api-sample").value)]

    async def copy_token(self, _event: Any = None) -> None:
        try:
            token = self.auth.current()  # an expired token is deleted, never copied
        except VeritoneError as error:
            self.show_error(error)
            self.set_auth("signed-out")
            return
        if token is not None:
            await window.navigator.clipboard.writeText(token.access_token)
            set_text("token-copy", "Copied")

    async def copy_redirect_uri(self, _event: Any = None) -> None:
        await window.navigator.clipboard.writeText(element("setup-redirect-uri").value)
        set_text("setup-copy", "Copied")

    # --- start -------------------------------------------------------------

    def show_setup(self, problem: VeritoneError) -> None:
        element("setup").hidden = False
        element("setup-redirect-uri").value = (
            self.auth.redirect_uri if self.auth else page_url().split("#")[0]
        )
        self.show_error(problem)
        self.set_auth("signed-out")

    def start(self) -> None:
        set_text("python-version", ".".join(map(str, sys.version_info[:3])))
        on("setup-copy", "click", self.copy_redirect_uri)
        problem = self.problem or self.auth.problem()
        if problem is not None:
            self.show_setup(problem)
            return
        auth = self.auth
        for event in auth.flow.log.events:
            self.render_event(event)
        auth.flow.log.listeners.append(self.render_event)
        auth.on(self.on_auth_event)
        set_text("environment-label", f"Signing in to: {auth.settings.environment.label}")
        refused = False
        try:
            auth.start()
        except VeritoneError as error:
            self.show_error(error)
            refused = True
        if auth.arrival == SENT_TO_OPENER:
            self.answered_for_opener(refused)
            return
        self.wire()
        self.refresh()
        if auth.arrival is not None and document.body.dataset.auth == "signed-in":
            element("signed-in-title").focus()
        if auth.arrival == FINISHED_IN_POPUP:
            self.show_notice(
                "The page that opened this window had closed or moved on, so the sign-in "
                "finished here. You can go on in this window."
            )
        self.set_sign_in_enabled(True)

    def wire(self) -> None:
        on("sign-in", "click", self.sign_in)
        on("sign-in-popup", "click", self.sign_in_popup)
        on("sign-out", "click", self.sign_out)
        on("api-run", "click", self.run_query)
        on("api-sample", "change", self.choose_sample)
        on("token-copy", "click", self.copy_token)
        window.setInterval(create_proxy(self.tick), 1000)  # the countdown's text only
        window.addEventListener("hashchange", create_proxy(self.on_hash_change))
        # Back from Veritone's page out of the back-forward cache: this page is as it was
        # left, buttons disabled for the redirect; make them usable again.
        window.addEventListener("pageshow", create_proxy(self.on_page_show))
        self.choose_sample()

    def answered_for_opener(self, refused: bool) -> None:
        """This popup answered the sign-in in its opener's tab (the opener had reloaded)."""
        if refused:  # this window says why, and where to start again
            self.show_notice("Close this window and sign in again from the page you started from.")
            self.set_auth("signed-out")
            return
        set_text("boot-status", "Signed in. Back to the page you started from…")


def main() -> None:
    try:
        auth = BrowserAuth.from_config("config.json")
    except VeritoneError as problem:  # a broken config is reported, not raised
        Page(None, problem).start()
        return
    Page(auth).start()


main()
