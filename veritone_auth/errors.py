"""Errors of the implicit flow, keyed by their OAuth ``error`` id, each with a human message.

    VeritoneError                 every error: ``error`` id, ``message``, ``description``
    ├── AuthorizationError        the response carried an error, or cannot be trusted (§4.2.2.1)
    │   ├── AccessDenied          access_denied: the user chose Deny
    │   ├── StateMismatch         state_mismatch: not asked for by this tab (§10.12)
    │   └── InvalidCallback       invalid_callback: a malformed response
    ├── PopupBlocked              popup_blocked
    ├── PopupClosed               popup_closed
    ├── NotConfigured             not_configured
    ├── StorageUnavailable        storage_unavailable
    ├── TokenExpired              token_expired
    ├── InvalidToken              invalid_token: the API refused the token
    ├── NetworkError              network_error: the API could not be reached
    │   └── Timeout               timeout
    └── ApiError                  api_error: the API's answer is a failure or malformed
        └── NotAllowed            (api_error) Veritone's not_allowed: a right is missing

The seven ids of RFC 6749 §4.2.2.1 come back from Veritone in the fragment;
their text follows the Veritone guide's ("Possible Errors"). The others are
raised by this client (``docs/page-contract.md``, ``#auth-error``). A page
shows ``message`` and, as plain text, any ``description`` the server sent::

    from veritone_auth.errors import error_for, PopupBlocked

    error = error_for("popup_blocked")     # a PopupBlocked: catch it by type or by id
    error.error, error.message
"""

from __future__ import annotations

# RFC 6749 §4.2.2.1, worded as in Veritone's guide; access_denied as the user's own choice.
OAUTH_ERRORS: dict[str, str] = {
    "invalid_request": "The request is missing a necessary parameter or the parameter has an invalid value.",
    "unauthorized_client": "The Client ID is invalid or the client is not authorized to request an access token using this method.",
    "access_denied": "Sign-in was declined at Veritone, so you are not signed in. Sign in again whenever you like.",
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
    "popup_closed": "The sign-in popup was closed before sign-in finished, or the login page hid it from this page. If it is still open, finish signing in there; otherwise sign in again.",
    "network_error": "The Veritone API could not be reached. Check your connection and try again.",
    "timeout": "The Veritone API took too long to answer, so the request was stopped. You are still signed in: try again in a moment.",
    "api_error": "The Veritone API failed to answer. Try again in a moment.",
    "not_allowed": "Your Veritone account does not have the right to do this. You are still signed in.",
    "not_configured": "This page has no Veritone client id configured yet.",
    "cancelled": "The query was cancelled.",
}

UNKNOWN_ERROR = "Veritone reported an error this page does not know."


def error_message(error: str) -> str:
    """Return the human message for an error id."""
    return OAUTH_ERRORS.get(error) or CLIENT_ERRORS.get(error) or UNKNOWN_ERROR


class VeritoneError(Exception):
    """Base of every error the flow raises: an id, its message and optional detail.

    ``description`` is untrusted text from a server; render it as text only.
    It never contains the access token.
    """

    error = "api_error"

    def __init__(self, error: str | None = None, description: str | None = None) -> None:
        if error is not None:
            self.error = error
        self.description = description
        super().__init__(self.error if description is None else f"{self.error}: {description}")

    @property
    def message(self) -> str:
        return error_message(self.error)


class AuthorizationError(VeritoneError):
    """The authorization response carried an error, or could not be trusted (§4.2.2.1).

    ``uri`` is the response's ``error_uri``, kept only if it is ``https:``.
    """

    error = "invalid_callback"

    def __init__(
        self, error: str | None = None, description: str | None = None, uri: str | None = None
    ) -> None:
        super().__init__(error, description)
        self.uri = uri


class AccessDenied(AuthorizationError):
    error = "access_denied"


class StateMismatch(AuthorizationError):
    error = "state_mismatch"


class InvalidCallback(AuthorizationError):
    error = "invalid_callback"


class PopupBlocked(VeritoneError):
    error = "popup_blocked"


class PopupClosed(VeritoneError):
    error = "popup_closed"


class NotConfigured(VeritoneError):
    error = "not_configured"


class StorageUnavailable(VeritoneError):
    """sessionStorage is blocked, throws, or is full."""

    error = "storage_unavailable"


class TokenExpired(VeritoneError):
    """The held token is past its expiry; it has been deleted."""

    error = "token_expired"


class InvalidToken(VeritoneError):
    """The API refused the token (``authentication_error`` or HTTP 401); it has been deleted."""

    error = "invalid_token"


class NetworkError(VeritoneError):
    """The API could not be reached: network down, DNS, or a CORS refusal. The token is kept."""

    error = "network_error"


class Timeout(NetworkError):
    """The API did not answer in time; the request was given up. The token is kept."""

    error = "timeout"


class ApiError(VeritoneError):
    """The API answered with a failure, or with something that is not a GraphQL answer."""

    error = "api_error"


class NotAllowed(ApiError):
    """The token is valid but lacks the right for this operation (Veritone's ``not_allowed``).

    The session stays. Its id is ``api_error`` (the page contract's), its
    message its own; ``result`` is the GraphQL answer, to show as it came.
    """

    def __init__(self, description: str | None = None, result: dict[str, object] | None = None) -> None:
        super().__init__(description=description)
        self.result = result or {}

    @property
    def message(self) -> str:
        return error_message("not_allowed")


# The class of each id that has one: error_for() picks it, so an error keeps its type
# whichever way it was made.
CLASSES: dict[str, type[VeritoneError]] = {
    cls.error: cls
    for cls in (
        AccessDenied,
        StateMismatch,
        InvalidCallback,
        PopupBlocked,
        PopupClosed,
        NotConfigured,
        StorageUnavailable,
        TokenExpired,
        InvalidToken,
        NetworkError,
        Timeout,
        ApiError,
    )
}


def error_for(error: str, description: str | None = None) -> VeritoneError:
    """Return the error of id ``error``: an instance of its class if it has one."""
    cls = CLASSES.get(error)
    if cls is None:
        return VeritoneError(error, description)
    return cls(description=description)


def response_error(error: str, description: str | None = None, uri: str | None = None) -> AuthorizationError:
    """Return the error of an authorization response (§4.2.2.1) or of its checks."""
    cls = CLASSES.get(error)
    chosen = cls if cls is not None and issubclass(cls, AuthorizationError) else AuthorizationError
    return chosen(error, description, uri)
