"""The session: expiry from the earliest source, copies of a tab signing out together."""

from __future__ import annotations

import json

from tests.veritone_auth.test_flow import PAGE, Clock, make_flow, response_for, signed_in_flow
from tests.veritone_auth.tokens_for_tests import make_jwt
from veritone_auth.callback import TokenResponse
from veritone_auth.session import EXPIRING, OTHER_TAB, SIGNED_OUT, AuthEvent
from veritone_auth.store import MAX_SIGNED_OUT, SIGNED_OUT_KEY, TOKEN_KEY, SignedOutTokens
from veritone_auth.tokens import DEFAULT_LIFETIME, EXPIRY_FROM_EXPIRES_IN, Token


def test_expiry_is_the_earliest_of_exp_expires_in_and_seven_days() -> None:
    now = 1_800_000_000.0
    jwt = make_jwt({"exp": now + 144 * 3600})
    token = Token.from_response(TokenResponse(jwt, "Bearer", expires_in=60), now)
    assert (token.expires_at, token.expiry_source) == (now + 60, EXPIRY_FROM_EXPIRES_IN)
    late = Token.from_response(TokenResponse(make_jwt({"exp": now + 30 * 86400}), "Bearer"), now)
    assert late.expires_at == now + DEFAULT_LIFETIME
    early = Token.from_response(TokenResponse(make_jwt({"exp": now + 10}), "Bearer", expires_in=60), now)
    assert (early.expires_at, early.expiry_source) == (now + 10, "jwt_exp")


def test_a_token_expired_on_arrival_is_refused_and_kept_for_the_revoke() -> None:
    storage: dict[str, str] = {}
    clock = Clock()
    flow = make_flow(storage, clock)
    url = flow.begin(PAGE)
    stale = make_jwt({"exp": clock.now - 5})
    try:
        flow.complete(response_for(url, access_token=stale, token_type="Bearer"))
    except Exception as error:
        assert getattr(error, "error", None) == "token_expired"
    assert TOKEN_KEY not in storage
    assert flow.take_refused_tokens() == [stale]


def copies(shared: dict[str, str], clock: Clock) -> tuple:
    """A tab and a copy of it: the same sessionStorage copied, localStorage shared."""
    first: dict[str, str] = {}
    tab = signed_in_flow(first, clock)
    tab.signed_out = SignedOutTokens(shared, clock)
    copy = make_flow(dict(first), clock)
    copy.signed_out = SignedOutTokens(shared, clock)
    return tab, copy


def test_a_copy_of_the_tab_drops_a_token_signed_out_while_it_was_not_listening() -> None:
    shared: dict[str, str] = {}
    clock = Clock()
    tab, copy = copies(shared, clock)
    held = tab.current()
    events: list[AuthEvent] = []
    copy.listeners.append(events.append)
    tab.sign_out()
    assert held is not None and held.access_token not in json.dumps(shared)  # only a hash
    assert copy.current() is None
    assert [(e.kind, e.reason) for e in events] == [(SIGNED_OUT, OTHER_TAB)]
    assert TOKEN_KEY not in copy.store.storage


def test_a_tab_with_a_token_of_its_own_is_untouched() -> None:
    shared: dict[str, str] = {}
    clock = Clock()
    tab, _ = copies(shared, clock)
    other = make_flow({}, clock)
    url = other.begin(PAGE)
    other.complete(response_for(url, access_token="a-token-of-its-own-42", token_type="Bearer"))
    other.signed_out = SignedOutTokens(shared, clock)
    tab.sign_out()
    assert other.current() is not None


def test_the_signed_out_hashes_are_bounded_and_cleared_on_expiry() -> None:
    shared: dict[str, str] = {}
    clock = Clock()
    hashes = SignedOutTokens(shared, clock)
    for i in range(MAX_SIGNED_OUT + 10):
        hashes.add(Token(f"token-{i}", clock.now, clock.now + 100 + i, "test"))
    assert len(json.loads(shared[SIGNED_OUT_KEY])) == MAX_SIGNED_OUT
    clock.now += 10_000
    hashes.add(Token("late", clock.now, clock.now + 5, "test"))
    assert list(json.loads(shared[SIGNED_OUT_KEY]).values()) == [clock.now + 5]


def test_unusable_shared_storage_never_fails_a_sign_out() -> None:
    class Full(dict):
        def __setitem__(self, key: str, value: str) -> None:
            raise OSError("quota")

    clock = Clock()
    tab = signed_in_flow({}, clock)
    tab.signed_out = SignedOutTokens(Full(), clock)
    assert tab.sign_out() is not None


def test_a_short_lived_token_is_warned_of_in_its_second_half() -> None:
    clock = Clock()
    flow = make_flow({}, clock)
    url = flow.begin(PAGE)
    flow.complete(
        response_for(url, access_token="short-lived-token-123", token_type="Bearer", expires_in="30")
    )
    events: list[AuthEvent] = []
    flow.listeners.append(events.append)
    flow.check()
    assert events == []  # 30 s left of 30: not yet
    clock.now += 16
    flow.check()
    assert [e.kind for e in events] == [EXPIRING]
