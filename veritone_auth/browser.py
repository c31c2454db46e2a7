"""Sign in with Veritone in a PyScript page: the core, wired to the browser.

The one module of the library that imports ``js``. Everything that decides
is in the pure core (``veritone_auth.flow`` and the modules under it); this
hands it the tab's ``sessionStorage``, the address bar, the popup window and
``fetch`` (through pyodide-http), and nothing else::

    from veritone_auth.browser import BrowserAuth

    auth = BrowserAuth.from_config("config.json")
    auth.start()                      # finish a sign-in this page load brought back, if any
    auth.token                        # the Token while signed in, else None
    auth.sign_in()                    # to Veritone and back to this page
    await auth.sign_in_popup()        # or in a popup, while this page stays
    auth.call(lambda api: api.me())   # the GraphQL API as the user
    auth.sign_out()                   # forget the token here and revoke it at Veritone

Errors are ``veritone_auth.errors.VeritoneError``, each with a human
``message`` to show as text. A refused response never changes what is held.

The page's first script should be ``boot.js`` (shipped beside the demo): it
takes the response out of the address bar before anything else loads, even if
Python never starts, and refuses to run in a frame. Without it, ``start``
takes the fragment from the address bar itself, seconds later.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from js import window
from pyodide.ffi import JsException

from .errors import InvalidToken, StorageUnavailable, VeritoneError
from .events import FlowLog
from .flow import HASH_CHANGE, PAGE_LOAD, POPUP, ImplicitFlow, popup_delivery
from .settings import Settings
from .store import TokenStore
from .tokens import Token

if TYPE_CHECKING:
    from .client import VeritoneClient

T = TypeVar("T")

POPUP_NAME = "veritone-sign-in"
POPUP_FEATURES = "popup,width=520,height=720"
POPUP_POLL_SECONDS = 0.02

# What start() found this page load brought back (BrowserAuth.arrival).
SIGNED_IN = "signed_in"  # a response, accepted here
SENT_TO_OPENER = "sent_to_opener"  # a popup nobody collected: answered in its opener's tab
FINISHED_IN_POPUP = "finished_in_popup"  # a popup whose opener is gone: finished here


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


@dataclass(frozen=True)
class SignedOut:
    """What ``sign_out`` did: the token it forgot, and whether Veritone confirmed the revoke."""

    token: Token | None
    revoked: bool


def page_url() -> str:
    return str(window.location.href)


def clean_url() -> None:
    """Drop the fragment from the address bar and from this history entry."""
    location = window.location
    window.history.replaceState(None, "", f"{location.pathname}{location.search}")


def take_response() -> str | None:
    """Take the fragment this page was loaded with, once.

    From the first script (``boot.js``), which took it out of the address bar
    before anything loaded; without that script, from the address bar now.
    """
    take = getattr(window, "takeAuthResponse", None)
    if take is not None:
        taken = take()
        return taken if isinstance(taken, str) else None  # none is jsnull
    fragment = str(window.location.hash)
    if len(fragment) <= 1:
        return None
    clean_url()
    return fragment


def opener_is_this_page() -> bool:
    """Say whether this window's opener is still open on this page's origin."""
    opener = window.opener
    try:
        return bool(opener) and not opener.closed and opener.location.origin == window.location.origin
    except JsException:  # another origin: its location cannot be read
        return False


def client_class() -> type[VeritoneClient]:
    """Import the API client and patch urllib with pyodide-http, on first use.

    Not at import: pyodide-http pulls in urllib.request, http.client and
    email.parser, 50-100 ms of imports in Pyodide even as bytecode, which a
    signed-out page never needs.
    """
    import pyodide_http

    from .client import VeritoneClient

    pyodide_http.patch_urllib()  # idempotent
    return VeritoneClient


def make_client(api_url: str, token: str) -> VeritoneClient:
    return client_class()(api_url, token, network_errors=(JsException,))


def read_settings(config: str | Path | Mapping[str, Any]) -> Settings:
    """Settings from a config file's path or its parsed contents.

    A file that cannot be read or is not a valid config is ``not_configured``,
    with the reason as its description.
    """
    try:
        if not isinstance(config, Mapping):
            with open(config, encoding="utf-8") as file:
                config = json.load(file)
        return Settings.from_config(dict(config))
    except (OSError, ValueError) as exc:  # json's errors are ValueErrors too
        raise VeritoneError("not_configured", f"config.json is not usable: {exc}") from None


class BrowserAuth:
    """Sign-in state of this browser tab, and the actions a page offers on it."""

    def __init__(self, settings: Settings, storage: MutableMapping[str, str] | None = None) -> None:
        self.settings = settings
        self.flow = _flow(settings, SessionStorage() if storage is None else storage)
        self.popup: Any = None  # the open sign-in popup, while one is pending
        self.arrival: str | None = None  # what start() found: SIGNED_IN, SENT_TO_OPENER, ...

    @classmethod
    def from_config(cls, config: str | Path | Mapping[str, Any] = "config.json") -> BrowserAuth:
        """From ``config.json`` (put on the page by ``pyscript.toml``'s ``[files]``) or a dict."""
        return cls(read_settings(config))

    def problem(self) -> VeritoneError | None:
        """Why sign-in cannot work on this page (no client_id, another redirect URI), or None."""
        if not self.settings.configured:
            return VeritoneError("not_configured")
        problem = self.settings.problem_at(page_url())
        return VeritoneError("not_configured", problem) if problem else None

    @property
    def redirect_uri(self) -> str:
        """The address to register as the app's redirect URI: this page's."""
        return self.flow.redirect_uri(page_url())

    # --- state ---------------------------------------------------------------

    @property
    def token(self) -> Token | None:
        """The held token while it is valid, else None. ``current()`` says why there is none."""
        try:
            return self.flow.current()
        except VeritoneError:
            return None

    def current(self) -> Token | None:
        """The held token, or None; raises ``TokenExpired`` once when it expired (it is deleted)."""
        return self.flow.current()

    def start(self) -> Token | None:
        """Finish what this page load brought back, once; return the token held after it.

        A response is checked against this tab's pending sign-in and stored; a
        refused one raises ``VeritoneError`` and changes nothing held. In a
        sign-in popup whose opener stopped waiting (it was reloaded), the
        sign-in is finished in the opener's tab storage, the opener reloads
        and this window closes (``arrival`` is ``SENT_TO_OPENER``). Call it
        once, when Python is up.
        """
        response = take_response()
        in_popup = window.name == POPUP_NAME and response is not None
        if in_popup:
            window.name = ""  # an ordinary window from now on, whatever happens
            if popup_delivery(True, opener_is_this_page()) == "opener":
                self._send_to_opener(response)
                return None
        if response is not None and self.flow.receive(response, PAGE_LOAD, page_url()) is not None:
            self.arrival = FINISHED_IN_POPUP if in_popup else SIGNED_IN
        return self.flow.current()

    def _send_to_opener(self, response: str) -> None:
        """Finish the sign-in in the opener's tab: the same checks, the same single use.

        Accepted: the opener reloads, signed in, and this window closes.
        Refused: raises, with ``arrival`` still telling this window's part.
        """
        opener = window.opener
        self.arrival = SENT_TO_OPENER
        _flow(self.settings, SessionStorage(opener)).receive(response, POPUP, page_url())
        opener.location.reload()
        window.close()

    def hash_changed(self) -> None:
        """Call on ``hashchange``: a response put in without a page load is refused, never used.

        Raises ``VeritoneError`` if the new fragment looked like a response,
        after taking it out of the address bar.
        """
        try:
            self.flow.receive(str(window.location.hash), HASH_CHANGE, page_url())
        except VeritoneError:
            clean_url()
            raise

    # --- actions -------------------------------------------------------------

    def sign_in(self) -> None:
        """Go to Veritone to sign in; it sends the browser back to this page with the token."""
        window.location.assign(self.flow.begin(page_url(), "redirect"))

    async def sign_in_popup(self) -> Token | None:
        """Sign in in a popup while this page stays; return the token.

        One popup at a time: while one is open this brings it forward and
        returns None. Raises ``VeritoneError`` (``popup_blocked``,
        ``popup_closed``, or why a response was refused).
        """
        if self.popup is not None:
            self.popup.focus()
            return None
        url = self.flow.begin(page_url(), "popup")
        popup = window.open(url, POPUP_NAME, POPUP_FEATURES)
        if not popup:  # blocked: window.open returned null
            raise self.flow.abandon("popup_blocked")
        self.popup = popup
        try:
            return await self._wait_for_popup(popup)
        finally:
            self.popup = None

    async def _wait_for_popup(self, popup: Any) -> Token | None:
        """Poll the popup until it is back at the redirect URI with a response, or closed."""
        # While the user signs in over there, import the API client (50-100 ms in Pyodide),
        # so the first call after sign-in does not wait for it.
        await asyncio.sleep(0)
        client_class()
        here = page_url()
        while True:
            await asyncio.sleep(POPUP_POLL_SECONDS)
            if popup.closed:
                raise self.flow.abandon("popup_closed")
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
                return self.flow.receive(response, POPUP, href)

    def call(self, run: Callable[[VeritoneClient], T], operation: str = "api") -> T:
        """Run ``run(client)`` with the held token; a token the API refuses is deleted."""
        return self.flow.call(operation, run)

    def client(self) -> VeritoneClient:
        """A GraphQL client with the held token (after the expiry check); see also ``call``."""
        token = self.flow.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        return make_client(self.settings.environment.api_url, token.access_token)

    def sign_out(self, revoke: bool = True) -> SignedOut:
        """Forget the token here, then (best effort) revoke it at Veritone.

        The token is gone from this tab before the revoke is tried.
        ``revoked`` is False when Veritone did not confirm: the token then
        stays valid there until it expires.
        """
        token = self.flow.sign_out()
        return SignedOut(token, revoked=token is not None and revoke and self.flow.revoke(token))


def _flow(settings: Settings, storage: MutableMapping[str, str]) -> ImplicitFlow:
    """The flow over one tab's storage (this window's, or a popup's opener's)."""
    return ImplicitFlow(settings, TokenStore(storage), log=FlowLog(storage), client_factory=make_client)
