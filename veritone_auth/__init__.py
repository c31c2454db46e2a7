"""Sign in with Veritone (OAuth 2.0 Implicit Flow) for Python in the browser.

The core is pure Python: nothing but ``veritone_auth.browser`` imports
``pyscript`` or ``js``. Storage and HTTP come in from the caller, so the same
code runs in the browser (``BrowserAuth`` hands it sessionStorage and sends
requests with ``fetch``) and under CPython in the tests (a dict and a real
local server).

The public names below are imported on first use (PEP 562), not when the
package is: a page's start path imports only what it touches, and
``BrowserAuth``, which needs a browser, is never imported under CPython
unless asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name, and the module that defines it.
_PUBLIC = {
    "BrowserAuth": "browser",
    "SignedOut": "browser",
    "ImplicitFlow": "flow",
    "Settings": "settings",
    "Token": "tokens",
    "TokenStore": "store",
    "VeritoneClient": "client",
    "AsyncVeritoneClient": "client",
    "VeritoneError": "errors",
    "AuthorizationError": "errors",
    "StorageUnavailable": "errors",
    "TokenExpired": "errors",
    "InvalidToken": "errors",
    "NetworkError": "errors",
    "Timeout": "errors",
    "ApiError": "errors",
    "NotAllowed": "errors",
    "authorization_url": "grant",
    "parse_callback": "grant",
}
__all__ = [
    "ApiError",
    "AsyncVeritoneClient",
    "AuthorizationError",
    "BrowserAuth",
    "ImplicitFlow",
    "InvalidToken",
    "NetworkError",
    "NotAllowed",
    "Settings",
    "SignedOut",
    "StorageUnavailable",
    "Timeout",
    "Token",
    "TokenExpired",
    "TokenStore",
    "VeritoneClient",
    "VeritoneError",
    "authorization_url",
    "parse_callback",
]

if TYPE_CHECKING:
    from .browser import BrowserAuth, SignedOut
    from .client import AsyncVeritoneClient, VeritoneClient
    from .errors import (
        ApiError,
        AuthorizationError,
        InvalidToken,
        NetworkError,
        NotAllowed,
        StorageUnavailable,
        Timeout,
        TokenExpired,
        VeritoneError,
    )
    from .flow import ImplicitFlow
    from .grant import authorization_url, parse_callback
    from .settings import Settings
    from .store import TokenStore
    from .tokens import Token


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
