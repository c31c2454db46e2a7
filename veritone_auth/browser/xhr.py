"""The synchronous transport: pyodide-http's XMLHttpRequest, with its timeout, for a worker.

    from veritone_auth.browser.xhr import xhr_send
    client = VeritoneClient(api_url, token, send=xhr_send)

In a worker a synchronous request blocks only the worker, and pyodide-http
sets ``xhr.timeout`` there. Its ``urllib`` patch drops the ``timeout``
argument (pyodide-http 0.2.2), so this sends with its own request object,
which keeps it. On a page's main thread a synchronous request has no timeout
and freezes the page: pages use ``veritone_auth.browser.fetch``.
"""

from __future__ import annotations

from ..api import MAX_ANSWER_BYTES, ApiRequest, ApiResponse
from ..errors import ApiError, NetworkError, Timeout


def xhr_send(request: ApiRequest, timeout: float) -> ApiResponse:
    """Send one request synchronously; ``Timeout`` after ``timeout`` seconds in a worker."""
    try:
        from pyodide.ffi import JsException
        from pyodide_http._core import Request, send
    except ModuleNotFoundError:  # not installed: the page's [files] left pyodide-http out
        raise
    except ImportError as error:  # there, but its modules could not be fetched: offline
        raise NetworkError(description=str(error)) from error
    outgoing = Request(request.method, request.url, body=request.body, headers=dict(request.headers))
    outgoing.timeout = timeout  # seconds; a float is fine: pyodide-http multiplies it by 1000
    try:
        answer = send(outgoing)
    except JsException as exc:
        # The URL is not repeated: the logout URL holds the token.
        if exc.name == "TimeoutError":
            raise Timeout(description=f"{request.label}: no answer in {timeout:g} s") from None
        raise NetworkError(description=f"{request.label} failed ({exc.name})") from None
    if len(answer.body) > MAX_ANSWER_BYTES:
        raise ApiError(description=f"HTTP {answer.status_code}, answer over the size limit")
    return ApiResponse(int(answer.status_code), bytes(answer.body))
