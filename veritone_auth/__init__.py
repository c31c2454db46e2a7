"""Sign in with Veritone (OAuth 2.0 Implicit Flow) for Python in the browser.

The modules follow the flow: ``authorize`` (the request, the pending
sign-in) → ``callback`` (the response, parsed once) → ``tokens`` → ``store``
→ ``session`` (the held token and its events) → ``api`` (requests and
answers as data) → ``client`` and ``transport``; ``flow`` puts them together
for one tab. The core is pure Python: nothing but the ``veritone_auth.browser``
package imports ``pyscript`` or ``js``. Storage and HTTP come in from the caller, so the same
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

__version__ = "0.2.0"

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
    "AuthEvent": "session",
    "User": "api",
    "error_for": "errors",
    "authorization_url": "authorize",
    "parse_callback": "callback",
}
__all__ = [
    "ApiError",
    "AsyncVeritoneClient",
    "AuthEvent",
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
    "User",
    "VeritoneClient",
    "VeritoneError",
    "authorization_url",
    "error_for",
    "parse_callback",
]

if TYPE_CHECKING:
    from .api import User
    from .authorize import authorization_url
    from .browser import BrowserAuth, SignedOut
    from .callback import parse_callback
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
        error_for,
    )
    from .flow import ImplicitFlow
    from .session import AuthEvent
    from .settings import Settings
    from .store import TokenStore
    from .tokens import Token


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
