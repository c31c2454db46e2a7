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
    await auth.call_async(lambda api: api.me())  # the GraphQL API as the user, page stays live
    auth.sign_out()                   # forget the token here now; revoke it at Veritone meanwhile

Errors are ``veritone_auth.errors.VeritoneError``, each with a human
``message`` to show as text. A refused response never changes what is held.

Network calls: ``call_async`` and the revoke behind ``sign_out`` use
``fetch`` with a timeout (``api_timeout`` in the config, 15 s by default),
so the page stays usable while one is out. ``call`` and ``client`` are the
synchronous client over pyodide-http: on a page's main thread each request is
a synchronous XMLHttpRequest, which browsers run without a timeout, so the
page is frozen until the API answers. Use them only where that is acceptable.

The page's first script should be ``boot.js`` (shipped beside the demo): it
takes the response out of the address bar before anything else loads, even if
Python never starts, and refuses to run in a frame. Without it, ``start``
takes the fragment from the address bar itself, seconds later.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from js import window
from pyodide.ffi import JsException

from .client import ApiRequest, ApiResponse, AsyncVeritoneClient, User
from .errors import InvalidToken, NetworkError, StorageUnavailable, Timeout, VeritoneError
from .events import FlowLog
from .flow import (
    HASH_CHANGE,
    PAGE_LOAD,
    POPUP,
    POPUP_MODE,
    AuthEvent,
    ImplicitFlow,
    popup_delivery,
    read_signed_out_message,
    signed_out_message,
)
from .flow import SIGNED_IN as SIGNED_IN_EVENT
from .grant import is_callback
from .settings import Settings
from .store import TokenStore
from .tokens import Token

if TYPE_CHECKING:
    from .client import VeritoneClient

T = TypeVar("T")

# Tabs of this app on this origin tell each other of sign-outs here (BroadcastChannel
# reaches tabs whose sessionStorage is a copy of this one's; storage events do not).
CHANNEL_PREFIX = "veritone-auth:"
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
    """What ``sign_out`` did: the token it forgot, and the revoke under way in the background."""

    token: Token | None
    revoking: asyncio.Future[bool] | None  # True once Veritone confirmed


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
    if len(fragment) <= 1 or not is_callback(fragment):
        return None  # none, or a deep link (#settings): it stays in the address bar
    clean_url()
    return fragment


def is_this_window(other: Any) -> bool:
    return bool(getattr(window.Object, "is")(other, window))


def opener_is_this_page() -> bool:
    """Say whether this window's opener is another window, still open on this page's origin."""
    opener = window.opener
    try:
        return (
            bool(opener)
            and not is_this_window(opener)
            and not opener.closed
            and opener.location.origin == window.location.origin
        )
    except JsException:  # another origin: its location cannot be read
        return False


def client_class() -> type[VeritoneClient]:
    """Import the API client and patch urllib with pyodide-http, on first use.

    Not at import: pyodide-http pulls in urllib.request, http.client and
    email.parser, 50-100 ms of imports in Pyodide even as bytecode, which a
    signed-out page never needs. A runtime may fetch those modules only now
    (this project's does, publish/stdlib_rest.py); if that fetch fails, the
    API could not be reached, and it says so as ``NetworkError``.
    """
    try:
        import pyodide_http

        from .client import VeritoneClient

        pyodide_http.patch_urllib()  # idempotent
    except ModuleNotFoundError:  # not installed: the page's [files] left pyodide-http out
        raise
    except ImportError as error:  # there, but could not be fetched: offline
        raise NetworkError(description=str(error)) from error
    return VeritoneClient


_running: set[asyncio.Task[Any]] = set()


