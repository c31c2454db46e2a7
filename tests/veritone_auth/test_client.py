"""VeritoneClient against the real stand-in: results, and each failure as its error."""

from __future__ import annotations

import asyncio

import pytest

from standin.server import StandinServer
from tests.harness import free_port
from tests.standin.conftest import Raw, issue_token
from tests.veritone_auth.awaiting import run
from veritone_auth.api import (
    ApiRequest,
    ApiResponse,
    User,
    graphql_request,
    logout_request,
    read_graphql,
    read_logout,
)
from veritone_auth.client import AsyncVeritoneClient, VeritoneClient
from veritone_auth.errors import ApiError, InvalidToken, NetworkError, NotAllowed, Timeout
from veritone_auth.transport import Send, urllib_send


def via(urlopen: object, **options: object) -> Send:
    """urllib_send over a stand-in for urlopen."""
    return lambda request, timeout: urllib_send(request, timeout, urlopen=urlopen, **options)  # type: ignore[arg-type]


def client(server: StandinServer, token: str) -> VeritoneClient:
    return VeritoneClient(f"http://localhost:{server.server_port}/v3/graphql", token)


def test_me(standin: StandinServer, raw: Raw) -> None:
    data = client(standin, issue_token(raw)).me()
    assert data["me"]["email"] == "demo@example.com"
    assert data["me"]["organization"]["name"] == "Demo Organization"


def test_execute_returns_graphql_errors_for_a_bad_query(standin: StandinServer, raw: Raw) -> None:
    result = client(standin, issue_token(raw)).execute("{ nope }")
    assert result["errors"][0]["message"]


def test_data_raises_api_error_on_graphql_errors(standin: StandinServer, raw: Raw) -> None:
    with pytest.raises(ApiError):
        client(standin, issue_token(raw)).data("{ nope }")


def test_authentication_error_is_invalid_token(standin: StandinServer) -> None:
    with pytest.raises(InvalidToken) as caught:
        client(standin, "garbage").me()
    assert caught.value.error == "invalid_token"


def test_http_401_is_invalid_token(standin: StandinServer) -> None:
    standin.standin.options.unauthorized_as_401 = True
    with pytest.raises(InvalidToken):
        client(standin, "garbage").me()


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_api_error(standin: StandinServer, status: int) -> None:
    standin.standin.options.api_status = status
    with pytest.raises(ApiError) as caught:
        client(standin, "x").me()
    assert str(status) in caught.value.description


def test_unreachable_api_is_network_error() -> None:
    api = VeritoneClient(f"http://127.0.0.1:{free_port()}/v3/graphql", "secret-token-value")
    with pytest.raises(NetworkError) as caught:
        api.me()
    assert "secret-token-value" not in str(caught.value)


def test_a_slow_api_is_a_timeout_and_says_so(standin: StandinServer, raw: Raw) -> None:
    token = issue_token(raw)
    standin.standin.options.api_latency = 5.0
    api = VeritoneClient(f"http://localhost:{standin.server_port}/v3/graphql", token, timeout=0.2)
    with pytest.raises(Timeout) as caught:
        api.me()
    assert caught.value.error == "timeout"
    assert "took too long" in caught.value.message and "still signed in" in caught.value.message
    assert token not in str(caught.value)


# --- the awaited client: the same rules, another transport ---------------------------


async def threaded_send(request: ApiRequest, timeout: float) -> ApiResponse:
    """CPython's stand-in for the browser's fetch: urllib in a thread, awaited."""
    return await asyncio.to_thread(urllib_send, request, timeout)


def async_client(server: StandinServer, token: str, timeout: float = 5.0) -> AsyncVeritoneClient:
    url = f"http://localhost:{server.server_port}/v3/graphql"
    return AsyncVeritoneClient(url, token, send=threaded_send, timeout=timeout)


def test_async_me(standin: StandinServer, raw: Raw) -> None:
    data = run(async_client(standin, issue_token(raw)).me())
    assert data["me"]["email"] == "demo@example.com"


def test_async_refused_token_is_invalid_token(standin: StandinServer) -> None:
    with pytest.raises(InvalidToken):
        run(async_client(standin, "garbage").me())


def test_async_timeout(standin: StandinServer, raw: Raw) -> None:
    token = issue_token(raw)
    standin.standin.options.api_latency = 5.0
    with pytest.raises(Timeout):
        run(async_client(standin, token, timeout=0.2).me())


@pytest.mark.parametrize("method", ["logout", "user_logout"])
def test_async_logout_revokes(standin: StandinServer, raw: Raw, method: str) -> None:
    token = issue_token(raw)
    assert run(getattr(async_client(standin, token), method)()) is True
    with pytest.raises(InvalidToken):
        client(standin, token).me()


