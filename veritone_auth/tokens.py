"""Step 3: the access token as this page holds it: claims, scopes and expiry.

Veritone's tokens are HS256 JWTs. The page cannot check the signature (that
needs Veritone's key) and does not need to: the API does. It reads the
payload only to learn the expiry and the scopes it shows::

    from veritone_auth.tokens import Token

    token = Token.from_response(response, received_at=now)
    token.expires_at, token.expired(now), token.scopes, token.masked

The expiry is the earliest of the JWT's ``exp``, arrival + ``expires_in`` and
arrival + seven days (Veritone's documented lifetime): no claim can make a
token live longer than the server or the guide said.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from typing import Any

from . import json_text
from .callback import TokenResponse
from .errors import response_error

# "Access tokens expire after seven days" (guide, Implicit Flow, Step 2).
DEFAULT_LIFETIME = 7 * 24 * 3600

EXPIRY_FROM_JWT = "jwt_exp"
EXPIRY_FROM_EXPIRES_IN = "expires_in"
EXPIRY_DEFAULT = "default_7_days"


def _b64url_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json_text.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Return a JWT's (header, claims) without verifying it, or None if it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims


def _numeric_date(value: Any) -> float | None:
    """Return a JWT NumericDate (RFC 7519 §2) as a float, or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) and value > 0 else None


def scope_actions(claims: dict[str, Any]) -> tuple[str, ...]:
    """Return the actions of Veritone's ``scope: [{"actions": [...]}]`` claim."""
    actions: list[str] = []
    scope = claims.get("scope")
    for entry in scope if isinstance(scope, list) else []:
        values = entry.get("actions") if isinstance(entry, dict) else None
        for action in values if isinstance(values, list) else []:
            if isinstance(action, str) and action not in actions:
                actions.append(action)
    return tuple(actions)


def mask(token: str) -> str:
    """Return a token shortened for display: enough to recognise, useless to steal."""
    if len(token) <= 16:
        return "•" * 8
    return f"{token[:6]}…{token[-4:]}"


@dataclass(frozen=True)
class Token:
    """A bearer token with the facts the page needs about it."""

    access_token: str = field(repr=False)
    received_at: float
    expires_at: float
    expiry_source: str
    claims: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_response(cls, response: TokenResponse, received_at: float) -> Token:
        """Build a token from an authorization response received at ``received_at``.

        The expiry is the earliest of ``exp``, ``expires_in`` and seven days,
        and ``expiry_source`` says which one it was.
        """
        decoded = decode_jwt(response.access_token)
        header, claims = decoded if decoded else ({}, {})
        if str(header.get("alg", "")).lower() == "none":
            raise response_error("invalid_callback", "The token is an unsigned JWT.")
        candidates = []  # on a tie the first named wins: the most specific
        if (exp := _numeric_date(claims.get("exp"))) is not None:
            candidates.append((exp, EXPIRY_FROM_JWT))
        if response.expires_in is not None:
            candidates.append((received_at + response.expires_in, EXPIRY_FROM_EXPIRES_IN))
        candidates.append((received_at + DEFAULT_LIFETIME, EXPIRY_DEFAULT))
        expires_at, source = min(candidates, key=lambda candidate: candidate[0])
        return cls(response.access_token, received_at, expires_at, source, claims)

    @property
    def scopes(self) -> tuple[str, ...]:
        return scope_actions(self.claims)

    @property
    def masked(self) -> str:
        return mask(self.access_token)

    @property
    def fingerprint(self) -> str:
        """A hash that names this token without giving it away: what tabs tell each other."""
        import hashlib

        return hashlib.sha256(self.access_token.encode()).hexdigest()[:32]

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    def to_json(self) -> str:
        return json.dumps(
            {
                "access_token": self.access_token,
                "received_at": self.received_at,
                "expires_at": self.expires_at,
                "expiry_source": self.expiry_source,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Token:
        """Rebuild a stored token; raise ValueError if the stored text is not one."""
        data = json_text.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a stored token")
        token, received_at, expires_at = (
            data.get("access_token"),
            _numeric_date(data.get("received_at")),
            _numeric_date(data.get("expires_at")),
        )
        if not isinstance(token, str) or received_at is None or expires_at is None:
            raise ValueError("not a stored token")
        decoded = decode_jwt(token)
        claims = decoded[1] if decoded else {}
        return cls(token, received_at, expires_at, str(data.get("expiry_source")), claims)
