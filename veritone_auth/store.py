"""Step 4: where the page keeps the token and the pending sign-in: sessionStorage, injected.

The storage is any ``MutableMapping[str, str]``: the browser adapter wraps
``window.sessionStorage``, the tests pass a dict::

    from veritone_auth.store import TokenStore

    store = TokenStore({})
    store.save(token); store.load(); store.clear_token()
    store.save_pending(pending); store.take_pending()   # good for one response

Session storage, never local storage or cookies, so the token dies with the
tab. Every failure of the storage (blocked, throwing, full) becomes
``StorageUnavailable``, and each write is a single key, so a failed write
never leaves half a sign-in behind.

Copies of a tab (Duplicate tab, ``window.open(location.href)``) start with a
copy of its sessionStorage, so the same token. ``SignedOutTokens`` is what
they share afterwards: the hashes of the tokens signed out, each until its
expiry. A hash cannot be replayed, and the list is bounded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, MutableMapping
from typing import TypeVar

from . import json_text
from .authorize import PENDING_LIFETIME, PendingSignIn
from .errors import StorageUnavailable
from .tokens import Token

T = TypeVar("T")

TOKEN_KEY = "veritone.token"
PENDING_KEY = "veritone.pending"
# In storage every tab of the origin shares (localStorage): hashes of signed-out tokens.
SIGNED_OUT_KEY = "veritone.signed_out"
# At most this many are remembered: a copy of a tab holds one token, and a sign-out is rare.
MAX_SIGNED_OUT = 32
__all__ = ["PENDING_KEY", "PENDING_LIFETIME", "TOKEN_KEY", "PendingSignIn", "SignedOutTokens", "TokenStore"]


class TokenStore:
    """The token and the one pending sign-in of this tab."""

    def __init__(self, storage: MutableMapping[str, str]) -> None:
        self.storage = storage

    def _guard(self, operation: Callable[[], T]) -> T:
        try:
            return operation()
        except StorageUnavailable:
            raise
        except Exception as exc:  # the storage is foreign code: any failure means unusable
            raise StorageUnavailable(description=type(exc).__name__) from None

    def _discard(self, key: str) -> None:
        self._guard(lambda: self.storage.pop(key, None))

    def save_pending(self, pending: PendingSignIn) -> None:
        self._guard(lambda: self.storage.__setitem__(PENDING_KEY, pending.to_json()))

    def peek_pending(self) -> PendingSignIn | None:
        """Return the pending sign-in, leaving it in place."""
        text = self._guard(lambda: self.storage.get(PENDING_KEY))
        return None if text is None else PendingSignIn.from_json(text)

    def take_pending(self) -> PendingSignIn | None:
        """Return the pending sign-in and remove it: it is good for one response."""
        text = self._guard(lambda: self.storage.pop(PENDING_KEY, None))
        return None if text is None else PendingSignIn.from_json(text)

    @property
    def pending(self) -> bool:
        return self._guard(lambda: PENDING_KEY in self.storage)

    def save(self, token: Token) -> None:
        text = token.to_json()
        try:
            self._guard(lambda: self.storage.__setitem__(TOKEN_KEY, text))
        except StorageUnavailable:
            # A quota error may come after a partial write in some browsers.
            try:
                self._discard(TOKEN_KEY)
            except StorageUnavailable:
                pass
            raise

    def load(self) -> Token | None:
        """Return the stored token, or None; a corrupt entry is deleted."""
        text = self._guard(lambda: self.storage.get(TOKEN_KEY))
        if text is None:
            return None
        try:
            return Token.from_json(text)
        except (ValueError, TypeError):
            self._discard(TOKEN_KEY)
            return None

    def clear_token(self) -> None:
        self._discard(TOKEN_KEY)


class SignedOutTokens:
    """Hashes of tokens signed out in any tab of this origin, each kept until its expiry.

    ``storage`` is shared by the origin's tabs (the browser's localStorage).
    Holds nothing replayable: a token's ``fingerprint`` and its expiry.
    Storage failures are swallowed: this is a second line after the
    BroadcastChannel, never a reason to fail a sign-in or a sign-out.
    """

    def __init__(
        self, storage: MutableMapping[str, str] | None, clock: Callable[[], float] = time.time
    ) -> None:
        self.storage = storage
        self.clock = clock

    def _read(self) -> dict[str, float]:
        try:
            stored = self.storage.get(SIGNED_OUT_KEY) if self.storage is not None else None
            raw = json_text.loads(stored or "{}")
        except Exception:  # unreadable or blocked: nothing is known
            return {}
        if not isinstance(raw, dict):
            return {}
        now = self.clock()
        return {
            key: float(until)
            for key, until in raw.items()
            if isinstance(key, str) and isinstance(until, int | float) and until > now
        }

    def add(self, token: Token) -> None:
        """Remember that ``token`` was signed out, until it expires; drop the expired ones."""
        if self.storage is None:
            return
        entries = self._read()
        entries[token.fingerprint] = token.expires_at
        kept = dict(sorted(entries.items(), key=lambda item: item[1])[-MAX_SIGNED_OUT:])
        try:
            self.storage[SIGNED_OUT_KEY] = json.dumps(kept)
        except Exception:  # full or blocked: the channel still tells the tabs listening now
            pass

    def __contains__(self, token: object) -> bool:
        return isinstance(token, Token) and token.fingerprint in self._read()
