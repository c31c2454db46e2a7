"""The implicit grant on the wire: the authorization request and its response.

``authorization_url`` builds the request of RFC 6749 §4.2.1 and
``parse_callback`` reads the response of §4.2.2 from the redirect URI's
fragment. They are pure functions over strings: the caller keeps the state
between them (``store.TokenStore``) and decides what to do with the result.

``urllib.parse``, ``hmac`` and ``secrets`` are imported inside the functions
that use them: in Pyodide they take about 30 ms to import (150 ms without the
precompiled standard library), and a page load with no sign-in to start or
finish never needs any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import AuthorizationError
from .settings import SCOPE

# 32 random bytes: 256 bits, twice the 128 that RFC 9700 §2.1 asks of CSRF tokens.
STATE_BYTES = 32

# A Veritone token is about 1.3 kB; anything this long is not a real response.
MAX_FRAGMENT_LENGTH = 16_384
MAX_DESCRIPTION_LENGTH = 500

# RFC 6749 Appendix A: VSCHAR and NQSCHAR. A token is RFC 6750 §2.1's b64token, plus ":":
# Veritone documents its tokens as "letters, numbers, and the characters - and :".
_VSCHARS = re.compile(r"[\x20-\x7e]+")
_NQSCHARS = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]+")
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/:]+=*")
_ERROR_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_EXPIRES_IN = re.compile(r"[0-9]{1,10}")

# Parameters that mark a fragment as an authorization response (§4.2.2, §4.2.2.1).
_RESPONSE_KEYS = {"access_token", "error", "state"}


@dataclass(frozen=True)
class TokenResponse:
    """A successful authorization response (§4.2.2), not yet trusted beyond its state."""

    access_token: str = field(repr=False)
    token_type: str
    state: str | None = None
    expires_in: int | None = None
    scope: str | None = None


def new_state() -> str:
    """Return a fresh, unguessable ``state`` value (RFC 6749 §10.12)."""
    import secrets

    return secrets.token_urlsafe(STATE_BYTES)


def authorization_params(client_id: str, redirect_uri: str, state: str, scope: str = SCOPE) -> dict[str, str]:
    """Return the parameters of the authorization request (§4.2.1), in the guide's order."""
    return {
        "response_type": "token",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
    }


def authorization_url(
    endpoint: str,
    client_id: str,
    redirect_uri: str,
    *,
    state: str | None = None,
    scope: str = SCOPE,
) -> tuple[str, str]:
    """Return the authorization request URL (§4.2.1) and the state it carries.

    Every parameter is form-encoded by ``urlencode``; nothing is concatenated
    by hand, so a client id or redirect URI cannot smuggle in parameters.
    """
    from urllib.parse import urlencode

    state = state or new_state()
    query = urlencode(authorization_params(client_id, redirect_uri, state, scope))
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{query}", state


def callback_params(fragment: str) -> dict[str, str]:
    """Decode a fragment as ``application/x-www-form-urlencoded`` (Appendix B).

    Raises ``AuthorizationError("invalid_callback")`` for a fragment that is
    too long, not UTF-8, or repeats a parameter (§3.1: parameters MUST NOT be
    included more than once).
    """
    from urllib.parse import parse_qsl

    fragment = fragment.removeprefix("#")
    if len(fragment) > MAX_FRAGMENT_LENGTH:
        raise AuthorizationError("invalid_callback", "The response is too long.")
    try:
        pairs = parse_qsl(fragment, keep_blank_values=True, errors="strict", max_num_fields=32)
    except (ValueError, UnicodeDecodeError):
        raise AuthorizationError("invalid_callback", "The response is not valid form encoding.") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise AuthorizationError("invalid_callback", f"The parameter {name!r} is repeated.")
        params[name] = value
    return params


def carried_token(fragment: str) -> str | None:
    """The well-formed access token a response carries, if any: to revoke one that was refused."""
    try:
        token = callback_params(fragment).get("access_token", "")
    except AuthorizationError:
        return None
    return token if _TOKEN.fullmatch(token) and len(token) <= 4096 else None


