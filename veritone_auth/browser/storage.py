"""The tab's storage as a Python mapping: ``sessionStorage`` for the token, ``localStorage`` for hashes.

    from veritone_auth.browser.storage import SessionStorage

    storage = SessionStorage()            # this tab's; SessionStorage(opener) for a popup's opener
    storage["key"] = "value"              # a browser refusal is StorageUnavailable

``localStorage`` holds only what the tabs of the origin share: the hashes of
signed-out tokens (``veritone_auth.store.SignedOutTokens``), never a token.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from js import window
from pyodide.ffi import JsException

from ..errors import StorageUnavailable


class WebStorage(MutableMapping[str, str]):
    """A window's Web Storage area as a mapping; any browser refusal is StorageUnavailable."""

    area = "sessionStorage"

    def __init__(self, owner: Any = None) -> None:
        self.owner = owner  # this window, or a sign-in popup's opener on this origin

    def _call(self, method: str, *args: Any) -> Any:
        try:
            # Reading the property itself throws when storage is blocked.
            storage = getattr(self.owner or window, self.area)
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


class SessionStorage(WebStorage):
    area = "sessionStorage"


class SharedStorage(WebStorage):
    """``localStorage``: what every tab of this origin sees, copies of a tab included."""

    area = "localStorage"
