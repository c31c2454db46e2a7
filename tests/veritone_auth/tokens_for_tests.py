"""Unsigned-but-shaped JWTs for unit tests (the page never verifies signatures)."""

from __future__ import annotations

import base64
import json
from typing import Any


def b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_jwt(claims: Any, header: Any = None, signature: str = "c2lnbmF0dXJl") -> str:
    return f"{b64(header or {'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}.{signature}"
