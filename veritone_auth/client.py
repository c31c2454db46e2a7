"""A small Veritone GraphQL client: the rules in pure functions, two ways to send.

Every request is built, and every answer read, by the pure functions at the
top (``graphql_request``, ``read_graphql``, ``logout_request`` ...); a
transport only moves bytes. Two transports drive the same rules:

- ``VeritoneClient`` sends synchronously over ``urllib.request``. Under
  CPython that is a socket with a timeout. In a browser it needs
  ``pyodide_http.patch_urllib()`` and becomes a *synchronous*
  XMLHttpRequest on the page's main thread, which the XHR standard lets run
  with no timeout: while it waits, the page is frozen. Use it in scripts,
  workers and tests, or where a frozen page is acceptable.
- ``AsyncVeritoneClient`` awaits a ``send`` coroutine; in the browser that is
  ``fetch`` with an ``AbortSignal`` timeout (``veritone_auth.browser``), so
  the page stays live while a request is out. The page uses this one.

Both end a request that takes longer than ``timeout`` seconds in ``Timeout``.
The token travels only in the ``Authorization: Bearer`` header (RFC 6750
§2.1) and in the path of Veritone's logout URL, never in a query string.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, InvalidToken, NetworkError, NotAllowed, Timeout
from .settings import DEFAULT_TIMEOUT  # seconds; config.json's "api_timeout"

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


@dataclass(frozen=True)
class ApiRequest:
    """One HTTP request to the API, as data: what a transport sends."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    # Said in errors and the flow inspector instead of the URL (the logout URL holds the token).
    label: str = ""


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: bytes = b""


@dataclass(frozen=True)
class User:
    """The signed-in user, from the ``me`` query: what a page greets and shows."""

    id: str
    name: str
    email: str
    organization: str = ""
    organization_id: str = ""

    @classmethod
    def from_me(cls, data: dict[str, Any]) -> User:
        """From ``me()``'s answer (``{"me": {...}}``); a missing field is an empty string."""
        me = data.get("me") if isinstance(data.get("me"), dict) else {}
        organization = me.get("organization") if isinstance(me.get("organization"), dict) else {}

        def text(value: object) -> str:
            return "" if value is None else str(value)

        return cls(
            id=text(me.get("id")),
            name=text(me.get("name") or me.get("email")),
            email=text(me.get("email")),
            organization=text(organization.get("name")),
            organization_id=text(organization.get("id")),
        )


Send = Callable[[ApiRequest, float], ApiResponse]
AsyncSend = Callable[[ApiRequest, float], Awaitable[ApiResponse]]


# --- the rules: pure functions ------------------------------------------------------


