"""A stand-in on a free loopback port, and raw HTTP that never follows redirects."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from standin.oauth import DEMO_CLIENT_ID
from standin.server import StandinOptions, StandinServer, serve_standin
from tests.harness import free_port

PAGE = "http://127.0.0.1:8765/app/"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def fragment(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.location or "").fragment))

    def json(self) -> Any:
        return json.loads(self.body)


class Raw:
    """Sends requests exactly as given to the stand-in, with an optional cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection("localhost", self.port, timeout=10)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read())
        connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return answer

    def authorize(self, **params: str) -> Answer:
        return self.request("GET", "/v1/admin/oauth/authorize?" + urlencode(params))

    def graphql(
        self, query: str, token: str | None = None, variables: dict[str, Any] | None = None
    ) -> Answer:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return self.request("POST", "/v3/graphql", body, headers)


def request_params(**overrides: str | None) -> dict[str, str]:
    params = {
        "response_type": "token",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": PAGE,
        "scope": "all",
        "state": "s-123",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture(scope="module")
def server() -> Iterator[StandinServer]:
    server = serve_standin(free_port(), StandinOptions(redirect_uris=[PAGE]))
    yield server
    server.shutdown()


@pytest.fixture
def standin(server: StandinServer) -> Iterator[StandinServer]:
    server.standin.apply(StandinOptions(redirect_uris=[PAGE]))
    server.standin.sessions.clear()
    yield server
    server.standin.apply(StandinOptions(redirect_uris=[PAGE]))


@pytest.fixture
def raw(standin: StandinServer) -> Raw:
    return Raw(standin.server_port)


def csrf_of(form: Answer) -> str:
    """The CSRF token the login form carries."""
    return form.body.decode().split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post_form(raw: Raw, fields: dict[str, str], params: dict[str, str] | None = None) -> Answer:
    """POST the login form's fields back to the authorization request's URL."""
    return raw.request(
        "POST",
        "/v1/admin/oauth/authorize?" + urlencode(params or request_params()),
        urlencode(fields).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )


def log_in(raw: Raw, decision: str = "allow", password: str = "demo", **overrides: str | None) -> Answer:
    """GET the login form, then POST it back as a person would."""
    params = request_params(**overrides)
    form = raw.authorize(**params)
    assert form.status == 200, form.body
    fields = {"username": "demo@example.com", "password": password, "decision": decision}
    return post_form(raw, {"csrf_token": csrf_of(form), **fields}, params)


def issue_token(raw: Raw) -> str:
    answer = log_in(raw)
    assert answer.status == 302
    return answer.fragment["access_token"]
