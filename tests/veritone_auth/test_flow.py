"""ImplicitFlow: begin, complete, use, expire and sign out, with the steps it records."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from standin.server import StandinServer
from tests.standin.conftest import Raw, issue_token
from tests.veritone_auth.tokens_for_tests import make_jwt
from veritone_auth.errors import InvalidToken, StorageUnavailable, TokenExpired, VeritoneError
from veritone_auth.events import FlowLog
from veritone_auth.flow import ImplicitFlow
from veritone_auth.settings import Settings
from veritone_auth.store import STATE_KEY, TOKEN_KEY, TokenStore

PAGE = "https://me.github.io/app/"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_flow(storage: dict | None = None, clock: Clock | None = None, **config: object) -> ImplicitFlow:
    storage = {} if storage is None else storage
    settings = Settings.from_config({"environment": "us", "client_id": "client-1", **config})
    return ImplicitFlow(settings, TokenStore(storage), log=FlowLog(storage), clock=clock or Clock())


def response_for(url: str, **params: str) -> str:
    state = parse_qs(urlsplit(url).query)["state"][0]
    return "#" + urlencode({"state": state, **params})


def test_redirect_round_trip() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    url = flow.begin(PAGE + "?x=1#old")
    query = parse_qs(urlsplit(url).query)
    assert query["redirect_uri"] == [PAGE]
    assert storage[STATE_KEY] == query["state"][0]
    access_token = make_jwt({"exp": clock.now + 600, "scope": [{"actions": ["job:read"]}]})
    token = flow.complete(response_for(url, access_token=access_token, token_type="Bearer"))
    assert token.access_token == access_token
    assert flow.current() == token
    assert STATE_KEY not in storage
    assert [e.step for e in flow.log.events] == [
        "authorize_url",
        "leave",
        "callback",
        "state_check",
        "token_stored",
    ]


def test_the_state_is_spent_even_when_the_response_fails() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.complete(response_for(url, error="access_denied"))
    assert caught.value.error == "access_denied"
    assert STATE_KEY not in storage
    # The same (valid) response a second time: a replay.
    with pytest.raises(VeritoneError) as caught:
        flow.complete(response_for(url, access_token="abc", token_type="Bearer"))
    assert caught.value.error == "state_mismatch"
    assert TOKEN_KEY not in storage


def test_a_failed_callback_leaves_the_held_session_untouched() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    held = flow.complete(response_for(url, access_token="good", token_type="Bearer"))
    for bad in ("#access_token=evil&token_type=Bearer&state=forged", "#error=access_denied", "#%%%"):
        with pytest.raises(VeritoneError):
            flow.complete(bad)
        assert flow.current() == held


def test_state_of_another_tab_is_rejected() -> None:
    tab_a, tab_b = make_flow({}), make_flow({})
    url_a = tab_a.begin(PAGE)
    tab_b.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        tab_b.complete(response_for(url_a, access_token="abc", token_type="Bearer"))
    assert caught.value.error == "state_mismatch"


def test_not_configured() -> None:
    flow = make_flow(client_id="")
    with pytest.raises(VeritoneError) as caught:
        flow.begin(PAGE)
    assert caught.value.error == "not_configured"


def test_configured_redirect_uri_wins() -> None:
    url = make_flow(redirect_uri="https://other.example/cb").begin(PAGE)
    assert parse_qs(urlsplit(url).query)["redirect_uri"] == ["https://other.example/cb"]


def test_token_expired_on_arrival_is_not_stored() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    url = flow.begin(PAGE)
    with pytest.raises(TokenExpired):
        flow.complete(response_for(url, access_token=make_jwt({"exp": clock.now - 5}), token_type="Bearer"))
    assert TOKEN_KEY not in storage


def test_expiry_is_checked_at_every_use_and_deletes_the_token() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    url = flow.begin(PAGE)
    flow.complete(response_for(url, access_token=make_jwt({"exp": clock.now + 60}), token_type="Bearer"))
    clock.now += 61
    with pytest.raises(TokenExpired):
        flow.call("me", lambda client: client.me())
    assert TOKEN_KEY not in storage
    assert flow.current() is None
    assert flow.log.events[-1].step == "token_expired"


def test_sign_out_clears_token_and_log_and_records_it() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    token = flow.complete(response_for(url, access_token="abc", token_type="Bearer"))
    assert flow.sign_out() == token
    assert TOKEN_KEY not in storage
    assert [e.step for e in flow.log.events] == ["sign_out"]


def test_log_survives_a_reload_and_never_holds_the_token() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    access_token = make_jwt({"exp": 1_900_000_000, "jti": "x" * 40})
    flow.complete(response_for(url, access_token=access_token, token_type="Bearer"))
    reloaded = make_flow(storage)
    assert [e.step for e in reloaded.log.events] == [e.step for e in flow.log.events]
    assert access_token not in storage["veritone.flow_log"]
    assert ["token", access_token[:6] + "…" + access_token[-4:]] in json.loads(storage["veritone.flow_log"])[
        -1
    ]["details"]


def test_storage_failure_surfaces_as_storage_unavailable() -> None:
    class Refusing(dict):
        def __setitem__(self, key: str, value: str) -> None:
            raise OSError("QuotaExceededError")

    flow = make_flow(Refusing())
    with pytest.raises(StorageUnavailable):
        flow.begin(PAGE)


def standin_flow(server: StandinServer, storage: dict) -> ImplicitFlow:
    settings = Settings.from_config(
        {"environment": "standin", "base_url": f"http://localhost:{server.server_port}", "client_id": "c"}
    )
    return ImplicitFlow(settings, TokenStore(storage), log=FlowLog(storage))


def test_api_call_with_a_real_token_records_a_masked_request(standin: StandinServer, raw: Raw) -> None:
    storage: dict[str, str] = {}
    token = issue_token(raw)
    flow = standin_flow(standin, storage)
    from veritone_auth.grant import TokenResponse
    from veritone_auth.tokens import Token

    flow.store.save(Token.from_response(TokenResponse(token, "Bearer"), flow.clock()))
    data = flow.call("me", lambda client: client.me())
    assert data["me"]["email"] == "demo@example.com"
    event = flow.log.events[-1]
    assert event.step == "api_request"
    details = dict(event.details)
    assert details["headers"].startswith(f"Authorization: Bearer {token[:6]}…{token[-4:]};")
    assert details["status"] == "HTTP 200"
    assert details["result"] == "ok"
    assert token not in storage["veritone.flow_log"]


def test_revoked_token_is_deleted_on_the_next_call(standin: StandinServer, raw: Raw) -> None:
    from veritone_auth.grant import TokenResponse
    from veritone_auth.tokens import Token

    storage: dict[str, str] = {}
    token = issue_token(raw)
    flow = standin_flow(standin, storage)
    flow.store.save(Token.from_response(TokenResponse(token, "Bearer"), flow.clock()))
    held = flow.sign_out()
    assert flow.revoke(held) is True
    flow.store.save(held)  # as if another tab still had it
    with pytest.raises(InvalidToken):
        flow.call("me", lambda client: client.me())
    assert TOKEN_KEY not in storage


def test_inspector_masks_a_token_under_any_parameter_name() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    flow.begin(PAGE)
    secret = "opaque-but-well-formed-token-1234567890"
    with pytest.raises(VeritoneError):
        flow.complete(f"#ACCESS_TOKEN={secret}&id_token={secret}&token_type=Bearer")
    assert secret not in storage["veritone.flow_log"]
    callback = next(e for e in flow.log.events if e.step == "callback")
    assert dict(callback.details)["token_type"] == "Bearer"
