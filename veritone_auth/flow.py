"""The implicit flow as a tab runs it: begin, take the response, call the API, sign out.

``ImplicitFlow`` puts the steps together over one tab's storage and records
each in the flow log: ``authorize`` (the request and the pending sign-in),
``callback`` (the response, parsed once and checked), ``tokens``, ``store``,
``session`` (the held token and its events) and the API client::

    from veritone_auth.flow import ImplicitFlow

    flow = ImplicitFlow(settings, TokenStore(storage), async_client_factory=make_client)
    url = flow.begin(page_url)                       # send the browser there
    token = flow.receive(fragment, PAGE_LOAD, url)   # back: checked, stored, told
    await flow.call_async("me", lambda api: api.me())
    await flow.revoke_async(flow.sign_out())

It never touches the DOM or the network itself: the client factories are
injected, so the page hands it ``fetch`` and the tests a local server.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from . import callback as cb
from .authorize import (
    PARAMETER_NOTES,
    PENDING_LIFETIME,
    POPUP_MODE,
    REDIRECT_MODE,
    PendingSignIn,
    authorization_params,
    authorization_url,
    popup_name,
    return_location,
)
from .callback import HASH_CHANGE, PAGE_LOAD, POPUP, Callback, parse_callback, refusal
from .calls import ApiCalls, AsyncClientFactory, ClientFactory
from .client import VeritoneClient
from .errors import NotConfigured, TokenExpired, VeritoneError, error_for
from .flow_log import FlowLog
from .revoke import Revoker
from .settings import Settings, link_is_from, page_redirect_uri
from .store import PENDING_KEY, SignedOutTokens, TokenStore
from .tokens import Token

__all__ = ["HASH_CHANGE", "PAGE_LOAD", "POPUP", "POPUP_MODE", "REDIRECT_MODE", "ImplicitFlow"]

UNSOLICITED = "refused: not asked for by this tab"
# The session's events lived here until 0.2: pages that import them from here still can.
_MOVED_TO_SESSION = {"BY_USER", "EXPIRED", "EXPIRING", "OTHER_TAB", "REFUSED", "REVOKED", "SIGNED_IN"}
_MOVED_TO_SESSION |= {"SIGNED_OUT", "ABANDONED", "AuthEvent", "read_signed_out_message", "signed_out_message"}


def __getattr__(name: str) -> object:
    if name not in _MOVED_TO_SESSION:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import session

    return getattr(session, name)


class ImplicitFlow(ApiCalls):
    """Sign-in state of one browser tab: a session that calls the API, and begins and finishes sign-ins."""

    def __init__(
        self,
        settings: Settings,
        store: TokenStore,
        *,
        log: FlowLog | None = None,
        clock: Callable[[], float] = time.time,
        client_factory: ClientFactory | None = None,
        async_client_factory: AsyncClientFactory | None = None,
        signed_out: SignedOutTokens | None = None,
    ) -> None:
        super().__init__(store, log or FlowLog(), clock=clock, signed_out=signed_out)
        self.settings = settings
        self.client_factory = client_factory or (lambda url, token: VeritoneClient(url, token))
        self.async_client_factory = async_client_factory
        self.revoker = Revoker(self.log, clock)

    def redirect_uri(self, page_url: str) -> str:
        return self.settings.redirect_uri or page_redirect_uri(page_url)

    def at_redirect_uri(self, url: str, page_url: str | None = None) -> bool:
        """Whether ``url`` is exactly the redirect URI of ``page_url`` (default: itself)."""
        return url.split("#", 1)[0] == self.redirect_uri(page_url or url)

    # --- step 1: authorize --------------------------------------------------------

    def begin(self, page_url: str, mode: str = REDIRECT_MODE) -> str:
        """Store a fresh pending sign-in and return the authorization URL to send the user to."""
        if not self.settings.configured:
            raise NotConfigured()
        env = self.settings.environment
        redirect_uri = self.redirect_uri(page_url)
        url, state = authorization_url(env.authorize_url, self.settings.client_id, redirect_uri)
        popup = mode == POPUP_MODE
        back_to = "" if popup else return_location(page_url, redirect_uri)
        pending = PendingSignIn(
            state, self.clock(), redirect_uri, mode, popup_name() if popup else "", back_to
        )
        self.store.save_pending(pending)
        params = authorization_params(self.settings.client_id, redirect_uri, f"{state[:8]}…")
        self._emit(
            "authorize_url",
            f"Built the authorization request to {env.authorize_url}",
            **{name: f"{value}: {PARAMETER_NOTES[name]}" for name, value in params.items()},
        )
        self._emit(
            "leave",
            f"Sent the browser to {env.label} by {mode}",
            mode=mode,
            stored=f"pending sign-in (state, redirect URI, time, mode) in sessionStorage[{PENDING_KEY!r}]",
            expires=f"in {PENDING_LIFETIME // 60} minutes",
        )
        return url

    # --- step 2: the response -----------------------------------------------------

    def receive(self, response: Callback | str, source: str, url: str) -> Token | None:
        """Handle what may be an authorization response; the token, or None if it was none.

        ``source`` says how it came (``PAGE_LOAD``, ``POPUP`` or ``HASH_CHANGE``)
        and ``url`` where. A fragment that is not a response, with no sign-in
        pending, is left alone. Raises ``VeritoneError`` for a refused
        response; a token already held is never touched then.
        """
        if isinstance(response, str):  # as the address bar has it; parsed here, once
            if not response.removeprefix("#"):
                return None
            response = Callback.parse(response)
        callback = response
        if source == HASH_CHANGE:  # never a response, and the pending sign-in is not spent
            if not callback.is_response:
                return None
            self._emit("callback", "Ignored a response that came by a hash change", **callback.shown())
            raise error_for("state_mismatch", cb.BY_HASH_CHANGE)
        if source == PAGE_LOAD and not self.store.pending and not callback.is_response:
            return None  # an ordinary #anchor
        return self.complete(callback, source, url)

    def complete(self, callback: Callback | str, source: str = PAGE_LOAD, url: str | None = None) -> Token:
        """Finish sign-in from a response; store and return the token.

        The pending sign-in is spent first, whatever happens next, so a
        response is used once at most. On any error nothing is stored and a
        token already held is left as it was. ``url`` must be the pending
        redirect URI; None skips that check (the caller has made it).
        """
        if isinstance(callback, str):
            callback = Callback.parse(callback)
        pending = self.store.peek_pending()
        # A page load cannot spend a popup's sign-in: whoever can load this tab with a
        # response (a site that holds a handle to it) must not end the real one.
        if not (pending is not None and pending.mode == POPUP_MODE and source != POPUP):
            self.store.take_pending()
        now = self.clock()
        problem = refusal(pending, now, url, source)
        if pending is None or problem in (cb.IN_POPUP, cb.NOT_IN_POPUP):
            # Anyone can put a response in a tab: one short entry, shown now, never stored.
            self.log.show("refused", now, UNSOLICITED, reason=problem, response=callback.brief())
            raise self._refused(callback, error_for("state_mismatch", problem))
        self._emit(
            "callback", f"Came back from Veritone by {cb.SOURCES.get(source, source)}", **callback.shown()
        )
        if problem is not None:
            self._emit("state_check", "Refused: no sign-in of this tab is waiting for it", reason=problem)
            raise self._refused(callback, error_for("state_mismatch", problem))
        try:
            response = parse_callback(
                callback, pending.state, require_state=self.settings.environment.require_state
            )
        except VeritoneError as error:
            self._failed(error, pending, callback, now)
            raise self._refused(callback, error) from None
        self._state_passed(pending, response.state is not None, now)
        token = Token.from_response(response, now)
        if token.expired(now):
            self._emit("error", "Refused: the token had expired when it arrived", error="token_expired")
            raise self._refused(callback, TokenExpired(description="The token had expired when it arrived."))
        self.hold(token)
        return token

    def _refused(self, callback: Callback, error: VeritoneError) -> VeritoneError:
        """Keep a refused response's token, if it has one, for the page to revoke."""
        if (token := callback.token) is not None:
            self.revoker.refused.append(token)
        elif "access_token" in callback.params:
            self._emit("revoke", "Not revoking the refused token: it cannot be put in a URL or a header")
        return error

    def _failed(self, error: VeritoneError, pending: PendingSignIn, callback: Callback, now: float) -> None:
        if error.error == "state_mismatch":
            self._emit("state_check", "State check failed: response rejected", result="mismatch")
            return
        self._state_passed(pending, "state" in callback.params, now)
        self._emit("error", f"Sign-in failed: {error.error}", error=error.error)
        uri = getattr(error, "uri", None)
        if uri and not link_is_from(uri, self.settings.environment.api_origin):
            error.uri = None  # type: ignore[attr-defined]  # the page's error box links only Veritone

    def _state_passed(self, pending: PendingSignIn, echoed: bool, now: float) -> None:
        if echoed:
            self._emit("state_check", "State matched the one this tab sent", result="match")
            return
        self._emit(
            "state_check",
            "No state came back (require_state is false): accepted only because this tab "
            f"started a sign-in {now - pending.started_at:.0f} s ago. Without the echo, a response "
            "injected while a sign-in is pending cannot be told apart (RFC 6749 §10.12).",
            result="no state; pending sign-in only",
        )

    def take_refused_tokens(self) -> list[str]:
        """The tokens of refused responses since last asked: revoke them (``revoke_async``)."""
        return self.revoker.take_refused()
