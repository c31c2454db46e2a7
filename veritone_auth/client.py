"""The GraphQL client with one token: each operation is a request and a reader from ``api``.

The operations are written once, as data (``Operation``); the two clients
differ only in how they wait for their injected ``send``::

    from veritone_auth.client import AsyncVeritoneClient, VeritoneClient

    api = AsyncVeritoneClient(api_url, token, send=fetch_send)     # a page: awaited fetch
    user = await api.user()
    api = VeritoneClient(api_url, token, send=urllib_send)         # a worker, a script, CPython
    data = api.execute("query { me { name } }")

``execute`` returns the GraphQL answer as a dict (``data`` and ``errors``);
``data`` returns its ``data`` or raises ``ApiError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import api
from .api import ApiRequest, ApiResponse, User
from .errors import InvalidToken
from .settings import DEFAULT_TIMEOUT  # seconds; config.json's "api_timeout"
from .transport import AsyncSend, Send, urllib_send

R = TypeVar("R")


@dataclass(frozen=True)
class Operation(Generic[R]):
    """One API operation: the request to send, and how to read its answer."""

    request: ApiRequest
    read: Callable[[ApiResponse], R]


class _Operations:
    """The operations with one token, as data; a client runs them."""

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

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self.api_url!r})"

    def _graphql(self, query: str, variables: dict[str, Any] | None = None) -> Operation[dict[str, Any]]:
        return Operation(api.graphql_request(self.api_url, self._token, query, variables), api.read_graphql)

    def _data(self, query: str, variables: dict[str, Any] | None = None) -> Operation[dict[str, Any]]:
        return Operation(
            api.graphql_request(self.api_url, self._token, query, variables),
            lambda answer: api.graphql_data(api.read_graphql(answer)),
        )

    def _user(self) -> Operation[User]:
        return Operation(
            api.graphql_request(self.api_url, self._token, api.ME_QUERY),
            lambda answer: User.from_me(api.graphql_data(api.read_graphql(answer))),
        )

    def _logout(self) -> Operation[bool]:
        return Operation(api.logout_request(self.api_url, self._token), api.read_logout)

    def _user_logout(self) -> Operation[bool]:
        return Operation(api.user_logout_request(self.api_url, self._token), api.read_user_logout)

    def _read(self, operation: Operation[R], answer: ApiResponse) -> R:
        self.last_status = answer.status
        try:
            return operation.read(answer)
        except InvalidToken:
            if self.on_invalid_token is not None:
                self.on_invalid_token()
            raise


class VeritoneClient(_Operations):
    """Runs operations synchronously: in a worker, a script, or under CPython."""

    def __init__(
        self, api_url: str, token: str, *, send: Send = urllib_send, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        super().__init__(api_url, token, timeout)
        self._send = send

    def run(self, operation: Operation[R]) -> R:
        return self._read(operation, self._send(operation.request, self.timeout))

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The GraphQL answer; raises as ``api.read_graphql`` says."""
        return self.run(self._graphql(query, variables))

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.run(self._data(query, variables))

    def me(self) -> dict[str, Any]:
        """``{"me": {...}, "myRights": {...}}`` for the signed-in user."""
        return self.run(self._data(api.ME_QUERY))

    def user(self) -> User:
        return self.run(self._user())

    def logout(self) -> bool:
        return self.run(self._logout())

    def user_logout(self) -> bool:
        return self.run(self._user_logout())


class AsyncVeritoneClient(_Operations):
    """The same operations, awaited: a page stays live while a request is out."""

    def __init__(
        self, api_url: str, token: str, *, send: AsyncSend, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        super().__init__(api_url, token, timeout)
        self._send = send

    async def run(self, operation: Operation[R]) -> R:
        return self._read(operation, await self._send(operation.request, self.timeout))

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.run(self._graphql(query, variables))

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.run(self._data(query, variables))

    async def me(self) -> dict[str, Any]:
        return await self.run(self._data(api.ME_QUERY))

    async def user(self) -> User:
        return await self.run(self._user())

    async def logout(self) -> bool:
        return await self.run(self._logout())

    async def user_logout(self) -> bool:
        return await self.run(self._user_logout())