def graphql_request(
    api_url: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> ApiRequest:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return ApiRequest("POST", api_url, headers, body, label=f"POST {api_url}")


def read_graphql(response: ApiResponse) -> dict[str, Any]:
    """Return a GraphQL answer (``data`` and ``errors``), or raise what it means.

    ``InvalidToken`` for ``authentication_error`` or HTTP 401, ``NotAllowed``
    for a right the token lacks, ``ApiError`` for a 5xx or a body that is not
    a GraphQL response. Other GraphQL errors (a bad query, say) come back in
    the result for the caller to show.
    """
    status = response.status
    if status == 401:
        raise InvalidToken(description="HTTP 401")
    if status >= 500:
        raise ApiError(description=f"HTTP {status}")
    try:
        result = json.loads(response.body)
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


def graphql_data(result: dict[str, Any]) -> dict[str, Any]:
    """Return a GraphQL answer's ``data``; any GraphQL error is an ``ApiError``."""
    if result.get("errors") or not isinstance(result.get("data"), dict):
        errors = result.get("errors") or [{}]
        message = errors[0].get("message") if isinstance(errors[0], dict) else None
        raise ApiError(description=str(message or "no data")[:200])
    return result["data"]


def api_root(api_url: str) -> str:
    return api_url.removesuffix(GRAPHQL_PATH)


def logout_request(api_url: str, token: str) -> ApiRequest:
    """Veritone's own way to end a session: REST ``GET …/token/<token>/logout``."""
    from urllib.parse import quote  # here: urllib.parse is slow to import in Pyodide

    url = api_root(api_url) + LOGOUT_PATH.format(token=quote(token, safe=""))
    headers = {"Authorization": f"Bearer {token}"}
    return ApiRequest("GET", url, headers, label="GET /v1/admin/token/…/logout")


def read_logout(response: ApiResponse) -> bool:
    """True when the logout was confirmed; raises like ``read_graphql`` otherwise."""
    if response.status == 401:
        raise InvalidToken(description="HTTP 401")
    if not 200 <= response.status < 300:
        raise ApiError(description=f"HTTP {response.status}")
    return True


# --- sending ------------------------------------------------------------------------


def urllib_send(
    request: ApiRequest,
    timeout: float,
    *,
    urlopen: Callable[..., Any] | None = None,
    network_errors: tuple[type[BaseException], ...] = (OSError,),
) -> ApiResponse:
    """Send one request with ``urllib.request`` (pyodide-http's XMLHttpRequest in a browser)."""
    import urllib.request
    from urllib.error import HTTPError, URLError

    outgoing = urllib.request.Request(  # noqa: S310 (the URL is the configured http(s) API)
        request.url, data=request.body, method=request.method, headers=request.headers
    )
    too_slow = Timeout(description=f"{request.label}: no answer in {timeout:g} s")
    try:
        with (urlopen or urllib.request.urlopen)(outgoing, timeout=timeout) as response:
            return ApiResponse(response.status, response.read())
    except HTTPError as error:  # CPython raises for 4xx/5xx; pyodide-http does not
        with error:
            return ApiResponse(error.code, error.read())
    except TimeoutError:
        raise too_slow from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise too_slow from None
        raise NetworkError(description=f"{request.label} failed") from None
    except network_errors:
        # The URL is not repeated: the logout URL holds the token.
        raise NetworkError(description=f"{request.label} failed") from None


# --- the two clients ----------------------------------------------------------------


class _Client:
    def __init__(self, api_url: str, token: str, timeout: float) -> None:
        if not api_url.startswith(("https://", "http://")):
            raise ValueError("the API URL must be http(s)")
        self.api_url = api_url
        self._token = token
        self.timeout = timeout
        self.last_status: int | None = None  # for the flow inspector
        # Called when the API refuses the token, before InvalidToken is raised: a page's
        # client deletes it there, as every other way of calling the API does.
        self.on_invalid_token: Callable[[], None] | None = None

    def _read(self, reader: Callable[[ApiResponse], Any], response: ApiResponse) -> Any:
        try:
            return reader(response)
        except InvalidToken:
            if self.on_invalid_token is not None:
                self.on_invalid_token()
            raise

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self.api_url!r})"

    @property
    def api_root(self) -> str:
        return api_root(self.api_url)

    def _graphql(self, query: str, variables: dict[str, Any] | None) -> ApiRequest:
        return graphql_request(self.api_url, self._token, query, variables)

    def _logout(self) -> ApiRequest:
        return logout_request(self.api_url, self._token)

    def _answered(self, response: ApiResponse) -> ApiResponse:
        self.last_status = response.status
        return response


class VeritoneClient(_Client):
    """Runs GraphQL operations with one token, synchronously (see the module's note)."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        urlopen: Callable[..., Any] | None = None,
        network_errors: tuple[type[BaseException], ...] = (),
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(api_url, token, timeout)
        # Looked up at call time by default, so pyodide-http's patch applies.
        self._urlopen = urlopen
        self.network_errors = (OSError, *network_errors)

    def _send(self, request: ApiRequest) -> ApiResponse:
        return self._answered(
            urllib_send(request, self.timeout, urlopen=self._urlopen, network_errors=self.network_errors)
        )

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation and return the GraphQL answer; raises as ``read_graphql`` says."""
        return self._read(read_graphql, self._send(self._graphql(query, variables)))

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return graphql_data(self.execute(query, variables))

    def me(self) -> dict[str, Any]:
        """Return ``{"me": {...}, "myRights": {...}}`` for the signed-in user."""
        return self.data(ME_QUERY)

    def user(self) -> User:
        """The signed-in user, typed."""
        return User.from_me(self.me())

    def logout(self) -> bool:
        """End this token's session as Veritone's own apps do (there is no RFC 7009 endpoint)."""
        return self._read(read_logout, self._send(self._logout()))

    def user_logout(self) -> bool:
        """Revoke with GraphQL ``userLogout``: documented for session tokens, the fallback."""
        return bool(self.data(LOGOUT_MUTATION, {"token": self._token}).get("userLogout"))


class AsyncVeritoneClient(_Client):
    """The same operations, awaited: the page stays live while a request is out."""

    def __init__(
        self, api_url: str, token: str, *, send: AsyncSend, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        super().__init__(api_url, token, timeout)
        self._send_with = send

    async def _send(self, request: ApiRequest) -> ApiResponse:
        return self._answered(await self._send_with(request, self.timeout))

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._read(read_graphql, await self._send(self._graphql(query, variables)))

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return graphql_data(await self.execute(query, variables))

    async def me(self) -> dict[str, Any]:
        return await self.data(ME_QUERY)

    async def user(self) -> User:
        return User.from_me(await self.me())

    async def logout(self) -> bool:
        return self._read(read_logout, await self._send(self._logout()))

    async def user_logout(self) -> bool:
        return bool((await self.data(LOGOUT_MUTATION, {"token": self._token})).get("userLogout"))
