"""Token: expiry from the JWT exp (or 7 days), claims, scopes, masking, storage form."""

from __future__ import annotations

import pytest

from tests.veritone_auth.tokens_for_tests import b64, make_jwt
from veritone_auth.callback import MAX_TOKEN_LENGTH, TokenResponse
from veritone_auth.errors import AuthorizationError
from veritone_auth.tokens import (
    DEFAULT_LIFETIME,
    EXPIRY_DEFAULT,
    EXPIRY_FROM_EXPIRES_IN,
    EXPIRY_FROM_JWT,
    Token,
    decode_jwt,
    mask,
)

NOW = 1_800_000_000.0
SCOPE = [{"actions": ["job:read", "asset:uri", "job:read"]}]


def token(access_token: str, expires_in: int | None = None) -> Token:
    return Token.from_response(TokenResponse(access_token, "Bearer", expires_in=expires_in), NOW)


def test_expiry_from_jwt_exp() -> None:
    t = token(make_jwt({"exp": NOW + 3600, "scope": SCOPE}))
    assert t.expires_at == NOW + 3600
    assert t.expiry_source == EXPIRY_FROM_JWT
    assert t.scopes == ("job:read", "asset:uri")
    assert not t.expired(NOW + 3599)
    assert t.expired(NOW + 3600)


@pytest.mark.parametrize(
    "access_token",
    [
        "opaque-token",
        "a.b.c",
        make_jwt({"exp": "tomorrow"}),
        make_jwt({"exp": True}),
        make_jwt({"exp": None}),
        make_jwt({"exp": -5}),
        make_jwt({"sub": "no exp"}),
        make_jwt([1, 2, 3]),
        f"{b64({'alg': 'HS256'})}.{b64(b'not json')}.sig",
        f"{b64({'alg': 'HS256'})}.%%%%.sig",
    ],
)
def test_tokens_without_a_usable_exp_last_seven_days(access_token: str) -> None:
    t = token(access_token)
    assert t.expires_at == NOW + DEFAULT_LIFETIME
    assert t.expiry_source == EXPIRY_DEFAULT


def test_expires_in_is_used_when_there_is_no_exp() -> None:
    t = token("opaque", expires_in=60)
    assert (t.expires_at, t.expiry_source) == (NOW + 60, EXPIRY_FROM_EXPIRES_IN)


def test_far_future_exp_is_capped_at_seven_days() -> None:
    assert token(make_jwt({"exp": 1e30})).expires_at == NOW + DEFAULT_LIFETIME
    assert token(make_jwt({"exp": 2**62})).expires_at == NOW + DEFAULT_LIFETIME


def test_past_exp_is_expired_on_arrival() -> None:
    assert token(make_jwt({"exp": NOW - 1})).expired(NOW)


def test_unsigned_jwt_is_refused() -> None:
    with pytest.raises(AuthorizationError) as caught:
        token(make_jwt({"exp": NOW + 60}, header={"alg": "none"}))
    assert caught.value.error == "invalid_callback"
    with pytest.raises(AuthorizationError):
        token(make_jwt({"exp": NOW + 60}, header={"alg": "NONE"}, signature=""))


def test_scopes_ignore_malformed_claims() -> None:
    assert token(make_jwt({"scope": "all"})).scopes == ()
    assert token(make_jwt({"scope": [{"actions": [1, "a", None]}, "x", {"actions": "b"}]})).scopes == ("a",)


def test_mask_shows_little() -> None:
    jwt = make_jwt({"exp": NOW})
    assert mask(jwt) == f"{jwt[:6]}…{jwt[-4:]}"
    assert mask("short") == "••••••••"
    assert jwt not in repr(token(jwt))


def test_storage_round_trip() -> None:
    t = token(make_jwt({"exp": NOW + 99, "scope": SCOPE}))
    again = Token.from_json(t.to_json())
    assert again == t
    assert again.scopes == t.scopes


@pytest.mark.parametrize(
    "text", ["[]", "{}", '{"access_token": 1}', '{"access_token": "a", "received_at": "x"}']
)
def test_from_json_refuses_what_is_not_a_stored_token(text: str) -> None:
    with pytest.raises(ValueError):
        Token.from_json(text)


def test_decode_jwt_needs_three_parts() -> None:
    assert decode_jwt("a.b") is None
    assert decode_jwt(make_jwt({"a": 1})) == ({"alg": "HS256", "typ": "JWT"}, {"a": 1})


def test_a_jwt_nested_thousands_deep_is_not_a_jwt() -> None:
    # As deep as a token's 4,096 characters allow: under CPython json.loads raised RecursionError.
    deep = f"{b64({'alg': 'HS256'})}.{b64(b'[' * 1400 + b']' * 1400)}.sig"
    assert len(deep) <= MAX_TOKEN_LENGTH
    assert decode_jwt(deep) is None
    assert token(deep).expiry_source == EXPIRY_DEFAULT
