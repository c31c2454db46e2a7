"""A small Veritone GraphQL client over ``urllib.request``.

The same code runs under CPython and in the browser: there ``main.py`` calls
``pyodide_http.patch_urllib()``, which turns ``urllib.request.urlopen`` into a
synchronous XMLHttpRequest. urllib rather than requests keeps the page's
import graph small and its console clean. The token travels only in the
``Authorization: Bearer`` header (RFC 6750 §2.1), never in a URL.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError

from .errors import ApiError, InvalidToken, NetworkError

ME_QUERY = (
    "query { me { id name email firstName lastName organization { id name } } myRights { operations } }"
)
LOGOUT_MUTATION = "mutation Logout($token: String!) { userLogout(token: $token) }"

# Veritone's GraphQL error name for a missing, invalid or expired token.
AUTHENTICATION_ERROR = "authentication_error"

Opener = Callable[..., Any]


class VeritoneClient:
    """Runs GraphQL operations against one API endpoint with one token."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        urlopen: Opener | None = None,
        network_errors: tuple[type[BaseException], ...] = (),
        timeout: float = 20.0,
    ) -> None:
        if not api_url.startswith(("https://", "http://")):
            raise ValueError("the API URL must be http(s)")
        self.api_url = api_url
        self._token = token
        # Looked up at call time by default, so pyodide-http's patch applies.
        self._urlopen = urlopen
        self.network_errors = (OSError, *network_errors)
        self.timeout = timeout
        self.last_status: int | None = None  # for the flow inspector

    def __repr__(self) -> str:
        return f"VeritoneClient({self.api_url!r})"

    def _post(self, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.api_url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self._token}",
                "Content-Type": "application/json",
            },
        )
        urlopen = self._urlopen or urllib.request.urlopen
        try:
            with urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except HTTPError as error:  # CPython raises for 4xx/5xx; pyodide-http does not
            with error:
                return error.code, error.read()
        except self.network_errors:
            raise NetworkError(description=f"POST {self.api_url} failed") from None

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation and return the GraphQL response (``data`` and ``errors``).

        Raises ``InvalidToken`` for ``authentication_error`` or HTTP 401,
        ``ApiError`` for a 5xx or a body that is not a GraphQL response, and
        ``NetworkError`` when the API cannot be reached. Other GraphQL errors
        (a bad query, say) come back in the result for the caller to show.
        """
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        status, payload = self._post(body)
        self.last_status = status
        if status == 401:
            raise InvalidToken(description="HTTP 401")
        if status >= 500:
            raise ApiError(description=f"HTTP {status}")
        try:
            result = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(description=f"HTTP {status}, not JSON") from None
        if not isinstance(result, dict) or not ({"data", "errors"} & result.keys()):
            raise ApiError(description=f"HTTP {status}, not a GraphQL response")
        errors = result.get("errors") or []
        if any(isinstance(e, dict) and e.get("name") == AUTHENTICATION_ERROR for e in errors):
            raise InvalidToken(description=AUTHENTICATION_ERROR)
        return result

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation and return its ``data``; any GraphQL error is an ``ApiError``."""
        result = self.execute(query, variables)
        if result.get("errors") or not isinstance(result.get("data"), dict):
            errors = result.get("errors") or [{}]
            message = errors[0].get("message") if isinstance(errors[0], dict) else None
            raise ApiError(description=str(message or "no data")[:200])
        return result["data"]

    def me(self) -> dict[str, Any]:
        """Return ``{"me": {...}, "myRights": {...}}`` for the signed-in user."""
        return self.data(ME_QUERY)

    def logout(self) -> bool:
        """Revoke this token server-side with ``userLogout`` (Veritone has no revoke endpoint)."""
        return bool(self.data(LOGOUT_MUTATION, {"token": self._token}).get("userLogout"))