def link_is_from(uri: str, origin: str) -> bool:
    """Say whether ``uri`` is on ``origin`` (scheme, host and port): an error_uri the page may link.

    Anyone who can put a response in the tab chooses its error_uri, so a link
    in the page's own error box may only lead to the configured Veritone.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        return f"{parts.scheme}://{parts.netloc}" == origin and not parts.username and not parts.password
    except ValueError:
        return False


def is_callback(fragment: str) -> bool:
    """Say whether a fragment looks like an authorization response at all (else: a deep link).

    Lenient on purpose, as static/boot.js is: whatever resembles a response
    (a malformed one, upper-case names) is handled and taken out of the URL.
    """
    try:
        return bool(_RESPONSE_KEYS & {name.lower() for name in callback_params(fragment)})
    except AuthorizationError:
        return True


MISSING_STATE = (
    "The response carried no state. If this Veritone environment never echoes state, set "
    '"require_state": false in config.json. The page then trusts a response only because this tab '
    "has a sign-in pending, so for the minutes a sign-in is pending it cannot tell its own response "
    "from one injected into the tab (RFC 6749 §10.12)."
)


def check_state(received: str | None, expected: str, *, required: bool = True) -> None:
    """Compare the echoed ``state`` with the one this tab sent (§4.2.2, §10.12).

    With ``required`` false (an environment that does not echo state) a
    missing state is accepted, but a state that is present must still match.
    The caller has already made sure this tab has a sign-in pending.
    """
    import hmac

    if received is None:
        if required:
            raise AuthorizationError("state_mismatch", MISSING_STATE)
        return
    if not _VSCHARS.fullmatch(received) or not hmac.compare_digest(received.encode(), expected.encode()):
        raise AuthorizationError("state_mismatch", "The response's state is not the one this tab sent.")


def parse_callback(fragment: str, expected_state: str, *, require_state: bool = True) -> TokenResponse:
    """Read an authorization response from a redirect URI's fragment.

    The state is checked before anything else in the response is looked at.
    Returns a ``TokenResponse`` or raises ``AuthorizationError`` whose
    ``error`` is the server's error id (§4.2.2.1) or one of
    ``state_mismatch``, ``invalid_callback`` and ``unsupported_token_type``.
    """
    params = callback_params(fragment)
    check_state(params.get("state"), expected_state, required=require_state)

    if "error" in params:
        if "access_token" in params:
            raise AuthorizationError("invalid_callback", "The response has both a token and an error.")
        raise _error_response(params)

    token = params.get("access_token", "")
    if not _TOKEN.fullmatch(token):
        raise AuthorizationError("invalid_callback", "The response has no usable access token.")
    token_type = params.get("token_type", "")
    if not token_type:
        raise AuthorizationError("invalid_callback", "The response has no token type.")
    if token_type.lower() != "bearer":  # §7.1: the value is case insensitive
        raise AuthorizationError("unsupported_token_type")
    expires_in = params.get("expires_in")
    if expires_in is not None and not _EXPIRES_IN.fullmatch(expires_in):
        raise AuthorizationError("invalid_callback", "The response has a malformed expires_in.")
    return TokenResponse(
        access_token=token,
        token_type="Bearer",
        state=params.get("state"),
        expires_in=int(expires_in) if expires_in is not None else None,
        scope=params.get("scope"),
    )


def _error_response(params: dict[str, str]) -> AuthorizationError:
    """Build the error of an error response (§4.2.2.1), keeping only well-formed text."""
    error = params["error"]
    if not _ERROR_ID.fullmatch(error):
        return AuthorizationError("invalid_callback", "The response has a malformed error id.")
    description = params.get("error_description")
    if description is not None:
        description = description[:MAX_DESCRIPTION_LENGTH]
        if not _NQSCHARS.fullmatch(description):
            description = None
    uri = params.get("error_uri")
    # Only an https link is ever shown: never javascript:, data: or plain http.
    if uri is not None and not (uri.startswith("https://") and _NQSCHARS.fullmatch(uri)):
        uri = None
    return AuthorizationError(error, description, uri)
