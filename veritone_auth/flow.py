"""The implicit flow as the page runs it: begin, complete, use, expire, sign out.

``ImplicitFlow`` ties the pure pieces together over one ``TokenStore`` and
records each step in a ``FlowLog``. It never touches the DOM or the network
directly: the API client is made by an injected factory, so the page hands
it a pyodide-http-backed client and the tests a client of a local server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .errors import AuthorizationError, InvalidToken, StorageUnavailable, TokenExpired, VeritoneError
from .events import FlowLog
from .grant import (
    authorization_params,
    authorization_url,
    callback_params,
    carried_token,
    is_callback,
    link_is_from,
    new_state,
    parse_callback,
)
from .settings import Settings, page_redirect_uri
from .store import PENDING_KEY, PENDING_LIFETIME, TOKEN_KEY, PendingSignIn, TokenStore
from .tokens import Token, mask

if TYPE_CHECKING:
    from .client import AsyncVeritoneClient, VeritoneClient

    AnyClient = VeritoneClient | AsyncVeritoneClient

T = TypeVar("T")
ClientFactory = Callable[[str, str], "VeritoneClient"]
AsyncClientFactory = Callable[[str, str], "AsyncVeritoneClient"]

PARAMETER_NOTES = {
    "response_type": "ask for an access token in the fragment (the implicit grant)",
    "client_id": "the app's public Client ID from Veritone Developer",
    "redirect_uri": "where Veritone sends the browser back; must match the app's registration exactly",
    "scope": "the only scope Veritone accepts",
    "state": "a fresh random value this tab checks on return (CSRF protection)",
}

# Where a response can come from (RFC 9700 §4.2.4). A real one arrives by a full load of
# the redirect URI, or in the popup this tab opened. A hash change on a loaded page is
# something another window did to this one: it is never a response.
PAGE_LOAD = "page_load"
POPUP = "popup"
HASH_CHANGE = "hash_change"
SOURCES = {PAGE_LOAD: "a page load", POPUP: "the sign-in popup", HASH_CHANGE: "a hash change"}

# How a sign-in was started; its pending record accepts a response only from the same way.
REDIRECT_MODE = "redirect"
POPUP_MODE = "popup"
# A popup's window name: this prefix and a random part, new for each sign-in.
POPUP_NAME_PREFIX = "veritone-sign-in-"

NOT_PENDING = (
    "No sign-in was pending in this tab, so the response was not asked for here, or was "
    "already used. Nothing was changed."
)
PENDING_EXPIRED = (
    f"The sign-in started more than {PENDING_LIFETIME // 60} minutes ago, so its response was refused."
)
BY_HASH_CHANGE = (
    "A sign-in response was put into this page's address without loading it. Responses are read "
    "only when Veritone sends the browser back to this page, or from the sign-in popup."
)
WRONG_PLACE = "The response arrived at an address that is not this app's redirect URI."
IN_POPUP = (
    "A sign-in is under way in a popup, so a response that arrives by loading this page is not "
    "its answer. The popup's sign-in can still finish."
)
NOT_IN_POPUP = "This tab's sign-in went by redirect, so a response from a popup is not its answer."
UNSOLICITED = "refused: not asked for by this tab"


# What the flow tells its listeners (AuthEvent.kind) ...
SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"
EXPIRING = "expiring"
# ... and why a session ended (AuthEvent.reason).
BY_USER = "user"  # sign_out()
EXPIRED = "expired"  # its time ran out
REVOKED = "revoked"  # the API refused it: revoked elsewhere, or invalid
OTHER_TAB = "other_tab"  # a tab holding the same token signed out
# Seconds before the expiry at which EXPIRING is told, once per token.
EXPIRING_LEAD = 60.0


@dataclass(frozen=True)
class AuthEvent:
    """A change of the session that a page shows: signed in, signed out (and why), expiring."""

    kind: str
    token: Token | None = None
    reason: str | None = None  # SIGNED_OUT only
    seconds_left: float | None = None  # EXPIRING only


def signed_out_message(event: AuthEvent) -> str | None:
    """What to tell this session's other tabs when ``event`` ended it here, or None.

    Only the token's fingerprint crosses: never the token. A sign-out that came
    from another tab is not passed on again.
    """
    if event.kind != SIGNED_OUT or event.token is None or event.reason == OTHER_TAB:
        return None
    return json.dumps({"kind": SIGNED_OUT, "token": event.token.fingerprint})


def read_signed_out_message(data: object) -> str | None:
    """The fingerprint in another tab's sign-out message, or None if ``data`` is not one."""
    try:
        message = json.loads(data) if isinstance(data, str) else None
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("kind") != SIGNED_OUT:
        return None
    fingerprint = message.get("token")
    return fingerprint if isinstance(fingerprint, str) and len(fingerprint) == 32 else None


