"""Ending a token's session at Veritone, best effort: it has no OAuth revocation endpoint (RFC 7009).

GraphQL ``userLogout`` goes first: the token rides in a header and the body,
so a failed request cannot print it to the console. Only if that is not
confirmed does Veritone's REST logout follow, as its own apps do, with the
token in the URL's path; a token that is not safe in a path is never sent so::

    revoker = Revoker(log, clock)
    confirmed = await revoker.revoke(token, client)     # True once Veritone confirmed
"""

from __future__ import annotations

from collections.abc import Callable

from .api import LOGOUT_LABEL
from .callback import token_is_usable
from .client import AsyncVeritoneClient
from .errors import VeritoneError
from .flow_log import FlowLog
from .tokens import mask

USER_LOGOUT = "userLogout"


class Revoker:
    """Revokes tokens, and keeps the refused responses' tokens until the page revokes them."""

    def __init__(self, log: FlowLog, clock: Callable[[], float]) -> None:
        self.log = log
        self.clock = clock
        # Tokens that came in refused responses: still valid at Veritone, so they are revoked.
        self.refused: list[str] = []

    def take_refused(self) -> list[str]:
        tokens, self.refused = self.refused, []
        return tokens

    def _record(self, name: str, token: str, done: bool | VeritoneError) -> bool:
        """Record one attempt's outcome; say whether it confirmed."""
        if isinstance(done, VeritoneError):
            self.log.emit("revoke", self.clock(), f"Revoking with {name} failed", result=done.error)
        elif done:
            self.log.emit("revoke", self.clock(), f"Revoked the token with {name}", token=mask(token))
        else:
            self.log.emit(
                "revoke", self.clock(), f"{name} did not confirm the revocation", result="not confirmed"
            )
        return done is True

    async def revoke(self, token: str, client: AsyncVeritoneClient) -> bool:
        """Try ``userLogout``, then the REST logout; True once one of them confirmed."""
        if not token_is_usable(token):
            self.log.emit("revoke", self.clock(), "Not revoking: the token cannot be put in a request")
            return False
        for name, attempt in ((USER_LOGOUT, client.user_logout), (LOGOUT_LABEL, client.logout)):
            try:
                done: bool | VeritoneError = await attempt()
            except VeritoneError as error:
                done = error
            if self._record(name, token, done):
                return True
        return False
