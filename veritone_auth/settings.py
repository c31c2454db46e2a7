"""Which Veritone to talk to, as which app: environments and the page's config.

The deployed page reads a committed ``config.json``; ``serve.py`` hands the
page a config that points at the local stand-in. Each environment knows its
authorize endpoint, its GraphQL endpoint and whether the ``state`` echo is
required (Veritone documents the echo only for the code flow, so this is a
switch, on by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

AUTHORIZE_PATH = "/v1/admin/oauth/authorize"
GRAPHQL_PATH = "/v3/graphql"

# The only scope Veritone accepts (guide: "Authorization Link Components").
SCOPE = "all"


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

    @property
    def configured(self) -> bool:
        return bool(self.client_id)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Settings:
        """Build settings from the parsed ``config.json``; raise ValueError if it is wrong."""
        name = config.get("environment", "us")
        if name not in ENVIRONMENTS:
            raise ValueError(f"unknown environment {name!r}; use one of {sorted(ENVIRONMENTS)}")
        environment = ENVIRONMENTS[name]
        if base_url := config.get("base_url"):
            environment = Environment(name, environment.label, str(base_url).rstrip("/"))
        if "require_state" in config:
            environment = Environment(
                environment.name,
                environment.label,
                environment.base_url,
                bool(config["require_state"]),
            )
        client_id = config.get("client_id") or ""
        redirect_uri = config.get("redirect_uri") or None
        if not isinstance(client_id, str) or (redirect_uri and not isinstance(redirect_uri, str)):
            raise ValueError("client_id and redirect_uri must be strings")
        return cls(environment, client_id.strip(), redirect_uri)


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
