"""The implicit flow as the page runs it: begin, complete, use, expire, sign out.

``ImplicitFlow`` ties the pure pieces together over one ``TokenStore`` and
records each step in a ``FlowLog``. It never touches the DOM or the network
directly: the API client is made by an injected factory, so the page hands
it a pyodide-http-backed client and the tests a client of a local server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .errors import AuthorizationError, InvalidToken, TokenExpired, VeritoneError
from .events import FlowLog
from .grant import authorization_params, authorization_url, callback_params, parse_callback
from .settings import Settings, page_redirect_uri
from .store import STATE_KEY, TOKEN_KEY, TokenStore
from .tokens import Token, mask

if TYPE_CHECKING:
    from .client import VeritoneClient

T = TypeVar("T")
ClientFactory = Callable[[str, str], "VeritoneClient"]

PARAMETER_NOTES = {
    "response_type": "ask for an access token in the fragment (the implicit grant)",
    "client_id": "the app's public Client ID from Veritone Developer",
    "redirect_uri": "where Veritone sends the browser back; must match the app's registration exactly",
    "scope": "the only scope Veritone accepts",
    "state": "a fresh random value this tab checks on return (CSRF protection)",
}


def default_client(api_url: str, token: str) -> VeritoneClient:
    """Make a client; imported on first use, since urllib.request is slow to import."""
    from .client import VeritoneClient

    return VeritoneClient(api_url, token)


def _short(value: str) -> str:
    return f"{value[:8]}…" if len(value) > 12 else value


# Response parameters the inspector shows as they came; anything else is masked.
_SHOWN_AS_IS = {"token_type", "error", "error_description", "error_uri", "expires_in", "scope"}


def _shown_params(fragment: str) -> dict[str, str]:
    """Return a response's parameters as the inspector may show them.

    The state is shortened, and every value that is not a known harmless
    parameter is masked: a token can arrive under any name.
    """
    try:
        params = callback_params(fragment)
    except AuthorizationError as error:
        return {"(malformed)": error.description or ""}
    shown = {}
    for name, value in params.items():
        if name in _SHOWN_AS_IS:
            shown[name] = value[:80]
        elif name == "state":
            shown[name] = _short(value)
        else:
            shown[name[:40]] = mask(value)
    return shown or {"(empty)": ""}


class ImplicitFlow:
    """Sign-in state of one browser tab."""

    def __init__(
        self,
        settings: Settings,
        store: TokenStore,
        *,
        log: FlowLog | None = None,
        clock: Callable[[], float] = time.time,
        client_factory: ClientFactory = default_client,
    ) -> None:
        self.settings = settings
        self.store = store
        self.log = log or FlowLog()
        self.clock = clock
        self.client_factory = client_factory

    def _emit(self, step: str, summary: str, **details: object) -> None:
        self.log.emit(step, self.clock(), summary, **details)

    def redirect_uri(self, page_url: str) -> str:
        return self.settings.redirect_uri or page_redirect_uri(page_url)

    def begin(self, page_url: str, mode: str = "redirect") -> str:
        """Store a fresh state and return the authorization URL to send the user to."""
        if not self.settings.configured:
            raise VeritoneError("not_configured")
        env = self.settings.environment
        redirect_uri = self.redirect_uri(page_url)
        url, state = authorization_url(env.authorize_url, self.settings.client_id, redirect_uri)
        self.store.save_state(state)
        params = authorization_params(self.settings.client_id, redirect_uri, _short(state))
        self._emit(
            "authorize_url",
            f"Built the authorization request to {env.authorize_url}",
            **{name: f"{value}: {PARAMETER_NOTES[name]}" for name, value in params.items()},
        )
        self._emit(
            "leave",
            f"Sent the browser to {env.label} by {mode}",
            mode=mode,
            stored=f"state in sessionStorage[{STATE_KEY!r}]",
        )
        return url

    def complete(self, fragment: str) -> Token:
        """Finish sign-in from a redirect URI's fragment; store and return the token.

        The pending state is removed first, whatever happens next, so a
        response can be used once at most. On any error nothing is stored and
        a token already held is left as it was.
        """
        expected = self.store.pop_state()
        self._emit("callback", "Came back from Veritone with a fragment", **_shown_params(fragment))
        try:
            response = parse_callback(
                fragment, expected, require_state=self.settings.environment.require_state
            )
        except AuthorizationError as error:
            if error.error == "state_mismatch":
                self._emit("state_check", "State check failed: response rejected", result="mismatch")
            else:
                self._emit("state_check", "State matched")
                self._emit("error", f"Sign-in failed: {error.error}", error=error.error)
            raise
        self._emit("state_check", "State matched the one this tab sent", result="match")
        token = Token.from_response(response, self.clock())
        if token.expired(self.clock()):
            raise TokenExpired(description="The token had expired when it arrived.")
        self.store.save(token)
        self._emit(
            "token_stored",
            f"Stored the token in sessionStorage[{TOKEN_KEY!r}]",
            token=token.masked,
            expires=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)),
            expiry_from=token.expiry_source,
        )
        return token

    def current(self) -> Token | None:
        """Return the held token if it is still valid; delete it and raise if it expired."""
        token = self.store.load()
        if token is not None and token.expired(self.clock()):
            self.store.clear_token()
            self._emit("token_expired", "The token expired and was deleted", token=token.masked)
            raise TokenExpired()
        return token

    def call(self, operation: str, run: Callable[[VeritoneClient], T]) -> T:
        """Run an API call with the held token, checking expiry first.

        An ``InvalidToken`` answer deletes the token before it propagates, so
        the page is never left holding a token the API has refused.
        """
        token = self.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        client = self.client_factory(self.settings.environment.api_url, token.access_token)
        started = self.clock()
        outcome = "ok"
        try:
            return run(client)
        except InvalidToken:
            outcome = "invalid_token: token deleted"
            self.store.clear_token()
            raise
        except VeritoneError as error:
            outcome = error.error
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

    def sign_out(self) -> Token | None:
        """Forget the token and the flow log; return the token so it can be revoked."""
        token = self.store.load()
        self.store.clear_token()
        self.log.clear()
        self._emit(
            "sign_out",
            "Signed out: token deleted from sessionStorage",
            token=token.masked if token else "(none)",
        )
        return token

    def revoke(self, token: Token) -> bool:
        """Ask Veritone to invalidate a token with ``userLogout``; best effort."""
        client = self.client_factory(self.settings.environment.api_url, token.access_token)
        try:
            done = client.logout()
        except VeritoneError as error:
            self._emit("revoke", "Revoking the token failed", result=error.error)
            return False
        self._emit("revoke", "Revoked the token with userLogout", token=mask(token.access_token))
        return done
