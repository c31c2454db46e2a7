"""The Python a query worker runs: one API query with a handed-over token, as plain values.

    from veritone_auth.browser.in_worker import query
    query(api_url, token, "query { me { name } }", 15.0)   # a JSON string, never raises

The page hands the token over with each call (``veritone_auth.browser.worker``);
the worker keeps it only for the call: nothing here stores, prints or logs it.
Imports nothing that needs a ``window``: a worker has none.
"""

from __future__ import annotations

import json

from ..client import VeritoneClient
from ..errors import NotAllowed, VeritoneError
from .xhr import xhr_send


def query(api_url: str, token: str, text: str, timeout: float) -> str:
    """Run one GraphQL query; ``{"ok": true, "answer": ...}`` or ``{"ok": false, "error": id, ...}``."""
    try:
        answer = VeritoneClient(api_url, token, send=xhr_send, timeout=timeout).execute(text)
    except NotAllowed as error:  # a right is missing: the answer is still worth showing
        return json.dumps({**failure(error), "answer": error.result})
    except VeritoneError as error:
        return json.dumps(failure(error))
    return json.dumps({"ok": True, "answer": answer})


def failure(error: VeritoneError) -> dict[str, object]:
    return {"ok": False, "error": error.error, "description": error.description}