def default_client(api_url: str, token: str) -> VeritoneClient:
    """Make a client; imported on first use, since urllib.request is slow to import."""
    from .client import VeritoneClient

    return VeritoneClient(api_url, token)


def _short(value: str) -> str:
    return f"{value[:8]}…" if len(value) > 12 else value


# Response parameters the inspector shows as they came; anything else is masked.
_SHOWN_AS_IS = {"token_type", "error", "error_description", "error_uri", "expires_in", "scope"}


def _shown_params(fragment: str) -> dict[str, str]:
    """Return a response's parameters as the inspector may show them.

    The state is shortened, and every value that is not a known harmless
    parameter is masked: a token can arrive under any name.
    """
    try:
        params = callback_params(fragment)
    except AuthorizationError as error:
        return {"(malformed)": error.description or ""}
    shown = {}
    for name, value in params.items():
        if name in _SHOWN_AS_IS:
            shown[name] = value[:80]
        elif name == "state":
            shown[name] = _short(value)
        else:
            shown[name[:40]] = mask(value)
    return shown or {"(empty)": ""}


class ImplicitFlow:
    """Sign-in state of one browser tab."""

    def __init__(
        self,
        settings: Settings,
        store: TokenStore,
        *,
        log: FlowLog | None = None,
        clock: Callable[[], float] = time.time,
        client_factory: ClientFactory = default_client,
        async_client_factory: AsyncClientFactory | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.log = log or FlowLog()
        self.clock = clock
        self.client_factory = client_factory
        self.async_client_factory = async_client_factory
        # Tokens that came in refused responses: still valid at Veritone, so the page revokes them.
        self.refused_tokens: list[str] = []
        # Told of every AuthEvent; and the token already warned of its expiry.
        self.listeners: list[Callable[[AuthEvent], None]] = []
        self.expiring_lead = EXPIRING_LEAD
        self._warned: str | None = None

    def tell(self, event: AuthEvent) -> None:
        """Tell every listener of ``event``."""
        for listener in list(self.listeners):
            listener(event)

    def _emit(self, step: str, summary: str, **details: object) -> None:
        self.log.emit(step, self.clock(), summary, **details)

    def redirect_uri(self, page_url: str) -> str:
        return self.settings.redirect_uri or page_redirect_uri(page_url)

    def begin(self, page_url: str, mode: str = "redirect") -> str:
        """Store a fresh state and return the authorization URL to send the user to."""
        if not self.settings.configured:
            raise VeritoneError("not_configured")
        env = self.settings.environment
        redirect_uri = self.redirect_uri(page_url)
        url, state = authorization_url(env.authorize_url, self.settings.client_id, redirect_uri)
        popup_name = POPUP_NAME_PREFIX + new_state()[:16] if mode == POPUP_MODE else ""
        self.store.save_pending(PendingSignIn(state, self.clock(), redirect_uri, mode, popup_name))
        params = authorization_params(self.settings.client_id, redirect_uri, _short(state))
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

    def at_redirect_uri(self, url: str, page_url: str | None = None) -> bool:
        """Say whether ``url`` is exactly the redirect URI of ``page_url`` (default: itself).

        The page checks its own address on load, and the popup's address
        before reading it: a response is read only where Veritone sends it.
        """
        return url.split("#", 1)[0] == self.redirect_uri(page_url or url)

    def receive(self, fragment: str, source: str, url: str) -> Token | None:
        """Handle what may be an authorization response; return the token, or None if it was none.

        ``source`` says how it came (``PAGE_LOAD``, ``POPUP`` or ``HASH_CHANGE``)
        and ``url`` where: the page's own address on a load, the popup's
        in popup mode. It must be the redirect URI the pending sign-in sent. A
        fragment that is not a response, with no sign-in pending, is left
        alone. Raises ``VeritoneError`` for a response that is refused; a
        token already held is never touched then.
        """
        if not fragment.removeprefix("#"):
            return None
        if source == HASH_CHANGE:  # never a response, and the pending sign-in is not spent
            if not is_callback(fragment):
                return None
            self._emit("callback", "Ignored a response that came by a hash change", **_shown_params(fragment))
            raise AuthorizationError("state_mismatch", BY_HASH_CHANGE)
        if source == PAGE_LOAD and not self.store.pending and not is_callback(fragment):
            return None  # an ordinary #anchor
        return self.complete(fragment, source, url)

    def complete(self, fragment: str, source: str = PAGE_LOAD, url: str | None = None) -> Token:
        """Finish sign-in from a redirect URI's fragment; store and return the token.

        The pending sign-in is spent first, whatever happens next, so a
        response can be used once at most, and none is accepted without one.
        On any error nothing is stored and a token already held is left as it was.
        ``url``, where the response arrived, must be the pending redirect URI;
        None skips that check (the caller has made it).
        """
        pending = self.store.peek_pending()
        # A page load cannot spend a popup's sign-in: whoever can load this tab with a
        # response (a site that holds a handle to it) must not end the real one.
        if not (pending is not None and pending.mode == POPUP_MODE and source != POPUP):
            self.store.take_pending()
        now = self.clock()
        problem = _refusal(pending, now, url, source)
        if pending is None or problem in (IN_POPUP, NOT_IN_POPUP):
            # Anyone can put a response in a tab: one short entry, shown now, never stored.
            self._emit("refused", UNSOLICITED, keep=False, reason=problem, response=_brief(fragment))
            self._refused(fragment)
            raise AuthorizationError("state_mismatch", problem)
        if problem is not None:
            shown = _shown_params(fragment)
            self._emit("callback", f"Came back from Veritone by {SOURCES.get(source, source)}", **shown)
            self._emit("state_check", "Refused: no sign-in of this tab is waiting for it", reason=problem)
            self._refused(fragment)
            raise AuthorizationError("state_mismatch", problem)
        shown = _shown_params(fragment)
        self._emit("callback", f"Came back from Veritone by {SOURCES.get(source, source)}", **shown)
        require_state = self.settings.environment.require_state
        try:
            response = parse_callback(fragment, pending.state, require_state=require_state)
        except AuthorizationError as error:
            self._refused(fragment)
            if error.error == "state_mismatch":
                self._emit("state_check", "State check failed: response rejected", result="mismatch")
            else:
                self._state_passed(pending, "state" in shown, now)
                self._emit("error", f"Sign-in failed: {error.error}", error=error.error)
                if error.uri and not link_is_from(error.uri, self.settings.environment.api_origin):
                    error.uri = None  # a link in the page's own error box leads only to Veritone
            raise
        self._state_passed(pending, response.state is not None, now)
        token = Token.from_response(response, now)
        if token.expired(now):
            raise TokenExpired(description="The token had expired when it arrived.")
        self.store.save(token)
        self._emit(
            "token_stored",
            f"Stored the token in sessionStorage[{TOKEN_KEY!r}]",
            token=token.masked,
            expires=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)),
            expiry_from=token.expiry_source,
        )
        self.tell(AuthEvent(SIGNED_IN, token))
        return token

    def _refused(self, fragment: str) -> None:
        """Keep a refused response's token, if it has one, for the page to revoke."""
        if (token := carried_token(fragment)) is not None:
            self.refused_tokens.append(token)

    def take_refused_tokens(self) -> list[str]:
        """The tokens of refused responses since last asked: revoke them (``revoke_async``)."""
        tokens, self.refused_tokens = self.refused_tokens, []
        return tokens

    def loaded_without_response(self) -> bool:
        """This page loaded (or came back from the back-forward cache) with no response.

        A sign-in by redirect that was pending is over: the user came back
        without Veritone's answer (Back from its page, say). It is spent now,
        so no response can be taken for it later. A popup's sign-in goes on: its
        popup can still answer (this page may have been reloaded meanwhile).
        Returns True if a sign-in was ended.
        """
        pending = self.store.peek_pending()
        if pending is None or pending.mode != REDIRECT_MODE:
            return False
        self.store.take_pending()
        self._emit(
            "abandon",
            "The sign-in by redirect ended: this page was opened again without Veritone's answer "
            "(Back from Veritone's page, or a reload). A response for it is refused from now on.",
            started=f"{self.clock() - pending.started_at:.0f} s ago",
        )
        return True

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

    def abandon(self, error: str) -> VeritoneError:
        """Give up the pending sign-in (popup blocked or closed): spend it and say why.

        Returns the error to show; a token already held is not touched.
        """
        try:
            self.store.take_pending()
        except StorageUnavailable:
            pass
        self._emit("abandon", f"Gave up the sign-in: {error}", error=error)
        return VeritoneError(error)

    def current(self) -> Token | None:
        """Return the held token if it is still valid; delete it and raise if it expired."""
        token = self.store.load()
        if token is not None and token.expired(self.clock()):
            self.store.clear_token()
            self._emit("token_expired", "The token expired and was deleted", token=token.masked)
            self.tell(AuthEvent(SIGNED_OUT, token, EXPIRED))  # told, even if the caller drops the error
            raise TokenExpired()
        return token

    def check(self) -> Token | None:
        """Look at the held token now: tell of its expiry, or that it expires soon; return it.

        The page's timer and ``visibilitychange`` call this; it never raises
        for an expired token (the listeners are told instead).
        """
        try:
            token = self.current()
        except TokenExpired:
            return None
        if token is None:
            return None
        left = token.expires_at - self.clock()
        if left <= self.expiring_lead and self._warned != token.fingerprint:
            self._warned = token.fingerprint
            self.tell(AuthEvent(EXPIRING, token, seconds_left=left))
        return token

    def other_tab_signed_out(self, fingerprint: str | None) -> bool:
        """Another tab of this session signed out the token with ``fingerprint``: follow it.

        Only if this tab holds that same token (a copy of the tab); a tab with a
        token of its own is untouched. Returns True if this tab signed out.
        """
        token = self.store.load()
        if fingerprint is None or token is None or token.fingerprint != fingerprint:
            return False
        self.store.clear_token()
        self._emit("sign_out", "Signed out in another tab of this session", token=token.masked)
        self.tell(AuthEvent(SIGNED_OUT, token, OTHER_TAB))
        return True

    def _held(self) -> Token:
        token = self.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        return token

    @contextmanager
    def _recorded(self, operation: str, token: Token, client: AnyClient) -> Iterator[None]:
        """Record one API call in the inspector; a token the API refused is deleted.

        Deleted only if it is still the one held: a call that was out while the
        user signed out and in again must not take the new token with it.
        """
        started = self.clock()
        outcome = "ok"
        try:
            yield
        except InvalidToken:
            outcome = "invalid_token: token deleted"
            self.refused_by_api(token)
            raise
        except VeritoneError as error:
            outcome = error.error
            raise
        finally:
            status = client.last_status
            self._emit(
                "api_request",
                f"{operation}: POST {self.settings.environment.api_url}",
                headers=f"Authorization: Bearer {token.masked}; Content-Type: application/json",
                status="no response" if status is None else f"HTTP {status}",
                result=outcome,
                took=f"{(self.clock() - started) * 1000:.0f} ms",
            )

    def call(self, operation: str, run: Callable[[VeritoneClient], T]) -> T:
        """Run an API call with the held token, checking expiry first (synchronous client).

        An ``InvalidToken`` answer deletes the token before it propagates, so
        the page is never left holding a token the API has refused.
        """
        token = self._held()
        client = self.client_factory(self.settings.environment.api_url, token.access_token)
        with self._recorded(operation, token, client):
            return run(client)

    async def call_async(self, operation: str, run: Callable[[AsyncVeritoneClient], Awaitable[T]]) -> T:
        """``call`` with the awaited client: the same checks, the same bookkeeping."""
        token = self._held()
        client = self._async_client(token.access_token)
        with self._recorded(operation, token, client):
            return await run(client)

    def _async_client(self, token: str) -> AsyncVeritoneClient:
        if self.async_client_factory is None:
            raise TypeError("this flow was made without an async_client_factory")
        return self.async_client_factory(self.settings.environment.api_url, token)

    def refused_by_api(self, token: Token) -> None:
        """The API refused ``token``: delete it, if it is still the one held, and tell."""
        if self.store.load() == token:
            self.store.clear_token()
            self.tell(AuthEvent(SIGNED_OUT, token, REVOKED))

    def sign_out(self) -> Token | None:
        """Forget the token and the flow log; return the token so it can be revoked."""
        token = self.store.load()
        self.store.clear_token()
        self.log.clear()
        self._emit(
            "sign_out",
            "Signed out: token deleted from sessionStorage",
            token=token.masked if token else "(none)",
        )
        if token is not None:
            self.tell(AuthEvent(SIGNED_OUT, token, BY_USER))
        return token

    # Veritone has no OAuth revocation endpoint (RFC 7009). First REST logout, as
    # Veritone's own apps do; then GraphQL userLogout, documented for session tokens.
    REVOCATIONS = (("GET /v1/admin/token/…/logout", "logout"), ("userLogout", "user_logout"))

    def _revoked(self, name: str, token: str, done: bool | VeritoneError) -> bool:
        """Record one revocation attempt's outcome; say whether it confirmed."""
        if isinstance(done, VeritoneError):
            self._emit("revoke", f"Revoking with {name} failed", result=done.error)
        elif done:
            self._emit("revoke", f"Revoked the token with {name}", token=mask(token))
        else:
            self._emit("revoke", f"{name} did not confirm the revocation", result="not confirmed")
        return done is True

    def revoke(self, token: Token | str) -> bool:
        """Ask Veritone to end the token's session; best effort, and say whether it confirmed."""
        value = token if isinstance(token, str) else token.access_token
        client = self.client_factory(self.settings.environment.api_url, value)
        for name, method in self.REVOCATIONS:
            try:
                done: bool | VeritoneError = bool(getattr(client, method)())
            except VeritoneError as error:
                done = error
            if self._revoked(name, value, done):
                return True
        return False

    async def revoke_async(self, token: Token | str) -> bool:
        """``revoke`` with the awaited client: the page stays live while Veritone answers."""
        value = token if isinstance(token, str) else token.access_token
        client = self._async_client(value)
        for name, method in self.REVOCATIONS:
            try:
                done: bool | VeritoneError = bool(await getattr(client, method)())
            except VeritoneError as error:
                done = error
            if self._revoked(name, value, done):
                return True
        return False


