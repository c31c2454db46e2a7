"""Sign in with Veritone in a PyScript page: the pure core, wired to the browser.

The library's only package that imports ``js``. Everything that decides is in
the pure core; these small modules hand it the tab's storage (``storage``),
the address bar (``address``), the popup (``popup``), ``fetch`` (``fetch``),
the other tabs (``tabs``) and a worker (``worker``, and ``in_worker`` for the
Python that runs there)::

    from veritone_auth.browser import BrowserAuth

    auth = BrowserAuth.from_config("config.json")
    auth.on(lambda event: ...)        # signed_in, signed_out (and why), expiring, refused
    auth.start()                      # finish a sign-in this page load brought back, if any
    await auth.sign_in_popup()        # or auth.sign_in(): to Veritone and back, where the user was
    user = await auth.user()          # the GraphQL API as the user, over fetch
    auth.sign_out()                   # forget the token here now; revoke it at Veritone meanwhile

The names are imported on first use (PEP 562): a worker imports
``veritone_auth.browser.in_worker`` without the page's modules, which need a
``window``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "BrowserAuth": "auth",
    "SignedOut": "auth",
    "ACCEPTED": "auth",
    "FINISHED_IN_POPUP": "auth",
    "SENT_TO_OPENER": "auth",
    "make_flow": "tab",
    "in_background": "tasks",
    "page_url": "address",
    "QueryWorker": "worker",
}
__all__ = [
    "ACCEPTED",
    "FINISHED_IN_POPUP",
    "SENT_TO_OPENER",
    "BrowserAuth",
    "QueryWorker",
    "SignedOut",
    "in_background",
    "make_flow",
    "page_url",
]

if TYPE_CHECKING:
    from .address import page_url
    from .auth import ACCEPTED, FINISHED_IN_POPUP, SENT_TO_OPENER, BrowserAuth, SignedOut
    from .tab import make_flow
    from .tasks import in_background
    from .worker import QueryWorker


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
