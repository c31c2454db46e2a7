"""One tab's flow: the pure core over a tab's storage, with the browser's two transports.

    flow = make_flow(settings)                           # this window's sessionStorage
    theirs = make_flow(settings, SessionStorage(opener))  # a popup's opener's tab

Awaited calls go over ``fetch`` (a page's main thread), synchronous ones over
pyodide-http's XMLHttpRequest (a worker), each with the configured timeout.
Signed-out tokens' hashes are shared by every tab of the origin (localStorage).
"""

from __future__ import annotations

from typing import Any

from ..client import AsyncVeritoneClient, VeritoneClient
from ..flow import ImplicitFlow
from ..flow_log import FlowLog
from ..settings import Settings
from ..store import SignedOutTokens, TokenStore
from .fetch import fetch_send
from .storage import SessionStorage, SharedStorage
from .xhr import xhr_send


def make_flow(settings: Settings, storage: Any = None) -> ImplicitFlow:
    """The flow over one tab's storage (this window's, or a popup's opener's)."""
    storage = SessionStorage() if storage is None else storage
    timeout = settings.api_timeout
    return ImplicitFlow(
        settings,
        TokenStore(storage),
        log=FlowLog(storage),
        client_factory=lambda url, token: VeritoneClient(url, token, send=xhr_send, timeout=timeout),
        async_client_factory=lambda url, token: AsyncVeritoneClient(
            url, token, send=fetch_send, timeout=timeout
        ),
        signed_out=SignedOutTokens(SharedStorage()),
    )