def _brief(fragment: str) -> str:
    """A response in a few masked words: at most four parameters, each cut short."""
    shown = list(_shown_params(fragment).items())
    words = [f"{name[:20]}={value[:24]}" for name, value in shown[:4]]
    return ", ".join(words) + (" …" if len(shown) > 4 else "")


def _refusal(pending: PendingSignIn | None, now: float, url: str | None, source: str) -> str | None:
    """Why a response cannot be taken for this pending sign-in, or None if it can."""
    if pending is None:
        return NOT_PENDING
    if pending.mode == POPUP_MODE and source != POPUP:
        return IN_POPUP
    if pending.mode == REDIRECT_MODE and source == POPUP:
        return NOT_IN_POPUP
    if pending.expired(now):
        return PENDING_EXPIRED
    if url is not None and url.split("#", 1)[0] != pending.redirect_uri:
        return WRONG_PLACE
    return None


def popup_delivery(has_response: bool, opener_is_this_page: bool) -> str | None:
    """Decide what a sign-in popup does with a response nobody collected.

    The opener collects the response as soon as the popup is back (within a
    20 ms poll) and closes it; the popup's first script holds its Python back
    for a second meanwhile (static/boot.js). If the popup still holds the
    response once its Python is up, the opener stopped waiting: it was
    reloaded or navigated while the user signed in. Returns:

    - ``"opener"``: the opener is still on this page's origin, so its tab's
      storage, which holds the pending sign-in, is reachable: finish the
      sign-in there (the same checks, the same single use), then reload it;
    - ``"here"``: there is no opener of ours; finish in this window, which
      holds the copy of the tab's pending sign-in the browser gave it;
    - None: there is nothing to deliver.
    """
    if not has_response:
        return None
    return "opener" if opener_is_this_page else "here"
