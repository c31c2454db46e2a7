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

from .errors import ApiError, InvalidToken, NetworkError, NotAllowed

ME_QUERY = (
    "query { me { id name email firstName lastName organization { id name } } myRights { operations } }"
)
LOGOUT_MUTATION = "mutation Logout($token: String!) { userLogout(token: $token) }"

# Veritone's GraphQL error names: a missing, invalid or expired token; a valid token that
# lacks a right. Only the first means "sign in again".
AUTHENTICATION_ERROR = "authentication_error"
NOT_ALLOWED = "not_allowed"

GRAPHQL_PATH = "/v3/graphql"
# How Veritone's own apps end a session (veritone-sdk); the token is the path's one variable.
LOGOUT_PATH = "/v1/admin/token/{token}/logout"

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

    def _send(self, url: str, method: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self._token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        urlopen = self._urlopen or urllib.request.urlopen
        try:
            with urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except HTTPError as error:  # CPython raises for 4xx/5xx; pyodide-http does not
            with error:
                return error.code, error.read()
        except self.network_errors:
            # The URL is not repeated: the logout URL holds the token.
            raise NetworkError(description=f"{method} to the API failed") from None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        return self._send(self.api_url, "POST", body)

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
        names = {e.get("name") for e in errors if isinstance(e, dict)}
        if AUTHENTICATION_ERROR in names:
            raise InvalidToken(description=AUTHENTICATION_ERROR)
        if NOT_ALLOWED in names:  # the token is good; this one operation is not allowed
            message = next(e.get("message") for e in errors if e.get("name") == NOT_ALLOWED)
            raise NotAllowed(description=str(message or NOT_ALLOWED)[:200], result=result)
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

    @property
    def api_root(self) -> str:
        return self.api_url.removesuffix(GRAPHQL_PATH)

    def logout(self) -> bool:
        """End this token's session as Veritone's own apps do: REST ``GET …/token/<t>/logout``.

        Veritone has no OAuth revocation endpoint (RFC 7009). Returns True when
        the API confirmed it; raises like ``execute`` when it could not be asked.
        """
        from urllib.parse import quote

        url = self.api_root + LOGOUT_PATH.format(token=quote(self._token, safe=""))
        status, _body = self._send(url, "GET")
        self.last_status = status
        if status == 401:
            raise InvalidToken(description="HTTP 401")
        if not 200 <= status < 300:
            raise ApiError(description=f"HTTP {status}")
        return True

    def user_logout(self) -> bool:
        """Revoke with GraphQL ``userLogout``: documented for session tokens, the fallback."""
        return bool(self.data(LOGOUT_MUTATION, {"token": self._token}).get("userLogout"))
