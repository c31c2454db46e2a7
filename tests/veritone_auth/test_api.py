"""Every API answer is checked for shape: anything malformed is an ApiError, never a crash."""

from __future__ import annotations

import json

import pytest

from veritone_auth.api import (
    MAX_ANSWER_BYTES,
    ApiResponse,
    User,
    graphql_data,
    read_graphql,
    read_user_logout,
)
from veritone_auth.errors import ApiError, InvalidToken, NotAllowed
from veritone_auth.json_text import MAX_DEPTH


def answer(body: object, status: int = 200) -> ApiResponse:
    return ApiResponse(status, body if isinstance(body, bytes) else json.dumps(body).encode())


@pytest.mark.parametrize(
    "body",
    [
        {"errors": 5},
        {"errors": True},
        {"errors": "boom"},
        {"errors": ["x", {"name": "authentication_error"}]},
        ["x", {"data": {}}],
        {"data": "a string"},
        {"data": [1, 2]},
        "just a string",
        5,
        None,
    ],
)
def test_a_malformed_answer_is_an_api_error(body: object) -> None:
    with pytest.raises(ApiError) as caught:
        graphql_data(read_graphql(answer(body)))
    assert type(caught.value) is ApiError and caught.value.message


def test_too_deep_an_answer_is_refused_without_recursing() -> None:
    deep = b"[" * 5000 + b"]" * 5000
    with pytest.raises(ApiError) as caught:
        read_graphql(answer(deep))
    assert "deep" in (caught.value.description or "")
    shallow = {"data": {"x": json.loads("[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3))}}
    assert read_graphql(answer(shallow)) == shallow


def test_too_large_an_answer_is_refused_before_it_is_parsed() -> None:
    body = b'{"data": {"x": "' + b"a" * MAX_ANSWER_BYTES + b'"}}'
    with pytest.raises(ApiError) as caught:
        read_graphql(answer(body))
    assert "MB" in (caught.value.description or "")


def test_an_http_error_without_graphql_errors_is_an_api_error() -> None:
    with pytest.raises(ApiError):
        read_graphql(answer({"data": None}, status=400))
    # A bad query's 400 with GraphQL errors comes back for the console to show.
    assert read_graphql(answer({"errors": [{"message": "bad"}]}, status=400))["errors"]


def test_authentication_and_rights_errors_are_told_apart() -> None:
    with pytest.raises(InvalidToken):
        read_graphql(answer({"errors": [{"name": "authentication_error"}]}))
    with pytest.raises(NotAllowed) as caught:
        read_graphql(answer({"data": None, "errors": [{"name": "not_allowed", "message": "no"}]}))
    assert caught.value.error == "api_error" and "right" in caught.value.message


@pytest.mark.parametrize(
    "body",
    [{"data": {"userLogout": "yes"}}, {"data": {"userLogout": 1}}, {"data": {}}, {"errors": 5}, [True]],
)
def test_a_malformed_user_logout_answer_is_not_a_confirmation(body: object) -> None:
    try:
        confirmed = read_user_logout(answer(body))
    except ApiError:
        confirmed = False
    assert confirmed is False
    assert read_user_logout(answer({"data": {"userLogout": True}})) is True


@pytest.mark.parametrize(
    ("me", "organization"),
    [
        ({"name": "N", "organization": "a string"}, ""),
        ({"name": "N", "organization": None}, ""),
        ({"name": "N", "organization": {"name": 5}}, "5"),
        ({"name": "N", "organization": {"name": ["x"]}}, ""),
    ],
)
def test_a_user_from_an_odd_profile(me: dict, organization: str) -> None:
    user = User.from_me({"me": me})
    assert (user.name, user.organization) == ("N", organization)


@pytest.mark.parametrize("data", [{"me": None}, {"me": "x"}, {}])
def test_no_user_is_an_api_error(data: dict) -> None:
    with pytest.raises(ApiError):
        User.from_me(data)
