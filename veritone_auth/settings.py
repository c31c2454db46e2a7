"""Which Veritone to talk to, as which app: environments and the page's config.

The deployed page reads a committed ``config.json``; ``serve.py`` hands the
page a config that points at the local stand-in. Each environment knows its
authorize endpoint, its GraphQL endpoint and whether the ``state`` echo is
required (Veritone documents the echo only for the code flow, so this is a
switch, on by default).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import NotConfigured

if TYPE_CHECKING:  # pathlib imports urllib.parse: ~30 ms a page's start never needs
    from pathlib import Path

AUTHORIZE_PATH = "/v1/admin/oauth/authorize"
GRAPHQL_PATH = "/v3/graphql"

# The only scope Veritone accepts (guide: "Authorization Link Components").
SCOPE = "all"

# A base URL the page may talk to. It is spliced into the CSP's connect-src, so it is
# matched whole against a strict pattern: no quotes, spaces, ";" or anything else that
# could end or widen a directive. Plain http is for the loopback stand-in only.
_BASE_URL = re.compile(
    r"(?:https://[a-z0-9-]+(?:\.[a-z0-9-]+)*|http://(?:localhost|127\.0\.0\.1))"
    r"(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*"
)
_URL = re.compile(r"https?://[\x21-\x7e]+")
_CLIENT_ID = re.compile(r"[A-Za-z0-9._~-]{1,200}")

# Seconds an API request may take before it is given up (config.json's "api_timeout").
DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True)
class Environment:
    """A Veritone deployment: where to authorize and where the API is."""

    name: str
    label: str
    base_url: str
    require_state: bool = True

    @property
    def authorize_url(self) -> str:
        return self.base_url + AUTHORIZE_PATH

    @property
    def api_url(self) -> str:
        return self.base_url + GRAPHQL_PATH

    @property
    def api_origin(self) -> str:
        scheme, _, rest = self.base_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"


ENVIRONMENTS: dict[str, Environment] = {
    env.name: env
    for env in (
        Environment("us", "Veritone (US)", "https://api.veritone.com"),
        Environment("uk", "Veritone (UK)", "https://api.uk.veritone.com"),
        Environment("stage", "Veritone (stage)", "https://api.stage.veritone.com"),
        Environment("standin", "Local Veritone stand-in", "http://localhost:8001"),
    )
}


@dataclass(frozen=True)
class Settings:
    """The app's registration: environment, client id and redirect URI."""

    environment: Environment
    client_id: str = ""
    # None means "this page's own URL", which is what the app registers.
    redirect_uri: str | None = None
    # Seconds an API request may take before it ends in a "timeout" error.
    api_timeout: float = DEFAULT_TIMEOUT

    @property
    def configured(self) -> bool:
        return bool(self.client_id)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Settings:
        """Build settings from the parsed ``config.json``; raise ValueError saying what is wrong."""
        if not isinstance(config, dict):
            raise ValueError("config.json must hold a JSON object")
        name = config.get("environment", "us")
        if name not in ENVIRONMENTS:
            raise ValueError(f"unknown environment {name!r}; use one of {sorted(ENVIRONMENTS)}")
        environment = ENVIRONMENTS[name]
        base_url = environment.base_url
        if (given := config.get("base_url")) is not None:
            base_url = check_base_url(given)
        require_state = config.get("require_state", environment.require_state)
        if not isinstance(require_state, bool):
            raise ValueError("require_state must be true or false (JSON booleans, not strings)")
        environment = Environment(name, environment.label, base_url, require_state)
        client_id = config.get("client_id") or ""
        if not isinstance(client_id, str) or (client_id and not _CLIENT_ID.fullmatch(client_id.strip())):
            raise ValueError("client_id must be the app's Client ID: letters, digits, '-', '.', '_', '~'")
        redirect_uri = config.get("redirect_uri") or None
        if redirect_uri is not None and not (
            isinstance(redirect_uri, str) and _URL.fullmatch(redirect_uri) and "#" not in redirect_uri
        ):
            raise ValueError("redirect_uri must be an absolute http(s) URL without spaces or a fragment")
        api_timeout = config.get("api_timeout", DEFAULT_TIMEOUT)
        if (
            isinstance(api_timeout, bool)
            or not isinstance(api_timeout, int | float)
            or not 0 < api_timeout <= 600
        ):
            raise ValueError("api_timeout must be a number of seconds, more than 0 and at most 600")
        return cls(environment, client_id.strip(), redirect_uri, float(api_timeout))

    def problem_at(self, page_url: str) -> str | None:
        """Say what is wrong with these settings for the page at ``page_url``, or None.

        A configured ``redirect_uri`` must be this page's own origin and path:
        a response sent anywhere else would be read by another page.
        """
        if self.redirect_uri is not None and self.redirect_uri != page_redirect_uri(page_url):
            return (
                f"redirect_uri {self.redirect_uri!r} is not this page's address "
                f"({page_redirect_uri(page_url)!r}); set it to that, or leave it null."
            )
        return None


def check_base_url(value: object) -> str:
    """Return a config's ``base_url`` if it is safe to use and to put in the CSP."""
    text = value.rstrip("/") if isinstance(value, str) else ""
    if not _BASE_URL.fullmatch(text):
        raise ValueError(
            f"base_url {str(value)[:80]!r} is not usable: it must be https://host[:port][/path] "
            "(plain http only for localhost or 127.0.0.1), with no quotes, spaces or ';'"
        )
    return text


def page_redirect_uri(page_url: str) -> str:
    """Return the redirect URI for a page: its URL without query, fragment or index.html.

    RFC 6749 §3.1.2 forbids a fragment in the redirect URI, and Veritone matches
    it exactly, so ``/app/`` and ``/app/index.html`` must map to one value.
    """
    from urllib.parse import urlsplit, urlunsplit  # here, not at the top: slow to import in Pyodide

    parts = urlsplit(page_url)
    path = parts.path or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def read_settings(config: str | Path | Mapping[str, Any]) -> Settings:
    """Settings from a config file's path or its parsed contents; unusable is ``NotConfigured``."""
    try:
        if isinstance(config, Mapping):
            return Settings.from_config(dict(config))
        with open(config, encoding="utf-8") as file:
            return Settings.from_config(json.load(file))
    except (OSError, ValueError) as exc:  # json's errors are ValueErrors too
        raise NotConfigured(description=f"config.json is not usable: {exc}") from None


def link_is_from(uri: str, origin: str) -> bool:
    """Say whether ``uri`` is on ``origin``: an error_uri the page's own error box may link.

    Anyone who can put a response in the tab chooses its error_uri, so the
    link may only lead to the configured Veritone.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        return f"{parts.scheme}://{parts.netloc}" == origin and not parts.username and not parts.password
    except ValueError:
        return False
