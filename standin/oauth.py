"""The authorization endpoint's rules, enforced by oauthlib (RFC 6749 §4.2).

``Validator`` answers oauthlib's questions from the stand-in's registry of
apps; oauthlib's ``MobileApplicationServer`` does the validation and builds
the redirects. Two things are added on top, both to behave as Veritone does:
the fragment carries no ``expires_in`` or ``scope``, and the response mode is
always the fragment, whatever the request asks. With ``echo_state`` off it
answers like the guide's implicit sample, ``#access_token=…&token_type=Bearer``,
with no ``state`` in success or error responses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from oauthlib.common import Request
from oauthlib.oauth2 import MobileApplicationServer, RequestValidator
from oauthlib.oauth2.rfc6749 import errors

from .tokens import TokenIssuer

# oauthlib refuses http:// request URIs; the stand-in only ever listens on loopback.
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

SCOPE = "all"


@dataclass(frozen=True)
class App:
    """A registered Veritone app: its client id, redirect URIs, and grant permission."""

    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
    implicit_allowed: bool = True


@dataclass(frozen=True)
class User:
    id: str
    email: str
    password: str
    first_name: str
    last_name: str
    organization_id: str
    organization_name: str

    @property
    def name(self) -> str:
        return self.email  # Veritone's me.name is often the login email


DEMO_CLIENT_ID = "e6ac4220-5898-456b-b6ae-ff4f4bb6b9bf"
DEMO_USER = User(
    id="8a10f21a-fc69-4857-890e-b03fde5dbeb3",
    email="demo@example.com",
    password="demo",
    first_name="Demo",
    last_name="User",
    organization_id="7682",
    organization_name="Demo Organization",
)


@dataclass
class Registry:
    """The apps and users the stand-in knows."""

    apps: dict[str, App] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def add(self, app: App) -> None:
        self.apps[app.client_id] = app


class Validator(RequestValidator):
    """oauthlib's questions, answered from the registry."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry

    def validate_client_id(self, client_id: str, request: Request, *args: Any, **kwargs: Any) -> bool:
        app = self.registry.apps.get(client_id)
        request.client = app
        return app is not None

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        # Exact string match, as Veritone does: no prefix, port or scheme leeway.
        return redirect_uri in self.registry.apps[client_id].redirect_uris

    def get_default_redirect_uri(self, client_id: str, request: Request, *args: Any, **kwargs: Any) -> None:
        return None  # a missing redirect_uri is an error page, never a guess

    def validate_response_type(
        self, client_id: str, response_type: str, client: App, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        return response_type == "token" and client.implicit_allowed

    def get_default_scopes(self, client_id: str, request: Request, *args: Any, **kwargs: Any) -> list[str]:
        return []

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: App, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        return scopes == [SCOPE]

    def save_token(self, token: dict[str, Any], request: Request, *args: Any, **kwargs: Any) -> None:
        pass  # tokens are self-contained JWTs; revocation is tracked by jti


def _veritone_fragment(token: dict[str, Any], token_handler: Any, request: Request) -> dict[str, Any]:
    """Veritone's fragment has access_token, token_type (and state): no expires_in or scope."""
    token.pop("expires_in", None)
    token.pop("scope", None)
    if not getattr(request, "echo_state", True):
        token.pop("state", None)
    return token


# The errors the authorize endpoint can be told to answer with (StandinOptions.authorize_fault).
FAULTS: dict[str, type[errors.OAuth2Error]] = {
    "access_denied": errors.AccessDeniedError,  # as the user's Deny
    "server_error": errors.ServerError,
    "temporarily_unavailable": errors.TemporarilyUnavailableError,
}


class AuthorizationServer:
    """Validates authorization requests and issues tokens for a signed-in user."""

    def __init__(self, registry: Registry, issuer: TokenIssuer) -> None:
        self.registry = registry
        self.issuer = issuer
        # A fault knob for tests: None, or an error id of FAULTS, answered to every request.
        self.fault: str | None = None
        self.echo_state = True
        self.server = MobileApplicationServer(
            Validator(registry), token_generator=self._generate, token_expires_in=issuer.ttl
        )
        grant = self.server.response_types["token"]
        grant.custom_validators.pre_auth.append(self._pre_auth)
        grant.register_token_modifier(_veritone_fragment)

    def _pre_auth(self, request: Request) -> dict[str, Any]:
        request.response_mode = "fragment"  # a token never goes in a query string
        request.echo_state = self.echo_state
        if self.fault is not None:
            raise FAULTS[self.fault](request=request)
        return {}

    def _generate(self, request: Request) -> str:
        user: User = request.user
        origin = urlsplit(request.redirect_uri).hostname or ""
        return self.issuer.issue(user.id, request.client_id, origin)

    def validate(self, uri: str) -> tuple[App, dict[str, Any]]:
        """Validate an authorization request URI.

        Raises ``errors.FatalClientError`` (show an error page, never
        redirect) or another ``errors.OAuth2Error`` (redirect with the error
        in the fragment, see ``error_redirect``).
        """
        _scopes, info = self.server.validate_authorization_request(uri, http_method="GET")
        return self.registry.apps[info["client_id"]], info

    def authorize(self, uri: str, user: User) -> str:
        """Issue a token for ``user`` and return the redirect Location."""
        headers, _body, _status = self.server.create_authorization_response(
            uri, http_method="GET", scopes=[SCOPE], credentials={"user": user}
        )
        return headers["Location"]

    def error_redirect(self, redirect_uri: str, error: errors.OAuth2Error) -> str:
        """Return the Location that reports ``error`` in the fragment (§4.2.2.1)."""
        from oauthlib.common import add_params_to_uri

        params = [(k, v) for k, v in error.twotuples if self.echo_state or k != "state"]
        return add_params_to_uri(redirect_uri, params, fragment=True)
