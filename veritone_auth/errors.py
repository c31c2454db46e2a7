"""Errors of the implicit flow, keyed by their error id, each with a human message.

The seven ids of RFC 6749 §4.2.2.1 come back from Veritone in the fragment;
their text is the Veritone guide's ("Possible Errors"). The others are raised
by this client itself (see ``docs/page-contract.md``, ``#auth-error``). The page
shows ``message`` and, as plain text, any ``description`` the server sent.

Each id a page may want to handle on its own has a class, so it can be caught
by type (``except PopupBlocked``); ``VeritoneError("popup_blocked")`` and
``AuthorizationError("access_denied")`` make an instance of that class, so
every error keeps its ``error`` id whichever way it was raised.
"""

from __future__ import annotations

# RFC 6749 §4.2.2.1, worded as in Veritone's guide.
OAUTH_ERRORS: dict[str, str] = {
    "invalid_request": "The request is missing a necessary parameter or the parameter has an invalid value.",
    "unauthorized_client": "The Client ID is invalid or the client is not authorized to request an access token using this method.",
    "access_denied": "The server denied the request.",
    "unsupported_response_type": "The specified response type is invalid or unsupported.",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
    "server_error": "The server encountered an internal error.",
    "temporarily_unavailable": "The server is temporarily unavailable but should be able to process the request at a later time.",
}

# Raised by this client; the message says what happened and what to do.
CLIENT_ERRORS: dict[str, str] = {
    "state_mismatch": "This sign-in response was not started by this tab, or was already used, so it was ignored. Please sign in again.",
    "invalid_callback": "The sign-in response in the address bar is malformed, so it was ignored. Please sign in again.",
    "unsupported_token_type": "Veritone returned a token type this page cannot use (it needs a Bearer token). Please sign in again.",
    "token_expired": "Your Veritone session has expired. Please sign in again.",
    "invalid_token": "Veritone no longer accepts your token (it was revoked or is invalid). Please sign in again.",
    "storage_unavailable": "This browser does not let the page use session storage (it is blocked or full), so it cannot keep you signed in.",
    "popup_blocked": "The browser blocked the sign-in popup. Allow popups for this page, or use the redirect sign-in.",
    "popup_closed": "The sign-in popup was closed before sign-in finished.",
    "network_error": "The Veritone API could not be reached. Check your connection and try again.",
    "timeout": "The Veritone API took too long to answer, so the request was stopped. You are still signed in: try again in a moment.",
    "api_error": "The Veritone API failed to answer. Try again in a moment.",
    "not_configured": "This page has no Veritone client id configured yet.",
}

UNKNOWN_ERROR = "Veritone reported an error this page does not know."


def error_message(error: str) -> str:
    """Return the human message for an error id."""
    return OAUTH_ERRORS.get(error) or CLIENT_ERRORS.get(error) or UNKNOWN_ERROR


# The class of each id that has one of its own; filled in as the classes are defined.
_CLASSES: dict[str, type[VeritoneError]] = {}


class VeritoneError(Exception):
    """Base of every error the flow raises: an id, its message and optional detail.

    ``description`` is untrusted text from a server; render it as text only.
    It never contains the access token.
    """

    error = "api_error"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "error" in cls.__dict__:
            _CLASSES.setdefault(cls.error, cls)

    def __new__(cls, *args: object, **kwargs: object) -> VeritoneError:
        # VeritoneError("popup_blocked") is a PopupBlocked: the id picks the class.
        error = args[0] if args else kwargs.get("error")
        if isinstance(error, str) and (chosen := _CLASSES.get(error)) and issubclass(chosen, cls):
            cls = chosen
        return super().__new__(cls)

    def __init__(self, error: str | None = None, description: str | None = None) -> None:
        if error is not None:
            self.error = error
        self.description = description
        super().__init__(self.error if description is None else f"{self.error}: {description}")

    @property
    def message(self) -> str:
        return error_message(self.error)


class AuthorizationError(VeritoneError):
    """The authorization response carried an error, or could not be trusted (§4.2.2.1)."""

    def __init__(
        self, error: str | None = None, description: str | None = None, uri: str | None = None
    ) -> None:
        super().__init__(error, description)
        self.uri = uri


class StateMismatch(AuthorizationError):
    """A response this tab did not ask for, or whose state is not the one it sent (§10.12)."""

    error = "state_mismatch"


class InvalidCallback(AuthorizationError):
    """A malformed response."""

    error = "invalid_callback"


class AccessDenied(AuthorizationError):
    """The user (or Veritone) declined the sign-in."""

    error = "access_denied"


class PopupBlocked(VeritoneError):
    """The browser did not open the sign-in popup."""

    error = "popup_blocked"


class PopupClosed(VeritoneError):
    """The sign-in popup was closed before sign-in finished."""

    error = "popup_closed"


class NotConfigured(VeritoneError):
    """No client id, or a config that cannot work on this page."""

    error = "not_configured"


class StorageUnavailable(VeritoneError):
    """sessionStorage is blocked, throws, or is full."""

    error = "storage_unavailable"


class TokenExpired(VeritoneError):
    """The stored token is past its expiry; it has been deleted."""

    error = "token_expired"


class InvalidToken(VeritoneError):
    """The API refused the token (``authentication_error`` or HTTP 401); it has been deleted."""

    error = "invalid_token"


class NetworkError(VeritoneError):
    """The API could not be reached: network down, DNS, or a CORS refusal."""

    error = "network_error"


class Timeout(NetworkError):
    """The API did not answer in time; the request was given up. The token is kept."""

    error = "timeout"


class ApiError(VeritoneError):
    """The API answered with a server error or something that is not GraphQL JSON."""

    error = "api_error"


class NotAllowed(ApiError):
    """The token is valid but lacks the right for this operation (Veritone's ``not_allowed``).

    Shown as an API error; the session stays. ``result`` is the GraphQL response.
    """

    def __init__(self, description: str | None = None, result: dict | None = None) -> None:
        super().__init__(description=description)
        self.result = result or {}

    @property
    def message(self) -> str:
        return "Your Veritone account does not have the right to do this. You are still signed in."
