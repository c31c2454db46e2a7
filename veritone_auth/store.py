"""Where the page keeps the token and the pending state: sessionStorage, injected.

The storage is any ``MutableMapping[str, str]``: ``main.py`` wraps
``window.sessionStorage``, the tests pass a dict. Session storage, never
local storage or cookies, so the token dies with the tab and is not shared
with other tabs. Every failure of the storage (blocked, throwing, full)
becomes ``StorageUnavailable``, and each write is a single key, so a failed
write never leaves half a sign-in behind.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TypeVar

from .errors import StorageUnavailable
from .tokens import Token

T = TypeVar("T")

TOKEN_KEY = "veritone.token"
STATE_KEY = "veritone.state"


class TokenStore:
    """The token and the one pending ``state`` of this tab."""

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

    def save_state(self, state: str) -> None:
        self._guard(lambda: self.storage.__setitem__(STATE_KEY, state))

    def pop_state(self) -> str | None:
        """Return the pending state and remove it: a state is good for one response."""
        return self._guard(lambda: self.storage.pop(STATE_KEY, None))

    @property
    def pending(self) -> bool:
        return self._guard(lambda: STATE_KEY in self.storage)

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
