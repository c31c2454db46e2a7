"""Step 5: the session: the held token, what changes it, who is told, and a sign-in given up.

``Session`` holds one tab's token over a ``TokenStore``. It checks expiry at
every use and when asked (``check``: a timer, the tab becoming visible),
follows a sign-out in another tab, and tells its listeners of each change as
an ``AuthEvent``::

    from veritone_auth.session import Session, SIGNED_OUT

    session = Session(store, log)
    session.listeners.append(lambda event: print(event.kind, event.reason))
    session.current()          # the token, or None; TokenExpired once when it ran out
    session.sign_out()         # forget it; the caller revokes it
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import json_text
from .authorize import REDIRECT_MODE
from .errors import StorageUnavailable, TokenExpired, VeritoneError, error_for
from .flow_log import FlowLog
from .store import TOKEN_KEY, SignedOutTokens, TokenStore
from .tokens import Token

# What the session tells its listeners (AuthEvent.kind) ...
SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"
EXPIRING = "expiring"
REFUSED = "refused"  # a response put in by a hash change was refused (AuthEvent.error)
ABANDONED = "abandoned"  # back without Veritone's answer: the redirect sign-in is over
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
    error: VeritoneError | None = None  # REFUSED only


def signed_out_message(event: AuthEvent) -> str | None:
    """What to tell the other tabs when ``event`` ended the session here, or None.

    Only the token's fingerprint crosses, never the token; a sign-out that
    came from another tab is not passed on again.
    """
    if event.kind != SIGNED_OUT or event.token is None or event.reason == OTHER_TAB:
        return None
    return json.dumps({"kind": SIGNED_OUT, "token": event.token.fingerprint})


def read_signed_out_message(data: object) -> str | None:
    """The fingerprint in another tab's sign-out message, or None if ``data`` is not one."""
    try:
        message = json_text.loads(data) if isinstance(data, str) else None
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("kind") != SIGNED_OUT:
        return None
    fingerprint = message.get("token")
    return fingerprint if isinstance(fingerprint, str) and len(fingerprint) == 32 else None


class Session:
    """One tab's held token and the listeners told of its changes."""

    def __init__(
        self,
        store: TokenStore,
        log: FlowLog,
        *,
        clock: Callable[[], float] = time.time,
        signed_out: SignedOutTokens | None = None,
    ) -> None:
        self.store = store
        self.log = log
        self.clock = clock
        self.signed_out = signed_out or SignedOutTokens(None)
        self.listeners: list[Callable[[AuthEvent], None]] = []
        self.expiring_lead = EXPIRING_LEAD
        self._warned: str | None = None  # the token already warned of its expiry

    def tell(self, event: AuthEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    def _emit(self, step: str, summary: str, **details: object) -> None:
        self.log.emit(step, self.clock(), summary, **details)

    def hold(self, token: Token) -> None:
        """Store a token a sign-in just accepted, and tell of it."""
        self.store.save(token)
        self._emit(
            "token_stored",
            f"Stored the token in sessionStorage[{TOKEN_KEY!r}]",
            token=token.masked,
            expires=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)),
            expiry_from=token.expiry_source,
        )
        self.tell(AuthEvent(SIGNED_IN, token))

    def _end(self, token: Token, reason: str) -> None:
        self.store.clear_token()
        self.tell(AuthEvent(SIGNED_OUT, token, reason))

    def current(self) -> Token | None:
        """Return the held token if it is still valid; delete it and raise if it expired.

        A token signed out in a copy of this tab is dropped here too (no raise;
        the listeners are told, with ``other_tab``).
        """
        token = self.store.load()
        if token is None:
            return None
        if token.expired(self.clock()):
            self._emit("token_expired", "The token expired and was deleted", token=token.masked)
            self._end(token, EXPIRED)  # told, even if the caller drops the error
            raise TokenExpired()
        if token in self.signed_out:
            self._emit("sign_out", "Signed out in another tab of this session", token=token.masked)
            self._end(token, OTHER_TAB)
            return None
        return token

    def check(self) -> Token | None:
        """Look at the held token now: tell of its expiry, or that it expires soon; return it.

        A timer and ``visibilitychange`` call this; it never raises for an
        expired token (the listeners are told instead).
        """
        try:
            token = self.current()
        except TokenExpired:
            return None
        if token is None:
            return None
        left = token.expires_at - self.clock()
        # A short-lived token is warned of in its second half, not from the moment it arrives.
        lead = min(self.expiring_lead, (token.expires_at - token.received_at) / 2)
        if left <= lead and self._warned != token.fingerprint:
            self._warned = token.fingerprint
            self.tell(AuthEvent(EXPIRING, token, seconds_left=left))
        return token

    def other_tab_signed_out(self, fingerprint: str | None) -> bool:
        """A tab of this session signed out the token with ``fingerprint``: follow if it is ours.

        Only a tab holding that same token (a copy of the tab) follows; a tab
        with a token of its own is untouched. Returns True if this tab signed out.
        """
        token = self.store.load()
        if fingerprint is None or token is None or token.fingerprint != fingerprint:
            return False
        self._emit("sign_out", "Signed out in another tab of this session", token=token.masked)
        self._end(token, OTHER_TAB)
        return True

    def refused_by_api(self, token: Token) -> None:
        """The API refused ``token``: delete it, if it is still the one held, and tell."""
        if self.store.load() == token:
            self._end(token, REVOKED)

    def sign_out(self) -> Token | None:
        """Forget the token and the flow log; return the token so it can be revoked.

        Its hash is kept where copies of this tab will look (``SignedOutTokens``).
        """
        token = self.store.load()
        self.store.clear_token()
        self.log.clear()
        self._emit(
            "sign_out",
            "Signed out: token deleted from sessionStorage",
            token=token.masked if token else "(none)",
        )
        if token is not None:
            self.signed_out.add(token)
            self.tell(AuthEvent(SIGNED_OUT, token, BY_USER))
        return token

    # --- the end of a sign-in that brought no token -------------------------------------

    def loaded_without_response(self) -> bool:
        """This page loaded (or came back from the back-forward cache) with no response.

        A pending sign-in by redirect is over: the user came back without
        Veritone's answer (Back from its page). It is spent, so no response
        is taken for it later. A popup's goes on: its popup can still answer.
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
        self.tell(AuthEvent(ABANDONED))
        return True

    def popup_lost(self) -> VeritoneError:
        """The popup's handle says closed: closed by the user, or cut off by the login page.

        A login page that sends Cross-Origin-Opener-Policy makes the handle say
        closed at once, while the popup is still open. So the pending sign-in
        is not spent: the popup can still hand its response over until the
        sign-in expires, or another one starts.
        """
        self._emit(
            "abandon",
            "The popup looks closed: closed by the user, or cut off from this page by the login "
            "page (Cross-Origin-Opener-Policy). Its answer is still taken if it hands it over.",
            error="popup_closed",
        )
        return error_for("popup_closed")

    def abandon(self, error: str) -> VeritoneError:
        """Give up the pending sign-in (popup blocked or closed): spend it, and return why."""
        try:
            self.store.take_pending()
        except StorageUnavailable:
            pass
        self._emit("abandon", f"Gave up the sign-in: {error}", error=error)
        return error_for(error)
