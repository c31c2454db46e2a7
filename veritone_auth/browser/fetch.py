"""The page's transport: one request with ``fetch`` and a timeout, awaited.

    from veritone_auth.browser.fetch import fetch_send
    client = AsyncVeritoneClient(api_url, token, send=fetch_send)

``AbortSignal.timeout`` ends the request and the reading of its body alike,
and the page's event loop runs on meanwhile. No cookies are sent. An answer
larger than the cap is refused before its body is read.
"""

from __future__ import annotations

from typing import Any

from js import window
from pyodide.ffi import JsException, to_js

from ..api import LOGOUT_LABEL, MAX_ANSWER_BYTES, ApiRequest, ApiResponse
from ..errors import ApiError, NetworkError, Timeout


async def fetch_send(request: ApiRequest, timeout: float) -> ApiResponse:
    """Send one request; give up after ``timeout`` seconds."""
    init: dict[str, Any] = {
        "method": request.method,
        "headers": request.headers,
        "credentials": "omit",
        "cache": "no-store",
        "signal": window.AbortSignal.timeout(max(1, round(timeout * 1000))),
    }
    if request.body is not None:
        init["body"] = request.body.decode()
    try:
        try:
            response = await window.fetch(request.url, to_js(init, dict_converter=window.Object.fromEntries))
            length = response.headers.get("content-length")
            if isinstance(length, str) and length.isdigit() and int(length) > MAX_ANSWER_BYTES:
                raise ApiError(description=f"HTTP {response.status}, answer over the size limit")
            body = await response.arrayBuffer()
        finally:
            if request.label == LOGOUT_LABEL:
                forget_urls()  # its URL holds the token
    except JsException as exc:
        # The URL is not repeated: the logout URL holds the token.
        if exc.name == "TimeoutError":
            raise Timeout(description=f"{request.label}: no answer in {timeout:g} s") from None
        raise NetworkError(description=f"{request.label} failed ({exc.name})") from None
    if body.byteLength > MAX_ANSWER_BYTES:
        raise ApiError(description=f"HTTP {response.status}, answer over the size limit")
    return ApiResponse(int(response.status), body.to_bytes())


def forget_urls() -> None:
    """Clear the Resource Timing entries: one of them holds the logout URL, with the token."""
    window.performance.clearResourceTimings()