def in_background(work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """Run ``work`` as a task the page does not wait for, kept alive until it ends."""
    task = asyncio.ensure_future(work)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def fetch_send(request: ApiRequest, timeout: float) -> ApiResponse:
    """Send one request with the browser's ``fetch``; give up after ``timeout`` seconds.

    ``AbortSignal.timeout`` ends the request and the reading of its body alike,
    and the page's event loop runs on meanwhile. No cookies are sent.
    """
    from pyodide.ffi import to_js

    init: dict[str, Any] = {
        "method": request.method,
        "headers": request.headers,
        "credentials": "omit",
        "cache": "no-store",
        "signal": window.AbortSignal.timeout(max(1, round(timeout * 1000))),
    }
    if request.body is not None:
        init["body"] = request.body.decode()
    try:
        response = await window.fetch(request.url, to_js(init, dict_converter=window.Object.fromEntries))
        body = await response.arrayBuffer()
    except JsException as exc:
        # The URL is not repeated: the logout URL holds the token.
        if exc.name == "TimeoutError":
            raise Timeout(description=f"{request.label}: no answer in {timeout:g} s") from None
        raise NetworkError(description=f"{request.label} failed ({exc.name})") from None
    return ApiResponse(int(response.status), body.to_bytes())


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
        self._channel: Any = None  # the BroadcastChannel, once watch() runs

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

    def on(self, listener: Callable[[AuthEvent], None]) -> None:
        """Call ``listener(event)`` on each change of the session.

        ``event.kind`` is ``signed_in``; ``signed_out``, with ``event.reason``
        ``user``, ``expired``, ``revoked`` or ``other_tab``; or ``expiring``, told
        once per token ``expiring_lead`` seconds ahead (60 by default), with
        ``event.seconds_left``. Add listeners before ``start()``: it tells of the
        sign-in it finished or the session it found.
        """
        self.flow.listeners.append(listener)

    @property
    def expiring_lead(self) -> float:
        return self.flow.expiring_lead

    @expiring_lead.setter
    def expiring_lead(self, seconds: float) -> None:
        self.flow.expiring_lead = seconds

    def watch(self) -> None:
        """Keep an eye on the session (``start()`` calls this): expiry, and the other tabs.

        Once a second and whenever the tab becomes visible, the held token is
        checked, so an expired one signs the page out within a second, and one
        about to expire is told of. A sign-out here is told to this session's
        other tabs by the token's hash; they follow if they hold the same token.
        """
        if self._channel is not None:
            return
        from pyodide.ffi import create_proxy

        check = create_proxy(lambda *_: self.flow.check())
        window.setInterval(check, 1000)
        window.document.addEventListener("visibilitychange", check)
        self._channel = window.BroadcastChannel.new(CHANNEL_PREFIX + self.settings.client_id)
        self._channel.onmessage = create_proxy(
            lambda message: self.flow.other_tab_signed_out(read_signed_out_message(message.data))
        )
        self.flow.listeners.append(self._tell_other_tabs)

    def _tell_other_tabs(self, event: AuthEvent) -> None:
        if (message := signed_out_message(event)) is not None:
            self._channel.postMessage(message)

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
        in_popup = response is not None and self._is_our_popup()
        if in_popup:
            window.name = ""  # an ordinary window from now on, whatever happens
            if popup_delivery(True, opener_is_this_page()) == "opener":
                self._send_to_opener(response)
                return None
        try:
            if response is None:
                self.flow.loaded_without_response()
            elif self.flow.receive(response, POPUP if in_popup else PAGE_LOAD, page_url()) is not None:
                self.arrival = FINISHED_IN_POPUP if in_popup else SIGNED_IN
        finally:
            self.revoke_refused()
            self.watch()
        token = self.flow.current()
        if token is not None and self.arrival is None:  # a session this tab already held
            self.flow.tell(AuthEvent(SIGNED_IN_EVENT, token))
        return token

    def _is_our_popup(self) -> bool:
        """This window is the popup of this tab's sign-in: it has the random name it was given."""
        pending = self.flow.store.peek_pending()
        return (
            pending is not None
            and pending.mode == POPUP_MODE
            and bool(pending.popup_name)
            and str(window.name) == pending.popup_name
        )

    def page_shown(self, persisted: bool) -> None:
        """Call on ``pageshow``: back from the back-forward cache, a redirect sign-in is over."""
        if persisted:
            self.flow.loaded_without_response()

    def revoke_refused(self) -> None:
        """Revoke, in the background, the tokens of responses this tab refused.

        A refused response may still carry a real token (a late one, one for
        another tab, one Veritone minted when the user went Back into its
        authorize page): it is valid at Veritone for days unless revoked.
        """
        for token in self.flow.take_refused_tokens():
            self.flow.log.emit("revoke", self.flow.clock(), "Revoking the token of a refused response")
            in_background(self.flow.revoke_async(token))

    def _send_to_opener(self, response: str) -> None:
        """Finish the sign-in in the opener's tab: the same checks, the same single use.

        Accepted: the opener reloads, signed in, and this window closes.
        Refused: raises, with ``arrival`` still telling this window's part.
        """
        opener = window.opener
        self.arrival = SENT_TO_OPENER
        theirs = _flow(self.settings, SessionStorage(opener))
        try:
            theirs.receive(response, POPUP, page_url())
        finally:
            self.flow.refused_tokens += theirs.take_refused_tokens()
            self.revoke_refused()
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
        url = self.flow.begin(page_url(), POPUP_MODE)
        pending = self.flow.store.peek_pending()
        popup = window.open(url, pending.popup_name if pending else "", POPUP_FEATURES)
        # Blocked: window.open returned null. Or it returned this very window (a window
        # of that name is this tab): it would go to Veritone itself, and come back to close.
        if not popup or is_this_window(popup):
            raise self.flow.abandon("popup_blocked")
        self.popup = popup
        try:
            return await self._wait_for_popup(popup)
        finally:
            self.popup = None

    async def _wait_for_popup(self, popup: Any) -> Token | None:
        """Poll the popup until it is back at the redirect URI with a response, or closed."""
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
                try:
                    return self.flow.receive(response, POPUP, href)
                finally:
                    self.revoke_refused()

    async def call_async(
        self, run: Callable[[AsyncVeritoneClient], Awaitable[T]], operation: str = "api"
    ) -> T:
        """Await ``run(client)`` with the held token, over ``fetch``: the page stays usable.

        A token the API refuses is deleted; a request slower than
        ``api_timeout`` ends in ``Timeout`` and keeps the token.
        """
        return await self.flow.call_async(operation, run)

    def call(self, run: Callable[[VeritoneClient], T], operation: str = "api") -> T:
        """Run ``run(client)`` with the held token, synchronously (it blocks the page: see above)."""
        return self.flow.call(operation, run)

    def client(self) -> VeritoneClient:
        """A synchronous GraphQL client with the held token (after the expiry check).

        Like ``call``, it deletes a token the API refuses (and tells the listeners).
        """
        token = self.flow.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        client = self.flow.client_factory(self.settings.environment.api_url, token.access_token)
        client.on_invalid_token = lambda: self.flow.refused_by_api(token)
        return client

    async def user(self) -> User:
        """The signed-in user (``id``, ``name``, ``email``, ``organization``), over ``fetch``."""
        return await self.call_async(lambda api: api.user(), "me")

    def sign_out(self, revoke: bool = True) -> SignedOut:
        """Forget the token here, at once; revoke it at Veritone in the background.

        Returns at once, signed out. ``SignedOut.revoking`` is the background
        revoke: await it for whether Veritone confirmed (False: the token stays
        valid there until it expires). It never raises.
        """
        token = self.flow.sign_out()
        revoking = in_background(self.flow.revoke_async(token)) if token and revoke else None
        return SignedOut(token, revoking)


def _flow(settings: Settings, storage: MutableMapping[str, str]) -> ImplicitFlow:
    """The flow over one tab's storage (this window's, or a popup's opener's)."""
    timeout = settings.api_timeout

    def sync_client(api_url: str, token: str) -> VeritoneClient:
        return client_class()(api_url, token, network_errors=(JsException,), timeout=timeout)

    def async_client(api_url: str, token: str) -> AsyncVeritoneClient:
        return AsyncVeritoneClient(api_url, token, send=fetch_send, timeout=timeout)

    return ImplicitFlow(
        settings,
        TokenStore(storage),
        log=FlowLog(storage),
        client_factory=sync_client,
        async_client_factory=async_client,
    )
