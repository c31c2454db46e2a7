"""Token issuing and checking, as Veritone does it: HS256 JWTs with its claims."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt

# Veritone's tokens live seven days.
DEFAULT_TTL = 604800

# The actions Veritone puts in a token's scope claim (from the guide's sample token).
ACTIONS = (
    "ingestion:read",
    "ingestion:create",
    "ingestion:update",
    "ingestion:delete",
    "job:create",
    "job:read",
    "job:update",
    "job:delete",
    "task:update",
    "recording:create",
    "recording:read",
    "recording:update",
    "recording:delete",
    "recording:clone",
    "report:create",
    "analytics:usage",
    "mention:create",
    "mention:read",
    "mention:update",
    "mention:delete",
    "collection:create",
    "collection:read",
    "collection:update",
    "collection:delete",
    "asset:uri",
)


class InvalidTokenError(Exception):
    """The token is missing, malformed, wrongly signed, expired or revoked."""


class TokenIssuer:
    """Signs tokens with a random per-run key and remembers revocations."""

    def __init__(self, ttl: int = DEFAULT_TTL, clock: Callable[[], float] = time.time) -> None:
        self.key = secrets.token_bytes(32)
        self.ttl = ttl
        self.clock = clock
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, user_id: str, client_id: str, origin_host: str) -> str:
        now = int(self.clock())
        claims = {
            "userId": user_id,
            "contentApplicationId": client_id,
            "originHost": origin_host,
            "scope": [{"actions": list(ACTIONS)}],
            "iat": now,
            "exp": now + self.ttl,
            "sub": "oauth2",
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self.key, algorithm="HS256")

    def verify(self, token: str | None) -> dict[str, Any]:
        """Return the claims of a valid token; raise InvalidTokenError otherwise."""
        if not token:
            raise InvalidTokenError("No token was provided.")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=["HS256"],
                options={"require": ["exp", "jti"]},
                leeway=0,
            )
        except jwt.ExpiredSignatureError:
            raise InvalidTokenError("The token has expired.") from None
        except jwt.InvalidTokenError:
            raise InvalidTokenError("The token is invalid.") from None
        with self._lock:
            if claims["jti"] in self._revoked:
                raise InvalidTokenError("The token has been revoked.")
        return claims

    def revoke(self, token: str) -> bool:
        """Revoke a valid token; say whether it was one."""
        try:
            claims = self.verify(token)
        except InvalidTokenError:
            return False
        with self._lock:
            self._revoked.add(claims["jti"])
        return True
