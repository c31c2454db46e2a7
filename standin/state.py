"""The stand-in's state and knobs: what it registers, its tokens and sessions, and held-back answers.

One ``Standin`` lives as long as its server; tests turn its knobs between cases
with ``apply()`` instead of starting a new server.

    standin = Standin(StandinOptions(redirect_uris=["http://localhost:8000/"]))
    standin.apply(StandinOptions(api_latency=2.0))  # the API now answers after 2 s
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .api import GraphQLApi
from .oauth import DEMO_CLIENT_ID, DEMO_USER, FAULTS, App, AuthorizationServer, Registry
from .tokens import DEFAULT_TTL, TokenIssuer


@dataclass
class StandinOptions:
    """What the stand-in registers, and the knobs tests turn."""

    token_ttl: int = DEFAULT_TTL
    redirect_uris: list[str] = field(default_factory=list)
    # Fault knobs: None, or an error id the authorize endpoint answers (oauth.FAULTS).
    authorize_fault: str | None = None
    api_latency: float = 0.0
    api_status: int | None = None  # 500 or 503: the API fails with this status
    unauthorized_as_401: bool = False  # answer bad tokens as some gateways do
    # False: answer like the guide's implicit sample, with no state in the fragment.
    echo_state: bool = True
    # False: the REST logout endpoint fails (500), so only GraphQL userLogout works.
    rest_logout: bool = True
    # True: the login page (and its redirects) send Cross-Origin-Opener-Policy: same-origin, as
    # more and more identity providers do: a popup's opener then loses its handle to it.
    coop: bool = False
    # Not None: every GraphQL request is answered 200 with these bytes (malformed, huge, deep).
    api_body: bytes | None = None


class Standin:
    """The stand-in's state: registry, tokens, sessions and options."""

    def __init__(self, options: StandinOptions) -> None:
        self.options = options
        self.issuer = TokenIssuer(options.token_ttl)
        self.registry = Registry()
        self.registry.add(App(DEMO_CLIENT_ID, "Sign in with Veritone demo", tuple(options.redirect_uris)))
        self.registry.users[DEMO_USER.email] = DEMO_USER
        self.oauth = AuthorizationServer(self.registry, self.issuer)
        self.api = GraphQLApi(self.registry, self.issuer)
        self.sessions: dict[str, str] = {}
        self.csrf_key = secrets.token_bytes(32)
        self.log: list[str] = []
        self.referers: list[str] = []
        # API answers held back by api_latency right now, each until its time or release().
        self._stalls: set[threading.Event] = set()
        self._lock = threading.Lock()

    def stall(self) -> None:
        """Hold an API answer back for ``api_latency`` seconds, as a stalled network does."""
        if not self.options.api_latency:
            return
        released = threading.Event()
        with self._lock:
            self._stalls.add(released)
        try:
            released.wait(self.options.api_latency)
        finally:
            with self._lock:
                self._stalls.discard(released)

    @property
    def stalled(self) -> int:
        """How many API answers are being held back now."""
        with self._lock:
            return len(self._stalls)

    def release(self) -> None:
        """Let every held-back answer go now (new knobs, or shutting down)."""
        with self._lock:
            for released in self._stalls:
                released.set()
            self._stalls.clear()

    def apply(self, options: StandinOptions) -> None:
        """Take new knob settings (tests change them between cases)."""
        if options.authorize_fault is not None and options.authorize_fault not in FAULTS:
            known = sorted(FAULTS)
            raise ValueError(f"authorize_fault must be one of {known}, not {options.authorize_fault!r}")
        self.release()
        self.options = options
        self.issuer.ttl = options.token_ttl
        self.oauth.fault = options.authorize_fault
        self.oauth.echo_state = options.echo_state

    @property
    def page_origins(self) -> set[str]:
        origins = set()
        for app in self.registry.apps.values():
            for uri in app.redirect_uris:
                parts = urlsplit(uri)
                origins.add(f"{parts.scheme}://{parts.netloc}")
        return origins

    def csrf_token(self, nonce: str) -> str:
        return hmac.new(self.csrf_key, nonce.encode(), hashlib.sha256).hexdigest()
