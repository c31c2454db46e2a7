"""Step 2 of the implicit grant: the response in the redirect URI's fragment (RFC 6749 §4.2.2).

The fragment is parsed once into a ``Callback``; the state check, the token,
the store and the flow inspector all read that one value::

    from veritone_auth.callback import Callback, parse_callback

    callback = Callback.parse(fragment)    # never raises; .problem says what is malformed
    callback.is_response                   # or an ordinary deep link such as #settings
    response = parse_callback(callback, pending.state)   # a TokenResponse, or raises

Where a response may come from is decided here too (RFC 9700 §4.2.4): a full
load of the redirect URI, or the popup this tab opened. A hash change is
something another window did to this tab: never a response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .authorize import POPUP_MODE, REDIRECT_MODE, PendingSignIn
from .errors import AuthorizationError, response_error

# A Veritone token is about 1.3 kB; anything this long is not a real response.
MAX_FRAGMENT_LENGTH = 16_384
MAX_DESCRIPTION_LENGTH = 500
MAX_TOKEN_LENGTH = 4096

# RFC 6749 Appendix A: VSCHAR and NQSCHAR.
_VSCHARS = re.compile(r"[\x20-\x7e]+")
_NQSCHARS = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]+")
# A token: RFC 6750 §2.1's b64token with ":" (Veritone: "letters, numbers, - and :"; its
# implicit tokens are JWTs), but never "/": the revoke puts the token in a URL's path.
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+:]+=*")
_ERROR_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_EXPIRES_IN = re.compile(r"[0-9]{1,10}")

# Parameters that mark a fragment as an authorization response (§4.2.2, §4.2.2.1).
RESPONSE_KEYS = {"access_token", "error", "state"}
# Response parameters the inspector shows as they came; anything else is masked.
_SHOWN_AS_IS = {"token_type", "error", "error_description", "error_uri", "expires_in", "scope"}

# Where a response came from.
PAGE_LOAD = "page_load"
POPUP = "popup"
HASH_CHANGE = "hash_change"
SOURCES = {PAGE_LOAD: "a page load", POPUP: "the sign-in popup", HASH_CHANGE: "a hash change"}

NOT_PENDING = (
    "No sign-in was pending in this tab, so the response was not asked for here, or was "
    "already used. Nothing was changed."
)
PENDING_EXPIRED = "The sign-in started more than 10 minutes ago, so its response was refused."
BY_HASH_CHANGE = (
    "A sign-in response was put into this page's address without loading it. Responses are read "
    "only when Veritone sends the browser back to this page, or from the sign-in popup."
)
WRONG_PLACE = "The response arrived at an address that is not this app's redirect URI."
IN_POPUP = (
    "A sign-in is under way in a popup, so a response that arrives by loading this page is not "
    "its answer. The popup's sign-in can still finish."
)
NOT_IN_POPUP = "This tab's sign-in went by redirect, so a response from a popup is not its answer."
MISSING_STATE = (
    "The response carried no state. If this Veritone environment never echoes state, set "
    '"require_state": false in config.json. The page then trusts a response only because this tab '
    "has a sign-in pending, so for the minutes a sign-in is pending it cannot tell its own response "
    "from one injected into the tab (RFC 6749 §10.12)."
)


def token_is_usable(token: str) -> bool:
    """Say whether ``token`` may be held, sent and revoked: the token alphabet, and no path.

    A token made only of dots would be a dot segment in the revoke's URL path
    (``/token/../logout``): refused before any URL is built from it.
    """
    return bool(_TOKEN.fullmatch(token)) and len(token) <= MAX_TOKEN_LENGTH and token.strip(".") != ""


def _mask(value: str) -> str:
    from .tokens import mask

    return mask(value)


@dataclass(frozen=True)
class Callback:
    """A fragment parsed once as ``application/x-www-form-urlencoded`` (Appendix B).

    ``params`` is empty and ``problem`` says why when it is malformed: too
    long, not UTF-8, or a repeated parameter (§3.1).
    """

    params: dict[str, str] = field(default_factory=dict, repr=False)
    problem: str | None = None

    @classmethod
    def parse(cls, fragment: str) -> Callback:
        from urllib.parse import parse_qsl

        fragment = fragment.removeprefix("#")
        if len(fragment) > MAX_FRAGMENT_LENGTH:
            return cls(problem="The response is too long.")
        try:
            pairs = parse_qsl(fragment, keep_blank_values=True, errors="strict", max_num_fields=32)
        except (ValueError, UnicodeDecodeError):
            return cls(problem="The response is not valid form encoding.")
        params: dict[str, str] = {}
        for name, value in pairs:
            if name in params:
                return cls(problem=f"The parameter {name!r} is repeated.")
            params[name] = value
        return cls(params)

    @property
    def is_response(self) -> bool:
        """Whether it looks like a response at all (else a deep link such as ``#settings``).

        Lenient on purpose, as static/boot.js is: anything malformed, or with
        upper-case names, is handled as a response and taken out of the URL.
        """
        return self.problem is not None or bool(RESPONSE_KEYS & {n.lower() for n in self.params})

    @property
    def token(self) -> str | None:
        """The well-formed token it carries, if any: to revoke one that was refused."""
        token = self.params.get("access_token", "")
        return token if token_is_usable(token) else None

    def shown(self) -> dict[str, str]:
        """Its parameters as the inspector may show them: the state short, any other value masked."""
        if self.problem is not None:
            return {"(malformed)": self.problem}
        shown = {}
        for name, value in self.params.items():
            if name in _SHOWN_AS_IS:
                shown[name] = value[:80]
            elif name == "state":
                shown[name] = f"{value[:8]}…" if len(value) > 12 else value
            else:  # a token can arrive under any name
                shown[name[:40]] = _mask(value)
        return shown or {"(empty)": ""}

    def brief(self) -> str:
        """It in a few masked words: at most four parameters, each cut short."""
        shown = list(self.shown().items())
        words = [f"{name[:20]}={value[:24]}" for name, value in shown[:4]]
        return ", ".join(words) + (" …" if len(shown) > 4 else "")


def looks_like_response(fragment: str) -> bool:
    return Callback.parse(fragment).is_response


@dataclass(frozen=True)
class TokenResponse:
    """A successful authorization response (§4.2.2), not yet trusted beyond its state."""

    access_token: str = field(repr=False)
    token_type: str
    state: str | None = None
    expires_in: int | None = None
    scope: str | None = None


def check_state(received: str | None, expected: str, *, required: bool = True) -> None:
    """Compare the echoed ``state`` with the one this tab sent (§4.2.2, §10.12).

    With ``required`` false (an environment that does not echo state) a
    missing state is accepted, but a state that is present must still match.
    """
    import hmac

    if received is None:
        if required:
            raise response_error("state_mismatch", MISSING_STATE)
        return
    if not _VSCHARS.fullmatch(received) or not hmac.compare_digest(received.encode(), expected.encode()):
        raise response_error("state_mismatch", "The response's state is not the one this tab sent.")


def parse_callback(
    callback: Callback | str, expected_state: str, *, require_state: bool = True
) -> TokenResponse:
    """Read an authorization response; the state is checked before anything else.

    Returns a ``TokenResponse`` or raises ``AuthorizationError`` whose
    ``error`` is the server's error id (§4.2.2.1) or one of
    ``state_mismatch``, ``invalid_callback`` and ``unsupported_token_type``.
    """
    if isinstance(callback, str):
        callback = Callback.parse(callback)
    if callback.problem is not None:
        raise response_error("invalid_callback", callback.problem)
    params = callback.params
    check_state(params.get("state"), expected_state, required=require_state)
    if "error" in params:
        if "access_token" in params:
            raise response_error("invalid_callback", "The response has both a token and an error.")
        raise _error_response(params)
    token = params.get("access_token", "")
    if not token_is_usable(token):
        raise response_error("invalid_callback", "The response has no usable access token.")
    token_type = params.get("token_type", "")
    if not token_type:
        raise response_error("invalid_callback", "The response has no token type.")
    if token_type.lower() != "bearer":  # §7.1: the value is case insensitive
        raise response_error("unsupported_token_type")
    expires_in = params.get("expires_in")
    if expires_in is not None and not _EXPIRES_IN.fullmatch(expires_in):
        raise response_error("invalid_callback", "The response has a malformed expires_in.")
    return TokenResponse(
        access_token=token,
        token_type="Bearer",
        state=params.get("state"),
        expires_in=int(expires_in) if expires_in is not None else None,
        scope=params.get("scope"),
    )


def _error_response(params: dict[str, str]) -> AuthorizationError:
    """The error of an error response (§4.2.2.1), keeping only well-formed text."""
    error = params["error"]
    if not _ERROR_ID.fullmatch(error):
        return response_error("invalid_callback", "The response has a malformed error id.")
    description = params.get("error_description")
    if description is not None:
        description = description[:MAX_DESCRIPTION_LENGTH]
        if not _NQSCHARS.fullmatch(description):
            description = None
    uri = params.get("error_uri")
    # Only an https link is ever shown: never javascript:, data: or plain http.
    if uri is not None and not (uri.startswith("https://") and _NQSCHARS.fullmatch(uri)):
        uri = None
    return response_error(error, description, uri)


def refusal(pending: PendingSignIn | None, now: float, url: str | None, source: str) -> str | None:
    """Why a response cannot be taken for this pending sign-in, or None if it can."""
    if pending is None:
        return NOT_PENDING
    if pending.mode == POPUP_MODE and source != POPUP:
        return IN_POPUP
    if pending.mode == REDIRECT_MODE and source == POPUP:
        return NOT_IN_POPUP
    if pending.expired(now):
        return PENDING_EXPIRED
    if url is not None and url.split("#", 1)[0] != pending.redirect_uri:
        return WRONG_PLACE
    return None
