"""Where the page keeps the token and the pending sign-in: sessionStorage, injected.

The storage is any ``MutableMapping[str, str]``: ``main.py`` wraps
``window.sessionStorage``, the tests pass a dict. Session storage, never
local storage or cookies, so the token dies with the tab and is not shared
with other tabs. Every failure of the storage (blocked, throwing, full)
becomes ``StorageUnavailable``, and each write is a single key, so a failed
write never leaves half a sign-in behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from dataclasses import asdict, dataclass
from typing import TypeVar

from .errors import StorageUnavailable
from .tokens import Token

T = TypeVar("T")

TOKEN_KEY = "veritone.token"
PENDING_KEY = "veritone.pending"

# A sign-in not finished within 10 minutes is given up: a response that late is refused.
PENDING_LIFETIME = 600


@dataclass(frozen=True)
class PendingSignIn:
    """This tab's one sign-in in progress: the state it sent, where to, when, and how.

    No response is accepted without one (RFC 9700 §4.2.4: a response this tab
    did not ask for is a login CSRF or a token injection), and it is spent by
    the first response that arrives, whether or not that one is good.
    """

    state: str
    started_at: float
    redirect_uri: str
    mode: str = "redirect"  # or "popup"
    # The popup's window name: random per sign-in, so no other site's window can be taken for it.
    popup_name: str = ""

    def expired(self, now: float) -> bool:
        return not 0 <= now - self.started_at < PENDING_LIFETIME

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> PendingSignIn | None:
        """Rebuild a stored record; None if the stored text is not one."""
        try:
            data = json.loads(text)
            record = cls(
                data["state"],
                float(data["started_at"]),
                data["redirect_uri"],
                str(data.get("mode", "redirect")),
                str(data.get("popup_name", "")),
            )
        except (ValueError, TypeError, KeyError):
            return None
        fields = (record.state, record.redirect_uri)
        return record if all(isinstance(f, str) and f for f in fields) else None


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