def test_the_rules_are_pure_functions() -> None:
    request = graphql_request("https://api.example/v3/graphql", "tok", "{ me { id } }")
    assert request.method == "POST" and request.headers["Authorization"] == "Bearer tok"
    assert b"tok" not in request.body
    assert read_graphql(ApiResponse(200, b'{"data": {"me": {"id": "1"}}}')) == {"data": {"me": {"id": "1"}}}
    with pytest.raises(InvalidToken):
        read_graphql(ApiResponse(200, b'{"errors": [{"name": "authentication_error"}]}'))
    with pytest.raises(ApiError):
        read_graphql(ApiResponse(502, b"Bad gateway"))
    assert logout_request("https://api.example/v3/graphql", "a:b").url.endswith("/token/a%3Ab/logout")
    assert read_logout(ApiResponse(204)) is True


def test_non_graphql_body_is_api_error() -> None:
    class Reply:
        status = 200

        def __enter__(self) -> Reply:
            return self

        def __exit__(self, *args: object) -> None:
            pass

        def read(self, amount: int = -1) -> bytes:
            return b"<html>proxy error</html>"

    with pytest.raises(ApiError):
        VeritoneClient("https://api.example/v3/graphql", "t", send=via(lambda *a, **k: Reply())).me()


def test_injected_network_error_types_count() -> None:
    class JsException(Exception):  # stands for pyodide.ffi.JsException
        pass

    def fail(*args: object, **kwargs: object) -> None:
        raise JsException("NetworkError: XMLHttpRequest failed")

    api = VeritoneClient("https://api.example/v3/graphql", "t", send=via(fail, network_errors=(JsException,)))
    with pytest.raises(NetworkError):
        api.me()


@pytest.mark.parametrize("method", ["logout", "user_logout"])
def test_logout_revokes(standin: StandinServer, raw: Raw, method: str) -> None:
    token = issue_token(raw)
    assert getattr(client(standin, token), method)() is True
    with pytest.raises(InvalidToken):
        client(standin, token).me()


def test_rest_logout_failure_is_an_api_error(standin: StandinServer, raw: Raw) -> None:
    from standin.server import StandinOptions
    from tests.standin.conftest import PAGE

    token = issue_token(raw)
    standin.standin.apply(StandinOptions(redirect_uris=[PAGE], rest_logout=False))
    with pytest.raises(ApiError) as caught:
        client(standin, token).logout()
    assert token not in str(caught.value)
    assert client(standin, token).user_logout() is True


def test_rest_logout_url_is_the_sdk_one() -> None:
    seen = {}

    def capture(request: object, timeout: float) -> None:
        seen["url"], seen["method"] = request.full_url, request.get_method()
        raise OSError("stop")

    with pytest.raises(NetworkError) as caught:
        VeritoneClient("https://api.example/v3/graphql", "a:b-c", send=via(capture)).logout()
    assert seen == {"url": "https://api.example/v1/admin/token/a%3Ab-c/logout", "method": "GET"}
    assert "a:b" not in str(caught.value) and "a%3Ab" not in str(caught.value)


@pytest.mark.parametrize("token", ["..", ".", "...", "a/b", "../logout", "a%2Fb", "a b", "a?b", "a#b"])
def test_a_path_shaped_token_never_becomes_a_logout_url(token: str) -> None:
    with pytest.raises(ValueError):
        logout_request("https://api.example/v3/graphql", token)


def test_not_allowed_is_an_api_error_and_the_token_is_kept(standin: StandinServer, raw: Raw) -> None:
    token = issue_token(raw)
    api = client(standin, token)
    with pytest.raises(NotAllowed) as caught:
        api.execute('mutation { deleteTemporalDataObject(id: "1") { id } }')
    assert caught.value.error == "api_error"
    assert "right" in caught.value.message and "still signed in" in caught.value.message
    assert caught.value.result["errors"][0]["name"] == "not_allowed"
    assert api.me()["me"]["email"] == "demo@example.com"


def test_token_only_in_the_authorization_header() -> None:
    seen = {}

    def capture(request: object, timeout: float) -> None:
        seen["url"] = request.full_url
        seen["headers"] = dict(request.header_items())
        seen["body"] = request.data
        raise OSError("stop")

    with pytest.raises(NetworkError):
        VeritoneClient("https://api.example/v3/graphql", "tok123", send=via(capture)).me()
    assert "tok123" not in seen["url"]
    assert seen["headers"]["Authorization"] == "Bearer tok123"
    assert b"tok123" not in seen["body"]


def test_refuses_non_http_api_urls() -> None:
    with pytest.raises(ValueError):
        VeritoneClient("file:///etc/passwd", "t")


def test_a_refused_token_is_reported_to_the_client_s_owner(standin: StandinServer) -> None:
    refused = []
    api = client(standin, "garbage")
    api.on_invalid_token = lambda: refused.append(True)
    with pytest.raises(InvalidToken):
        api.me()
    assert refused == [True]


def test_the_user_is_typed(standin: StandinServer, raw: Raw) -> None:
    user = client(standin, issue_token(raw)).user()
    assert (user.email, user.organization) == ("demo@example.com", "Demo Organization")
    assert user.id and user.name and user.organization_id
    with pytest.raises(ApiError):
        User.from_me({"me": None})
    assert User.from_me({"me": {"email": "e@x", "organization": "not a dict"}}).name == "e@x"
