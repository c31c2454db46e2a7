"""ImplicitFlow: begin, complete, use, expire and sign out, with the steps it records."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from standin.server import StandinServer
from tests.standin.conftest import Raw, issue_token
from tests.veritone_auth.awaiting import run
from tests.veritone_auth.tokens_for_tests import make_jwt
from veritone_auth.api import ApiRequest, ApiResponse
from veritone_auth.authorize import POPUP_NAME_PREFIX
from veritone_auth.callback import Callback
from veritone_auth.client import AsyncVeritoneClient
from veritone_auth.errors import (
    ApiError,
    InvalidToken,
    NetworkError,
    StorageUnavailable,
    Timeout,
    TokenExpired,
    VeritoneError,
)
from veritone_auth.flow import HASH_CHANGE, PAGE_LOAD, POPUP, ImplicitFlow
from veritone_auth.flow_log import FlowLog
from veritone_auth.settings import Settings
from veritone_auth.store import PENDING_KEY, TOKEN_KEY, TokenStore
from veritone_auth.transport import urllib_send

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
    assert json.loads(storage[PENDING_KEY]) == {
        "state": query["state"][0],
        "started_at": clock.now,
        "redirect_uri": PAGE,
        "mode": "redirect",
        "popup_name": "",
        "return_to": "/app/?x=1#old",  # where the user was, to come back to
    }
    access_token = make_jwt({"exp": clock.now + 600, "scope": [{"actions": ["job:read"]}]})
    token = flow.complete(response_for(url, access_token=access_token, token_type="Bearer"))
    assert token.access_token == access_token
    assert flow.current() == token
    assert PENDING_KEY not in storage
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
    assert PENDING_KEY not in storage
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
    return ImplicitFlow(
        settings,
        TokenStore(storage),
        log=FlowLog(storage),
        async_client_factory=lambda url, token: AsyncVeritoneClient(url, token, send=threaded_send),
    )


async def threaded_send(request: ApiRequest, timeout: float) -> ApiResponse:
    """urllib_send off the event loop: the stand-in answers on this same machine."""
    return await asyncio.to_thread(urllib_send, request, timeout)


def test_api_call_with_a_real_token_records_a_masked_request(standin: StandinServer, raw: Raw) -> None:
    storage: dict[str, str] = {}
    token = issue_token(raw)
    flow = standin_flow(standin, storage)
    from veritone_auth.callback import TokenResponse
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
    from veritone_auth.callback import TokenResponse
    from veritone_auth.tokens import Token

    storage: dict[str, str] = {}
    token = issue_token(raw)
    flow = standin_flow(standin, storage)
    flow.store.save(Token.from_response(TokenResponse(token, "Bearer"), flow.clock()))
    held = flow.sign_out()
    assert run(flow.revoke_async(held)) is True
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


def signed_in_flow(storage: dict, clock: Clock | None = None, **config: object) -> ImplicitFlow:
    flow = make_flow(storage, clock, **config)
    url = flow.begin(PAGE)
    flow.complete(response_for(url, access_token="held-token-0123456789", token_type="Bearer"))
    return flow


@pytest.mark.parametrize("require_state", [True, False])
def test_an_unsolicited_response_is_refused_and_changes_nothing(require_state: bool) -> None:
    # A valid response of an attacker's own account, on a fresh load of a signed-in tab.
    storage: dict[str, str] = {}
    flow = signed_in_flow(storage, require_state=require_state)
    held = flow.current()
    before = dict(storage)
    for fragment in ("#access_token=attackers-token-123456&token_type=Bearer", "#error=access_denied"):
        with pytest.raises(VeritoneError) as caught:
            flow.receive(fragment, PAGE_LOAD, PAGE)
        assert caught.value.error == "state_mismatch"
        assert "No sign-in was pending" in caught.value.description
        assert flow.current() == held
        assert storage[TOKEN_KEY] == before[TOKEN_KEY]


def test_without_state_echo_the_pending_sign_in_alone_is_accepted_and_said_so() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock, require_state=False)
    flow.begin(PAGE)
    clock.now += 42
    token = flow.receive("#access_token=abc%3Adef-123&token_type=Bearer", PAGE_LOAD, PAGE)
    assert token is not None and token.access_token == "abc:def-123"
    assert token.expiry_source == "default_7_days"  # opaque: not a JWT
    check = [e for e in flow.log.events if e.step == "state_check"][-1]
    assert "No state came back" in check.summary and "42 s ago" in check.summary
    assert check.link.endswith("#section-10.12")
    # Spent: the same response again is refused.
    with pytest.raises(VeritoneError) as caught:
        flow.receive("#access_token=abc%3Adef-123&token_type=Bearer", PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch"


def test_a_response_parsed_once_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # The page parses what it was loaded with once (browser.address.take_response): that one
    # value is what the checks, the store and the inspector read.
    flow = make_flow()
    url = flow.begin(PAGE)
    callback = Callback.parse(response_for(url, access_token="abc", token_type="Bearer"))
    parses: list[str] = []
    monkeypatch.setattr(Callback, "parse", classmethod(lambda cls, fragment: parses.append(fragment)))
    token = flow.receive(callback, PAGE_LOAD, PAGE)
    assert token is not None and token.access_token == "abc"
    assert parses == []


def test_without_state_echo_an_error_needs_a_pending_sign_in_too() -> None:
    flow = make_flow({}, require_state=False)
    with pytest.raises(VeritoneError) as caught:
        flow.receive("#error=access_denied", PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch"
    flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.receive("#error=access_denied", PAGE_LOAD, PAGE)
    assert caught.value.error == "access_denied"


def test_with_the_default_config_a_response_without_state_says_what_to_change() -> None:
    flow = make_flow({})
    flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.receive("#access_token=abc&token_type=Bearer", PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch"
    assert '"require_state": false' in caught.value.description


def test_a_pending_sign_in_older_than_ten_minutes_is_refused() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    url = flow.begin(PAGE)
    clock.now += 601
    with pytest.raises(VeritoneError) as caught:
        flow.receive(response_for(url, access_token="abc", token_type="Bearer"), PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch"
    assert "10 minutes" in caught.value.description
    assert TOKEN_KEY not in storage and PENDING_KEY not in storage


def test_a_hash_change_never_completes_a_sign_in_nor_spends_the_pending_one() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE, "popup")
    good = response_for(url, access_token="abc", token_type="Bearer")
    with pytest.raises(VeritoneError) as caught:
        flow.receive(good, HASH_CHANGE, PAGE)
    assert caught.value.error == "state_mismatch"
    assert "without loading it" in caught.value.description
    assert TOKEN_KEY not in storage
    assert PENDING_KEY in storage  # the user's own popup sign-in can still finish
    assert flow.receive("#section-2", HASH_CHANGE, PAGE) is None  # an anchor is no response
    assert flow.receive(good, POPUP, PAGE + "#x") is not None


@pytest.mark.parametrize(
    "where",
    [PAGE + "?next=1", PAGE + "index.html", "https://me.github.io/other/"],
)
def test_a_response_is_read_only_at_the_exact_redirect_uri(where: str) -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.receive(response_for(url, access_token="abc", token_type="Bearer"), PAGE_LOAD, where)
    assert caught.value.error == "state_mismatch"
    assert "redirect URI" in caught.value.description
    assert TOKEN_KEY not in storage


def test_an_anchor_on_a_load_with_nothing_pending_is_left_alone() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    assert flow.receive("#section-2", PAGE_LOAD, PAGE) is None
    assert flow.receive("", PAGE_LOAD, PAGE) is None
    assert flow.log.events == []


def test_is_this_popup_location_our_result() -> None:
    flow = make_flow({})
    assert flow.at_redirect_uri(PAGE, PAGE)
    assert flow.at_redirect_uri(PAGE + "#access_token=x", PAGE + "index.html")
    for href in ("about:blank", PAGE + "?x=1", "https://me.github.io/app", "https://me.github.io/app/x"):
        assert not flow.at_redirect_uri(href, PAGE), href


def test_abandon_spends_the_pending_sign_in_records_it_and_keeps_the_session() -> None:
    storage: dict[str, str] = {}
    flow = signed_in_flow(storage)
    held = flow.current()
    flow.begin(PAGE, "popup")
    error = flow.abandon("popup_closed")
    assert error.error == "popup_closed"
    assert PENDING_KEY not in storage
    assert flow.current() == held
    assert flow.log.events[-1].step == "abandon"
    assert dict(flow.log.events[-1].details) == {"error": "popup_closed"}


class FakeClient:
    def __init__(self, rest: object, graphql: object) -> None:
        self.outcomes = {"logout": rest, "user_logout": graphql}
        self.calls: list[str] = []

    async def _run(self, name: str) -> bool:
        self.calls.append(name)
        outcome = self.outcomes[name]
        if isinstance(outcome, Exception):
            raise outcome
        return bool(outcome)

    async def logout(self) -> bool:
        return await self._run("logout")

    async def user_logout(self) -> bool:
        return await self._run("user_logout")


@pytest.mark.parametrize(
    ("rest", "graphql", "calls", "confirmed"),
    [
        (True, True, ["user_logout"], True),
        (True, ApiError(), ["user_logout", "logout"], True),
        (NetworkError(), NetworkError(), ["user_logout", "logout"], False),
        (ApiError(), False, ["user_logout", "logout"], False),
    ],
)
def test_revoke_uses_user_logout_first_then_the_rest_url(
    rest: object, graphql: object, calls: list, confirmed: bool
) -> None:
    client = FakeClient(rest, graphql)
    storage: dict[str, str] = {}
    flow = signed_in_flow(storage)
    flow.async_client_factory = lambda api_url, token: client  # type: ignore[assignment,return-value]
    token = flow.sign_out()
    assert token is not None
    assert run(flow.revoke_async(token)) is confirmed
    assert client.calls == calls
    assert [e.step for e in flow.log.events].count("revoke") == len(calls)  # one record per attempt


# --- the pending sign-in binds its mode (issue: login CSRF with require_state false) ----


@pytest.mark.parametrize("require_state", [True, False])
def test_a_page_load_cannot_answer_nor_spend_a_popup_sign_in(require_state: bool) -> None:
    # A site that holds a handle to the tab reloads it with its own token while the
    # user signs in in the popup.
    storage: dict[str, str] = {}
    flow = make_flow(storage, require_state=require_state)
    url = flow.begin(PAGE, "popup")
    with pytest.raises(VeritoneError) as caught:
        flow.receive("#access_token=attackers-token-123456&token_type=Bearer", PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch" and "popup" in caught.value.description
    assert TOKEN_KEY not in storage and PENDING_KEY in storage
    # The user's own popup response still signs in.
    token = flow.receive(response_for(url, access_token="users-token", token_type="Bearer"), POPUP, PAGE)
    assert token is not None and token.access_token == "users-token"


def test_a_redirect_sign_in_takes_no_popup_answer() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.receive(response_for(url, access_token="abc", token_type="Bearer"), POPUP, PAGE)
    assert caught.value.error == "state_mismatch" and "redirect" in caught.value.description
    assert TOKEN_KEY not in storage


@pytest.mark.parametrize("require_state", [True, False])
def test_a_load_without_an_answer_ends_a_redirect_sign_in(require_state: bool) -> None:
    # Back from Veritone's form: the page loads with no response. A response 20 s later
    # (an attacker's, with require_state false) finds nothing pending.
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock, require_state=require_state)
    url = flow.begin(PAGE)
    assert flow.loaded_without_response() is True
    assert PENDING_KEY not in storage
    assert "redirect ended" in flow.log.events[-1].summary
    clock.now += 20
    with pytest.raises(VeritoneError) as caught:
        flow.receive(response_for(url, access_token="late", token_type="Bearer"), PAGE_LOAD, PAGE)
    assert "No sign-in was pending" in caught.value.description
    assert flow.loaded_without_response() is False  # nothing left to end


def test_a_load_without_an_answer_keeps_a_popup_sign_in() -> None:
    # The opener reloaded while the user signs in in the popup: the popup still answers.
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    url = flow.begin(PAGE, "popup")
    assert flow.loaded_without_response() is False
    assert flow.receive(response_for(url, access_token="abc", token_type="Bearer"), POPUP, PAGE) is not None


def test_each_popup_sign_in_has_its_own_random_window_name() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    names = set()
    for _ in range(3):
        flow.begin(PAGE, "popup")
        pending = flow.store.peek_pending()
        assert pending is not None and pending.mode == "popup"
        assert pending.popup_name.startswith(POPUP_NAME_PREFIX) and len(pending.popup_name) >= 30
        names.add(pending.popup_name)
    assert len(names) == 3
    flow.begin(PAGE)
    assert flow.store.peek_pending().popup_name == ""


# --- links, refused tokens, unsolicited responses --------------------------------------


@pytest.mark.parametrize(
    ("error_uri", "linked"),
    [
        ("https://api.veritone.com/help/errors", True),
        ("https://evil.example/help", False),
        ("https://api.veritone.com.evil.example/", False),
        ("https://evil.example@api.veritone.com/", False),
        ("http://api.veritone.com/help", False),
    ],
)
def test_an_error_link_is_kept_only_when_it_leads_to_veritone(error_uri: str, linked: bool) -> None:
    flow = make_flow({})
    url = flow.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        flow.receive(response_for(url, error="access_denied", error_uri=error_uri), PAGE_LOAD, PAGE)
    assert caught.value.error == "access_denied"
    assert caught.value.uri == (error_uri if linked else None)


def test_refused_responses_hand_their_tokens_over_for_revoking() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    refused = []
    # Nothing pending; a wrong state; too late; a response without a usable token.
    cases = [
        ("#access_token=unsolicited-1&token_type=Bearer", None),
        ("#access_token=wrong-state-2&token_type=Bearer&state=nope", "redirect"),
        ("late", "redirect"),
        ("#access_token=&token_type=Bearer", None),
        ("#access_token=bad%20token&token_type=Bearer", None),
    ]
    for fragment, mode in cases:
        if mode:
            url = flow.begin(PAGE)
            if fragment == "late":
                clock.now += 601
                fragment = response_for(url, access_token="too-late-3", token_type="Bearer")
        with pytest.raises(VeritoneError):
            flow.receive(fragment, PAGE_LOAD, PAGE)
        refused.extend(flow.take_refused_tokens())
    assert refused == ["unsolicited-1", "wrong-state-2", "too-late-3"]
    # An accepted token is never handed over.
    url = flow.begin(PAGE)
    flow.receive(response_for(url, access_token="good-4", token_type="Bearer"), PAGE_LOAD, PAGE)
    assert flow.take_refused_tokens() == []


def test_an_unsolicited_response_leaves_one_short_entry_that_is_not_kept() -> None:
    storage: dict[str, str] = {}
    flow = make_flow(storage)
    shown = []
    flow.log.listeners.append(shown.append)
    long_token = "eyJ" + "a" * 900 + ".b.c"
    fragment = "#" + urlencode(
        {
            "access_token": long_token,
            "token_type": "Bearer",
            "error_description": "x" * 400,
            "a": "1",
            "b": "2",
        }
    )
    with pytest.raises(VeritoneError):
        flow.receive(fragment, PAGE_LOAD, PAGE)
    assert [e.step for e in shown] == ["refused"]
    (entry,) = shown
    assert entry.summary == "refused: not asked for by this tab"
    text = " ".join(value for _, value in entry.details)
    assert long_token not in text and len(text) < 300
    assert flow.log.events == [] and FlowLog(storage).events == []  # not kept across a reload


def test_the_require_state_hint_is_only_for_this_tabs_own_sign_in() -> None:
    unsolicited = make_flow({})
    with pytest.raises(VeritoneError) as caught:
        unsolicited.receive("#access_token=abc&token_type=Bearer", PAGE_LOAD, PAGE)
    assert "require_state" not in caught.value.description
    own = make_flow({})
    own.begin(PAGE)
    with pytest.raises(VeritoneError) as caught:
        own.receive("#access_token=abc&token_type=Bearer", PAGE_LOAD, PAGE)
    assert "require_state" in caught.value.description


# --- awaited API calls ------------------------------------------------------------------


class Answering:
    """An async client whose ``me`` raises ``error`` (or answers), after ``before`` runs."""

    last_status = 200

    def __init__(self, error: Exception | None = None, before: object = None) -> None:
        self.error, self.before = error, before

    async def me(self) -> dict:
        if self.before is not None:
            self.before()
        if self.error is not None:
            raise self.error
        return {"me": {"name": "n"}}


def test_an_awaited_call_that_times_out_keeps_the_session() -> None:
    from veritone_auth.errors import Timeout

    storage: dict[str, str] = {}
    flow = signed_in_flow(storage)
    flow.async_client_factory = lambda api_url, token: Answering(Timeout())  # type: ignore[assignment,return-value]
    with pytest.raises(Timeout):
        run(flow.call_async("me", lambda api: api.me()))
    assert TOKEN_KEY in storage
    assert [e for e in flow.log.events if e.step == "api_request"][-1].details[-2] == ("result", "timeout")


def test_a_refused_token_is_deleted_unless_another_sign_in_came_meanwhile() -> None:
    storage: dict[str, str] = {}
    flow = signed_in_flow(storage)
    flow.async_client_factory = lambda api_url, token: Answering(InvalidToken())  # type: ignore[assignment,return-value]
    with pytest.raises(InvalidToken):
        run(flow.call_async("me", lambda api: api.me()))
    assert TOKEN_KEY not in storage

    # The answer for the old token comes after the user signed out and in again.
    flow = signed_in_flow(storage)

    def sign_in_again() -> None:
        flow.sign_out()
        url = flow.begin(PAGE)
        flow.complete(response_for(url, access_token="new-token-0123456789", token_type="Bearer"))

    flow.async_client_factory = lambda api_url, token: Answering(InvalidToken(), sign_in_again)  # type: ignore[assignment,return-value]
    with pytest.raises(InvalidToken):
        run(flow.call_async("me", lambda api: api.me()))
    assert flow.current().access_token == "new-token-0123456789"


def test_revoke_async_is_revoke_awaited() -> None:
    class Revoking:
        last_status = 200

        async def logout(self) -> bool:
            return True

        async def user_logout(self) -> bool:
            raise Timeout()

    flow = signed_in_flow({})
    flow.async_client_factory = lambda api_url, token: Revoking()  # type: ignore[assignment,return-value]
    assert run(flow.revoke_async("some-token")) is True
    assert [e.summary for e in flow.log.events if e.step == "revoke"] == [
        "Revoking with userLogout failed",
        "Revoked the token with GET /v1/admin/token/…/logout",
    ]


# --- events instead of polling ------------------------------------------------------


def test_the_flow_tells_of_sign_in_expiring_expiry_and_sign_out() -> None:
    from veritone_auth.flow import BY_USER, EXPIRED, EXPIRING, SIGNED_IN, SIGNED_OUT

    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    told = []
    flow.listeners.append(told.append)
    url = flow.begin(PAGE)
    token = flow.complete(
        response_for(url, access_token=make_jwt({"exp": clock.now + 120}), token_type="Bearer")
    )
    assert [(e.kind, e.token) for e in told] == [(SIGNED_IN, token)]
    assert flow.check() == token and len(told) == 1  # two minutes left: nothing to say
    clock.now += 61
    flow.check()
    flow.check()  # told once per token
    assert [e.kind for e in told] == [SIGNED_IN, EXPIRING] and 58 <= told[-1].seconds_left <= 59
    clock.now += 60
    assert flow.check() is None
    assert (told[-1].kind, told[-1].reason) == (SIGNED_OUT, EXPIRED)
    assert TOKEN_KEY not in storage
    # Signing out tells too; a sign-out with nothing held does not.
    url = flow.begin(PAGE)
    flow.complete(response_for(url, access_token="t-0123456789abcdef", token_type="Bearer"))
    flow.sign_out()
    assert (told[-1].kind, told[-1].reason) == (SIGNED_OUT, BY_USER)
    count = len(told)
    flow.sign_out()
    assert len(told) == count


def test_reading_the_token_never_swallows_the_expiry() -> None:
    from veritone_auth.flow import EXPIRED

    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    told = []
    flow.listeners.append(told.append)
    url = flow.begin(PAGE)
    flow.complete(response_for(url, access_token=make_jwt({"exp": clock.now + 10}), token_type="Bearer"))
    clock.now += 11
    with pytest.raises(TokenExpired):
        flow.current()  # a caller that drops this error ...
    assert told[-1].reason == EXPIRED  # ... has not kept the page from being told


def test_a_sign_out_in_another_tab_follows_only_for_the_same_token() -> None:
    from veritone_auth.flow import OTHER_TAB, AuthEvent, read_signed_out_message, signed_out_message

    mine, copy, other = {}, {}, {}
    first = signed_in_flow(mine)
    copy.update(mine)  # a duplicated tab: the browser copies sessionStorage
    second = make_flow(copy)
    third = signed_in_flow(other)
    url = third.begin(PAGE)
    third.complete(response_for(url, access_token="a-token-of-its-own-99", token_type="Bearer"))
    told = []
    second.listeners.append(told.append)
    sent = []
    first.listeners.append(lambda event: sent.append(signed_out_message(event)))
    first.sign_out()
    (message,) = sent
    assert "held-token" not in message  # the token never crosses, only its hash
    fingerprint = read_signed_out_message(message)
    assert third.other_tab_signed_out(fingerprint) is False and TOKEN_KEY in other
    assert second.other_tab_signed_out(fingerprint) is True and TOKEN_KEY not in copy
    assert told[-1].reason == OTHER_TAB
    assert signed_out_message(told[-1]) is None  # not passed on again
    assert signed_out_message(AuthEvent("signed_in")) is None
    for junk in (
        None,
        5,
        "{",
        '{"kind": "signed_out", "token": 7}',
        '{"kind": "x", "token": "' + "a" * 32 + '"}',
    ):
        assert read_signed_out_message(junk) is None


def test_a_token_the_api_refuses_tells_the_page_it_was_revoked() -> None:
    from veritone_auth.flow import REVOKED

    storage: dict[str, str] = {}
    flow = signed_in_flow(storage)
    told = []
    flow.listeners.append(told.append)
    flow.async_client_factory = lambda api_url, token: Answering(InvalidToken())  # type: ignore[assignment,return-value]
    with pytest.raises(InvalidToken):
        run(flow.call_async("me", lambda api: api.me()))
    assert told[-1].reason == REVOKED


def test_errors_can_be_caught_by_type_and_keep_their_id() -> None:
    from veritone_auth import errors

    flow = make_flow({})
    with pytest.raises(errors.StateMismatch) as caught:
        flow.receive("#access_token=abc&token_type=Bearer", PAGE_LOAD, PAGE)
    assert caught.value.error == "state_mismatch" and caught.value.message
    url = flow.begin(PAGE)
    with pytest.raises(errors.AccessDenied) as denied:
        flow.receive(response_for(url, error="access_denied"), PAGE_LOAD, PAGE)
    assert isinstance(denied.value, errors.AuthorizationError) and denied.value.error == "access_denied"
    assert type(flow.abandon("popup_blocked")) is errors.PopupBlocked
    assert type(flow.abandon("popup_closed")) is errors.PopupClosed
    assert type(errors.error_for("not_configured", "why")) is errors.NotConfigured
    assert type(errors.error_for("timeout")) is errors.Timeout
    assert type(errors.error_for("something_new")) is VeritoneError  # an id without a class
