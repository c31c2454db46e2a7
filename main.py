"""Browser glue for the Sign in with Veritone page.

Everything that decides anything lives in ``veritone_auth`` (pure Python,
tested under CPython). This file only connects it to the page: it reads the
URL, hands the core ``sessionStorage``, opens the popup, wires the buttons
and renders results as text. The page contract (ids and ``data-*``
attributes) is in ``shared/design.md``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from js import document, window
from pyodide.ffi import JsException, create_proxy

from veritone_auth.errors import (
    AuthorizationError,
    NotAllowed,
    StorageUnavailable,
    TokenExpired,
    VeritoneError,
)
from veritone_auth.events import FlowEvent, FlowLog
from veritone_auth.flow import HASH_CHANGE, PAGE_LOAD, POPUP, ImplicitFlow, popup_delivery
from veritone_auth.settings import Settings
from veritone_auth.store import TokenStore
from veritone_auth.tokens import Token

POPUP_NAME = "veritone-sign-in"
POPUP_FEATURES = "popup,width=520,height=720"
POPUP_POLL_SECONDS = 0.02

SAMPLE_QUERIES = {
    "me": "query {\n  me { id name email firstName lastName }\n  myRights { operations }\n}",
    "organization": "query {\n  me { organization { id name } }\n}",
    "recent": "query {\n  temporalDataObjects(limit: 5) {\n    records { id name createdDateTime }\n  }\n}",
}


class SessionStorage(MutableMapping[str, str]):
    """A window's ``sessionStorage`` as a mapping; any browser refusal is StorageUnavailable.

    The window is this one, or a sign-in popup's opener on this origin: that
    gives the opener's tab storage, where its pending sign-in is.
    """

    def __init__(self, owner: Any = None) -> None:
        self.owner = owner

    def _call(self, method: str, *args: Any) -> Any:
        try:
            # Reading the property itself throws when storage is blocked.
            storage = (self.owner or window).sessionStorage
            return getattr(storage, method)(*args) if method != "length" else storage.length
        except JsException as exc:
            raise StorageUnavailable(description=str(exc.name)) from None

    def __getitem__(self, key: str) -> str:
        value = self._call("getItem", key)
        if not isinstance(value, str):  # a missing key is jsnull
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        self._call("setItem", key, value)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._call("removeItem", key)

    def __iter__(self) -> Iterator[str]:
        return iter([str(self._call("key", i)) for i in range(len(self))])

    def __len__(self) -> int:
        return int(self._call("length"))


def element(id_: str) -> Any:
    return document.getElementById(id_)


def set_text(id_: str, text: str) -> None:
    element(id_).textContent = text  # textContent: untrusted text never becomes markup


def on(id_: str, event: str, handler: Callable[..., Any]) -> None:
    element(id_).addEventListener(event, create_proxy(handler))


def page_url() -> str:
    return str(window.location.href)


def clean_url() -> None:
    """Drop the fragment from the address bar and from this history entry."""
    location = window.location
    window.history.replaceState(None, "", f"{location.pathname}{location.search}")


def take_response() -> str | None:
    """Take the fragment the first script (static/boot.js) took out of the URL; once only."""
    taken = window.takeAuthResponse()
    return taken if isinstance(taken, str) else None  # none is jsnull


def opener_is_this_page() -> bool:
    """Say whether this window's opener is still open on this page's origin."""
    opener = window.opener
    try:
        return bool(opener) and not opener.closed and opener.location.origin == window.location.origin
    except JsException:  # another origin: its location cannot be read
        return False


def client_class() -> type:
    """Import the API client and patch urllib with pyodide-http, on first use.

    Not at the top of this file: pyodide-http pulls in urllib.request,
    http.client and email.parser, 50-100 ms of imports in Pyodide even as
    bytecode, which a signed-out page never needs.
    """
    import pyodide_http

    from veritone_auth.client import VeritoneClient

    pyodide_http.patch_urllib()  # idempotent
    return VeritoneClient


def make_client(api_url: str, token: str) -> Any:
    return client_class()(api_url, token, network_errors=(JsException,))


class Page:
    """The page's behaviour: one instance, made when Python is ready."""

    def __init__(self, flow: ImplicitFlow | None, settings_problem: str | None = None) -> None:
        self.flow = flow
        self.settings_problem = settings_problem
        self.popup: Any = None  # the open sign-in popup, while one is pending

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
            token = self.flow.current()
        except VeritoneError as error:  # expired (deleted) or storage unavailable
            self.show_error(error)
            token = None
        if token is None:
            self.set_auth("signed-out")
            return
        self.render_token(token)
        self.set_auth("signed-in")
        if load_profile:
            self.load_profile()

    def load_profile(self) -> None:
        try:
            data = self.flow.call("me", lambda client: client.me())
        except VeritoneError as error:
            self.show_error(error)
            self.refresh(load_profile=False)  # an invalid token was deleted: signed out
            return
        me = data.get("me") or {}
        organization = me.get("organization") or {}
        set_text("profile-name", str(me.get("name") or me.get("email") or "(no name)"))
        set_text("profile-org", str(organization.get("name") or "(no organization)"))
        window.performance.mark("profile")

    def receive(self, fragment: str, source: str, url: str) -> None:
        """Finish a sign-in from a response (page load or popup); show what happened."""
        try:
            token = self.flow.receive(fragment, source, url)
            if token is not None:
                self.clear_error()
        except VeritoneError as error:
            self.show_error(error)
        self.refresh()
        if document.body.dataset.auth == "signed-in":
            element("signed-in-title").focus()

    def on_hash_change(self, _event: Any = None) -> None:
        """A fragment put in by another window, not a page load: never a sign-in."""
        try:
            self.flow.receive(str(window.location.hash), HASH_CHANGE, page_url())
        except VeritoneError as error:
            clean_url()  # it looked like a response: it does not stay in the address bar
            self.show_error(error)

    def on_page_show(self, event: Any) -> None:
        if event.persisted and self.popup is None:
            self.set_sign_in_enabled(True)

    def sign_in(self, _event: Any = None) -> None:
        if self.popup is not None:
            return
        self.clear_error()
        try:
            url = self.flow.begin(page_url(), "redirect")
        except VeritoneError as error:
            self.show_error(error)
            return
        self.set_sign_in_enabled(False)
        window.location.assign(url)

    async def sign_in_popup(self, _event: Any = None) -> None:
        if self.popup is not None:  # one popup sign-in at a time: bring it forward
            self.popup.focus()
            return
        self.clear_error()
        try:
            url = self.flow.begin(page_url(), "popup")
        except VeritoneError as error:
            self.show_error(error)
            return
        popup = window.open(url, POPUP_NAME, POPUP_FEATURES)
        if not popup:  # blocked: window.open returned null
            self.show_error(self.flow.abandon("popup_blocked"))
            return
        self.popup = popup
        self.set_sign_in_enabled(False)
        try:
            await self.wait_for_popup(popup)
        finally:
            self.popup = None
            if document.body.dataset.auth != "signed-in":
                self.set_sign_in_enabled(True)

    async def wait_for_popup(self, popup: Any) -> None:
        """Poll the popup until it is back at the redirect URI with a response, or closed."""
        # While the user signs in over there, import the API client (50-100 ms in Pyodide),
        # so the profile shows as soon as the popup is back.
        await asyncio.sleep(0)
        client_class()
        here = page_url()
        while True:
            await asyncio.sleep(POPUP_POLL_SECONDS)
            if popup.closed:
                self.show_error(self.flow.abandon("popup_closed"))
                return
            try:
                # Readable only once the popup is back on this origin.
                href = str(popup.location.href)
                ours = self.flow.at_redirect_uri(href, here)
                take = getattr(popup, "takeAuthResponse", None) if ours else None
            except JsException:
                continue
            response = take() if take is not None else None  # None: its first script has not run
            if isinstance(response, str):
                popup.close()
                self.receive(response, POPUP, href)
                return

    def sign_out(self, _event: Any = None) -> None:
        self.clear_error()
        try:
            token = self.flow.sign_out()
        except VeritoneError as error:
            self.show_error(error)
            token = None
        element("flow-log").replaceChildren()
        for event in self.flow.log.events:
            self.render_event(event)
        self.set_auth("signed-out")
        element("sign-in").focus()
        # Best effort: the token is already forgotten here. If Veritone did not confirm,
        # say so: the token stays valid at Veritone until it expires.
        if token is not None and not self.flow.revoke(token):
            expires = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(token.expires_at))
            self.show_notice(
                "Signed out here, but Veritone could not confirm that the token was revoked. "
                f"It stays valid at Veritone until it expires ({expires})."
            )

    def tick(self, *_args: Any) -> None:
        """Once a second and on tab focus: update the countdown, catch expiry."""
        if document.body.dataset.auth != "signed-in":
            return
        try:
            token = self.flow.current()
        except TokenExpired as error:
            self.show_error(error)
            self.set_auth("signed-out")
            return
        except VeritoneError:
            return
        if token is None:  # signed out in another way, e.g. storage cleared
            self.set_auth("signed-out")
            return
        left = max(0, int(token.expires_at - time.time()))
        days, rest = divmod(left, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        text = f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {seconds}s"
        set_text("token-countdown", f"(in {text})")

    def run_query(self, _event: Any = None) -> None:
        query = str(element("api-query").value)
        try:
            result = self.flow.call("query", lambda client: client.execute(query))
            set_text("api-result", json.dumps(result, indent=2, ensure_ascii=False))
        except NotAllowed as error:  # a right is missing; the token is fine, the session stays
            set_text("api-result", json.dumps(error.result, indent=2, ensure_ascii=False))
            self.show_error(error)
        except VeritoneError as error:
            set_text("api-result", error.message)
            self.show_error(error)
            self.refresh(load_profile=False)

    def choose_sample(self, _event: Any = None) -> None:
        element("api-query").value = SAMPLE_QUERIES[str(element("api-sample").value)]

    async def copy_token(self, _event: Any = None) -> None:
        try:
            token = self.flow.current()  # an expired token is deleted, never copied
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

    def show_setup(self) -> None:
        element("setup").hidden = False
        element("setup-redirect-uri").value = (
            self.flow.redirect_uri(page_url()) if self.flow else page_url().split("#")[0]
        )
        self.show_error(VeritoneError("not_configured", self.settings_problem))
        self.set_auth("signed-out")

    def start(self) -> None:
        set_text("python-version", ".".join(map(str, sys.version_info[:3])))
        on("setup-copy", "click", self.copy_redirect_uri)
        response = take_response()
        if self.flow is not None and not self.settings_problem:
            self.settings_problem = self.flow.settings.problem_at(page_url())
        if self.flow is None or not self.flow.settings.configured or self.settings_problem:
            self.show_setup()
            return
        for event in self.flow.log.events:
            self.render_event(event)
        self.flow.log.listeners.append(self.render_event)
        set_text("environment-label", f"Signing in to: {self.flow.settings.environment.label}")
        if window.name == POPUP_NAME and self.deliver_to_opener(response):
            return
        on("sign-in", "click", self.sign_in)
        on("sign-in-popup", "click", self.sign_in_popup)
        on("sign-out", "click", self.sign_out)
        on("api-run", "click", self.run_query)
        on("api-sample", "change", self.choose_sample)
        on("token-copy", "click", self.copy_token)
        document.addEventListener("visibilitychange", create_proxy(self.tick))
        window.setInterval(create_proxy(self.tick), 1000)
        window.addEventListener("hashchange", create_proxy(self.on_hash_change))
        # Back from Veritone's page out of the back-forward cache: this page is as it was
        # left, buttons disabled for the redirect; make them usable again.
        window.addEventListener("pageshow", create_proxy(self.on_page_show))
        self.choose_sample()
        if response is not None:
            self.receive(response, PAGE_LOAD, page_url())
        else:
            self.refresh()
        if window.name == POPUP_NAME and response is not None:
            window.name = ""  # an ordinary window from now on
            if document.body.dataset.auth == "signed-in":
                self.show_notice(
                    "The page that opened this window had closed or moved on, so the sign-in "
                    "finished here. You can go on in this window."
                )
        self.set_sign_in_enabled(True)

    def deliver_to_opener(self, response: str | None) -> bool:
        """In a sign-in popup that nobody collected: finish the sign-in for the opener.

        The opener was reloaded or navigated within this origin while the user
        signed in, so its poller is gone, but its tab's sessionStorage still
        holds the pending sign-in. The response is checked against that record
        and the token stored there, as the opener itself would have done; then
        the opener reloads, signed in, and this popup closes. No URL ever
        carries the token. Says whether it did; if the response is refused,
        this window shows why.
        """
        if popup_delivery(response is not None, opener_is_this_page()) != "opener":
            return False
        opener = window.opener
        try:
            new_flow(self.flow.settings, SessionStorage(opener)).receive(str(response), POPUP, page_url())
        except VeritoneError as error:
            self.show_error(error)
            self.show_notice("Close this window and sign in again from the page you started from.")
            self.set_auth("signed-out")
            return True
        set_text("boot-status", "Signed in. Back to the page you started from…")
        opener.location.reload()
        window.close()
        return True


def load_settings() -> tuple[Settings | None, str | None]:
    """Read config.json (placed by pyscript.toml); a broken config is reported, not raised."""
    try:
        with open("config.json", encoding="utf-8") as file:
            return Settings.from_config(json.load(file)), None
    except (OSError, ValueError) as exc:
        return None, f"config.json is not usable: {exc}"


def new_flow(settings: Settings, storage: SessionStorage) -> ImplicitFlow:
    """The flow over one tab's sessionStorage (this window's, or a popup's opener's)."""
    return ImplicitFlow(settings, TokenStore(storage), log=FlowLog(storage), client_factory=make_client)


def main() -> None:
    settings, problem = load_settings()
    flow = new_flow(settings, SessionStorage()) if settings is not None else None
    Page(flow, problem).start()


main()
