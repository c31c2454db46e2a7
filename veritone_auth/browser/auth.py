"""``BrowserAuth``: this tab's sign-in state, and the actions a page offers on it.

Errors are ``veritone_auth.errors.VeritoneError``, each with a human
``message`` to show as text. A refused response never changes what is held.
The page's first script should be ``boot.js`` (shipped beside the demo): it
takes the response out of the address bar before anything else loads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..api import User
from ..callback import HASH_CHANGE, PAGE_LOAD, POPUP, Callback
from ..client import AsyncVeritoneClient, VeritoneClient
from ..errors import InvalidToken, NotConfigured, VeritoneError
from ..session import REFUSED, SIGNED_IN, AuthEvent
from ..settings import Settings, read_settings
from ..tokens import Token
from . import address, popup
from .address import page_url
from .storage import SessionStorage
from .tab import make_flow
from .tabs import Tabs
from .tasks import in_background
from .worker import QueryWorker

if TYPE_CHECKING:  # pathlib imports urllib.parse: ~30 ms a page's start never needs
    from pathlib import Path


T = TypeVar("T")
# The query worker's script, relative to the page (the demo's; static/query-worker.js).
WORKER_SCRIPT = "static/query-worker.js"

# What start() found this page load brought back (BrowserAuth.arrival).
ACCEPTED = "accepted"  # a response, accepted here
SENT_TO_OPENER = "sent_to_opener"  # a popup nobody collected: answered in its opener's tab
FINISHED_IN_POPUP = "finished_in_popup"  # a popup whose opener is gone: finished here


@dataclass(frozen=True)
class SignedOut:
    """What ``sign_out`` did: the token it forgot, and the revoke under way in the background."""

    token: Token | None
    revoking: asyncio.Future[bool] | None  # True once Veritone confirmed


class BrowserAuth:
    """Sign-in state of this browser tab, and the actions a page offers on it."""

    def __init__(self, settings: Settings, storage: Any = None) -> None:
        self.settings = settings
        self.flow = make_flow(settings, storage)
        self.arrival: str | None = None  # what start() found: ACCEPTED, SENT_TO_OPENER, ...
        self.tabs = Tabs(self.flow, settings.client_id)
        self.popups = popup.PopupSignIn(self.flow, self.revoke_refused)
        self.worker: QueryWorker | None = None  # started on first use

    @classmethod
    def from_config(cls, config: str | Path | Mapping[str, Any] = "config.json") -> BrowserAuth:
        """From ``config.json`` (put on the page by ``pyscript.toml``'s ``[files]``) or a dict."""
        return cls(read_settings(config))  # raises NotConfigured, with the reason

    def problem(self) -> VeritoneError | None:
        """Why sign-in cannot work on this page (no client_id, another redirect URI), or None."""
        if not self.settings.configured:
            return NotConfigured()
        problem = self.settings.problem_at(page_url())
        return NotConfigured(description=problem) if problem else None

    @property
    def redirect_uri(self) -> str:
        """The address to register as the app's redirect URI: this page's."""
        return self.flow.redirect_uri(page_url())

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
        """Call ``listener(event)`` on each change of the session (``docs/library.md``).

        Add listeners before ``start()``: it tells of the sign-in it finished
        or the session it found.
        """
        self.flow.listeners.append(listener)

    @property
    def expiring_lead(self) -> float:
        return self.flow.expiring_lead

    @expiring_lead.setter
    def expiring_lead(self, seconds: float) -> None:
        self.flow.expiring_lead = seconds

    def start(self) -> Token | None:
        """Finish what this page load brought back, once; return the token held after it.

        A response is checked against this tab's pending sign-in and stored; a
        refused one raises ``VeritoneError`` and changes nothing held. It also
        starts the watch: expiry, other tabs, ``hashchange`` and ``pageshow``.
        """
        response = address.take_response()
        pending = self.flow.store.peek_pending() if response is not None else None
        in_popup = popup.is_our_popup(pending, response)
        if in_popup and response is not None:  # a popup always has one
            popup.forget_name()
            if (opener := popup.opener_on_this_origin()) is not None:
                self._send_to_opener(opener, response)
                return None
        try:
            if response is None:
                self.flow.loaded_without_response()
            elif self.flow.receive(response, POPUP if in_popup else PAGE_LOAD, page_url()) is not None:
                self.arrival = FINISHED_IN_POPUP if in_popup else ACCEPTED
                if pending is not None and pending.return_to:
                    address.return_to(pending.return_to)
        finally:
            self.revoke_refused()
            self.tabs.watch(self._hash_changed, self.page_shown)
        token = self.flow.current()
        if token is not None and self.arrival is None:  # a session this tab already held
            self.flow.tell(AuthEvent(SIGNED_IN, token))
        return token

    def page_shown(self, persisted: bool) -> None:
        """On ``pageshow``: back from the back-forward cache, a redirect sign-in is over."""
        if persisted:
            self.flow.loaded_without_response()
            self.flow.check()  # a copy restored after a sign-out elsewhere drops its token

    def revoke_refused(self) -> None:
        """Revoke, in the background, the tokens of responses this tab refused.

        A refused response may still carry a real token (a late one, one for
        another tab): it is valid at Veritone for days unless revoked.
        """
        for token in self.flow.take_refused_tokens():
            self.flow.log.emit("revoke", self.flow.clock(), "Revoking the token of a refused response")
            in_background(self.flow.revoke_async(token))

    def _send_to_opener(self, opener: Any, response: Callback) -> None:
        """Finish the sign-in in the opener's tab (it was reloaded): the same checks, once."""
        self.arrival = SENT_TO_OPENER
        theirs = make_flow(self.settings, SessionStorage(opener))
        try:
            theirs.receive(response, POPUP, page_url())
        finally:
            self.flow.revoker.refused += theirs.take_refused_tokens()
            self.revoke_refused()
        popup.close_and_reload_opener(opener)

    def hash_changed(self) -> None:
        """A response put in without a page load is refused, never used; raises if it was one."""
        try:
            self.flow.receive(address.fragment(), HASH_CHANGE, page_url())
        except VeritoneError:
            address.clean_url()
            raise

    def _hash_changed(self) -> None:
        try:
            self.hash_changed()
        except VeritoneError as error:
            self.flow.tell(AuthEvent(REFUSED, error=error))

    def sign_in(self) -> None:
        """Go to Veritone to sign in; it sends the browser back to this page, where the user was."""
        self.popups.stop_listening()
        address.go_to(self.flow.begin(page_url()))

    async def sign_in_popup(self) -> Token | None:
        """Sign in in a popup while this page stays; return the token.

        One popup at a time: while one is open this brings it forward and
        returns None. Raises ``popup_blocked``, ``popup_closed``, or why a
        response was refused.
        """
        return await self.popups.sign_in(page_url())

    @property
    def popup(self) -> Any:
        """The open sign-in popup, while one is pending; else None."""
        return self.popups.window

    async def call_async(
        self, run: Callable[[AsyncVeritoneClient], Awaitable[T]], operation: str = "api"
    ) -> T:
        """Await ``run(client)`` with the held token, over ``fetch``: the page stays usable."""
        return await self.flow.call_async(operation, run)

    def call(self, run: Callable[[VeritoneClient], T], operation: str = "api") -> T:
        """Run ``run(client)`` synchronously over pyodide-http: in a worker, not on a page."""
        return self.flow.call(operation, run)

    def client(self) -> VeritoneClient:
        """A synchronous client with the held token (pyodide-http); a refused token is deleted."""
        token = self.flow.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        client = self.flow.client_factory(self.settings.environment.api_url, token.access_token)
        client.on_invalid_token = lambda: self.flow.refused_by_api(token)
        return client

    async def run_in_worker(self, query: str, script: str = WORKER_SCRIPT) -> dict[str, Any]:
        """The GraphQL answer of ``query``, run by Python in a worker over pyodide-http.

        The worker starts on first use; the token goes with the call only. A
        token the API refuses is deleted, a stalled API ends in ``Timeout``,
        and ``cancel_worker()`` ends the query.
        """
        if self.worker is None:
            self.worker = QueryWorker(script, self.settings)
        return await self.worker.run_held(self.flow, query)

    def cancel_worker(self) -> None:
        """End the worker's query under way; a new worker starts with the next one."""
        if self.worker is not None:
            self.worker.cancel()

    async def user(self) -> User:
        """The signed-in user (``id``, ``name``, ``email``, ``organization``), over ``fetch``."""
        return await self.call_async(lambda api: api.user(), "me")

    def sign_out(self, revoke: bool = True) -> SignedOut:
        """Forget the token here, at once; revoke it at Veritone in the background.

        ``SignedOut.revoking`` resolves to True once Veritone confirmed
        (False: the token stays valid there until it expires). It never raises.
        """
        token = self.flow.sign_out()
        revoking = in_background(self.flow.revoke_async(token)) if token and revoke else None
        return SignedOut(token, revoking)
