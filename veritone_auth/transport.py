"""Step 7: the transport: one ``send`` that moves an ``ApiRequest`` and brings its answer back.

A client is given its ``send``; it never picks one itself::

    from veritone_auth.transport import urllib_send

    answer = urllib_send(request, timeout=15)      # ApiResponse(status, body)

- ``urllib_send`` is synchronous, over ``urllib.request``: a socket under
  CPython, and in a browser *worker*, after ``pyodide_http.patch_urllib()``,
  a synchronous XMLHttpRequest that blocks only that worker.
- In a page, ``veritone_auth.browser.fetch.fetch_send`` awaits ``fetch`` with
  an ``AbortSignal`` timeout, so the page stays live.

Both end a request slower than ``timeout`` seconds in ``Timeout``, and never
repeat a request's URL in an error: the logout URL holds the token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .api import MAX_ANSWER_BYTES, ApiRequest, ApiResponse
from .errors import ApiError, NetworkError, Timeout

Send = Callable[[ApiRequest, float], ApiResponse]
AsyncSend = Callable[[ApiRequest, float], Awaitable[ApiResponse]]


def urllib_send(
    request: ApiRequest,
    timeout: float,
    *,
    urlopen: Callable[..., Any] | None = None,
    network_errors: tuple[type[BaseException], ...] = (),
) -> ApiResponse:
    """Send one request with ``urllib.request``; ``urlopen`` is looked up at call time.

    ``network_errors`` are the transport's own failures to report as
    ``NetworkError`` (pyodide-http raises ``JsException``).
    """
    import urllib.request
    from urllib.error import HTTPError, URLError

    outgoing = urllib.request.Request(  # noqa: S310 (the URL is the configured http(s) API)
        request.url, data=request.body, method=request.method, headers=request.headers
    )
    too_slow = Timeout(description=f"{request.label}: no answer in {timeout:g} s")
    try:
        with (urlopen or urllib.request.urlopen)(outgoing, timeout=timeout) as response:
            return ApiResponse(response.status, _read(response))
    except HTTPError as error:  # CPython raises for 4xx/5xx; pyodide-http does not
        with error:
            return ApiResponse(error.code, _read(error))
    except TimeoutError:
        raise too_slow from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise too_slow from None
        raise NetworkError(description=f"{request.label} failed") from None
    except OSError:
        raise NetworkError(description=f"{request.label} failed") from None
    except network_errors:
        raise NetworkError(description=f"{request.label} failed") from None


def _read(response: Any) -> bytes:
    """The body, refused past the cap without reading the rest."""
    body = response.read(MAX_ANSWER_BYTES + 1)
    if len(body) > MAX_ANSWER_BYTES:
        raise ApiError(description=f"answer over {MAX_ANSWER_BYTES // 1_000_000} MB")
    return bytes(body)
