"""Step 6 as a tab runs it: API calls with the held token, each recorded in the flow log.

``ApiCalls`` is the part of ``ImplicitFlow`` that calls the API: the token is
checked for expiry first, a token the API refuses is deleted, and the
inspector records each request (masked), its status and what it meant::

    answer = await flow.call_async("query", lambda api: api.execute("{ me { name } }"))
    confirmed = await flow.revoke_async(token)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from .api import failed
from .client import AsyncVeritoneClient, VeritoneClient
from .errors import InvalidToken, NotAllowed, VeritoneError
from .revoke import Revoker
from .session import Session
from .settings import Settings
from .tokens import Token

T = TypeVar("T")
ClientFactory = Callable[[str, str], VeritoneClient]
AsyncClientFactory = Callable[[str, str], AsyncVeritoneClient]


class ApiCalls(Session):
    """A session that calls the API with its token: the client factories are injected."""

    settings: Settings
    client_factory: ClientFactory
    async_client_factory: AsyncClientFactory | None
    revoker: Revoker

    def _held(self) -> Token:
        token = self.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        return token

    @contextmanager
    def _recorded(
        self, operation: str, token: Token, client: VeritoneClient | AsyncVeritoneClient
    ) -> Iterator[list[object]]:
        """Record one API call in the inspector; a token the API refused is deleted."""
        started, outcome, answer = self.clock(), "ok", list[object]()
        try:
            yield answer
            if answer and isinstance(answer[0], dict) and failed(answer[0]):
                outcome = "graphql errors"
        except InvalidToken:
            outcome = "invalid_token: token deleted"
            self.refused_by_api(token)  # only if it is still the one held
            raise
        except VeritoneError as error:
            outcome = "not_allowed" if isinstance(error, NotAllowed) else error.error
            raise
        finally:
            status = client.last_status
            self._emit(
                "api_request",
                f"{operation}: POST {self.settings.environment.api_url}",
                headers=f"Authorization: Bearer {token.masked}; Content-Type: application/json",
                status="no response" if status is None else f"HTTP {status}",
                result=outcome,
                took=f"{(self.clock() - started) * 1000:.0f} ms",
            )

    def call(self, operation: str, run: Callable[[VeritoneClient], T]) -> T:
        """Run an API call with the held token over the synchronous client (a worker's, say)."""
        token = self._held()
        client = self.client_factory(self.settings.environment.api_url, token.access_token)
        with self._recorded(operation, token, client) as answer:
            answer.append(result := run(client))
            return result

    async def call_async(self, operation: str, run: Callable[[AsyncVeritoneClient], Awaitable[T]]) -> T:
        """Run an API call with the held token, awaited: checked for expiry first, recorded."""
        token = self._held()
        client = self._async_client(token.access_token)
        with self._recorded(operation, token, client) as answer:
            answer.append(result := await run(client))
            return result

    def _async_client(self, token: str) -> AsyncVeritoneClient:
        if self.async_client_factory is None:
            raise TypeError("this flow was made without an async_client_factory")
        return self.async_client_factory(self.settings.environment.api_url, token)

    async def revoke_async(self, token: Token | str) -> bool:
        """Ask Veritone to end the token's session; best effort, and say whether it confirmed."""
        value = token if isinstance(token, str) else token.access_token
        return await self.revoker.revoke(value, self._async_client(value))
