"""authorization_url and parse_callback: RFC 6749 §4.2.1 and §4.2.2 on the wire."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veritone_auth.authorize import authorization_url, new_state
from veritone_auth.callback import MAX_FRAGMENT_LENGTH, parse_callback
from veritone_auth.callback import looks_like_response as is_callback
from veritone_auth.errors import OAUTH_ERRORS, AuthorizationError

ENDPOINT = "https://api.veritone.com/v1/admin/oauth/authorize"
STATE = "expected-state-value"


def fragment(**params: str) -> str:
    return "#" + urlencode(params)


def ok(**extra: str) -> str:
    return fragment(access_token="abc.def.ghi", token_type="Bearer", state=STATE, **extra)


def test_authorization_url_has_the_guide_parameters() -> None:
    url, state = authorization_url(ENDPOINT, "client-1", "https://me.example/app/")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == ENDPOINT
    assert parse_qs(parts.query) == {
        "response_type": ["token"],
        "client_id": ["client-1"],
        "redirect_uri": ["https://me.example/app/"],
        "scope": ["all"],
        "state": [state],
    }


def test_state_has_at_least_128_bits_and_is_fresh() -> None:
    states = {new_state() for _ in range(1000)}
    assert len(states) == 1000
    assert all(len(s) >= 43 for s in states)  # 32 bytes in base64url: 256 bits


def test_authorization_url_makes_a_new_state_each_time() -> None:
    assert (
        authorization_url(ENDPOINT, "c", "https://x/")[1] != authorization_url(ENDPOINT, "c", "https://x/")[1]
    )


@given(client_id=st.text(), redirect_uri=st.text(), state=st.text(min_size=1))
def test_authorization_url_round_trips_through_urllib(client_id: str, redirect_uri: str, state: str) -> None:
    url, _ = authorization_url(ENDPOINT, client_id, redirect_uri, state=state)
    query = parse_qs(urlsplit(url).query, keep_blank_values=True, errors="surrogatepass")
    assert query["client_id"] == [client_id]
    assert query["redirect_uri"] == [redirect_uri]
    assert query["state"] == [state]
    assert query["response_type"] == ["token"]
    assert urlsplit(url).fragment == ""


def test_parses_the_guide_sample_response() -> None:
    response = parse_callback(ok(), STATE)
    assert response.access_token == "abc.def.ghi"
    assert response.token_type == "Bearer"
    assert response.expires_in is None
    assert "abc.def.ghi" not in repr(response)


def test_token_type_is_case_insensitive() -> None:
    assert parse_callback(ok().replace("Bearer", "bEaReR"), STATE).token_type == "Bearer"


@pytest.mark.parametrize("token_type", ["mac", "Basic", "DPoP", "bearer2"])
def test_other_token_types_are_rejected(token_type: str) -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(access_token="abc", token_type=token_type, state=STATE), STATE)
    assert caught.value.error == "unsupported_token_type"


@pytest.mark.parametrize("error", sorted(OAUTH_ERRORS))
def test_each_guide_error_id(error: str) -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(error=error, error_description="Why it failed", state=STATE), STATE)
    assert caught.value.error == error
    assert caught.value.message == OAUTH_ERRORS[error]
    assert caught.value.description == "Why it failed"


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (None, STATE),
        ("other", STATE),
        ("", STATE),
        (STATE + "x", STATE),
        ("é", STATE),
        (STATE.upper(), STATE),
    ],
)
def test_state_mismatch(received: str | None, expected: str) -> None:
    params = {"access_token": "abc", "token_type": "Bearer"}
    if received is not None:
        params["state"] = received
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(**params), expected)
    assert caught.value.error == "state_mismatch"


def test_state_is_checked_before_anything_else() -> None:
    # An error response, a bad token type, or a malformed token: all lose to a bad state.
    for bad in (
        fragment(error="access_denied", state="x"),
        fragment(access_token="a", token_type="mac", state="x"),
        fragment(access_token="a b", token_type="Bearer", state="x"),
    ):
        with pytest.raises(AuthorizationError) as caught:
            parse_callback(bad, STATE)
        assert caught.value.error == "state_mismatch"


def test_missing_state_is_accepted_only_where_not_required() -> None:
    response = fragment(access_token="abc", token_type="Bearer")
    assert parse_callback(response, STATE, require_state=False).access_token == "abc"
    with pytest.raises(AuthorizationError):
        parse_callback(
            fragment(access_token="abc", token_type="Bearer", state="wrong"), STATE, require_state=False
        )


def test_a_missing_state_names_the_fix_and_its_cost() -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(access_token="abc", token_type="Bearer"), STATE)
    assert caught.value.error == "state_mismatch"
    assert '"require_state": false' in caught.value.description
    assert "config.json" in caught.value.description
    assert "injected" in caught.value.description  # what it costs


def test_an_error_without_state_is_an_error_where_state_is_not_required() -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback("#error=access_denied", STATE, require_state=False)
    assert caught.value.error == "access_denied"


@pytest.mark.parametrize(
    "token",
    [
        "abc:def-123",  # Veritone's documented alphabet: letters, digits, "-" and ":"
        "8a10f21a-fc69-4857:890e-b03fde5dbeb3",
        "a.b.c",
        "YWJj+_==",
    ],
)
def test_token_alphabet_includes_the_colon(token: str) -> None:
    response = parse_callback(fragment(access_token=token, token_type="Bearer", state=STATE), STATE)
    assert response.access_token == token


@pytest.mark.parametrize("token", [".", "..", "....", "YWJj+/==", "../logout", "a/b", "a\\b", "a%2e"])
def test_a_path_shaped_token_is_refused(token: str) -> None:
    # The revoke puts the token in a URL's path: ".." there would steer it to /v1/admin/logout.
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(access_token=token, token_type="Bearer", state=STATE), STATE)
    assert caught.value.error == "invalid_callback"


@pytest.mark.parametrize("token", ["a b", "a;b", "a<b", 'a"b', "a=b", "é"])
def test_other_characters_are_not_a_token(token: str) -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(access_token=token, token_type="Bearer", state=STATE), STATE)
    assert caught.value.error == "invalid_callback"


@pytest.mark.parametrize(
    "response",
    [
        "#access_token=a&access_token=b&token_type=Bearer&state=" + STATE,
        "#state=" + STATE + "&state=" + STATE + "&access_token=a&token_type=Bearer",
        fragment(access_token="abc", error="access_denied", token_type="Bearer", state=STATE),
        fragment(token_type="Bearer", state=STATE),
        fragment(access_token="", token_type="Bearer", state=STATE),
        fragment(access_token="abc", state=STATE),
        fragment(access_token="a b", token_type="Bearer", state=STATE),
        fragment(access_token="a\r\nX-Evil: 1", token_type="Bearer", state=STATE),
        fragment(access_token="abc", token_type="Bearer", state=STATE, expires_in="soon"),
        fragment(access_token="abc", token_type="Bearer", state=STATE, expires_in="-1"),
        fragment(error="<script>", state=STATE),
        "#state=" + STATE + "&access_token=%ff%fe&token_type=Bearer",
        "#" + "a=b&" * 40 + "state=" + STATE,
        "#state=" + STATE + "&access_token=" + "a" * MAX_FRAGMENT_LENGTH,
    ],
)
def test_malformed_responses_are_invalid_callbacks(response: str) -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(response, STATE)
    assert caught.value.error == "invalid_callback"


def test_plus_is_a_space_in_form_encoding() -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback("#access_token=a+b&token_type=Bearer&state=" + STATE, STATE)
    assert caught.value.error == "invalid_callback"
    assert parse_callback("#access_token=a%2Bb&token_type=Bearer&state=" + STATE, STATE).access_token == "a+b"


def test_error_uri_is_kept_only_when_https() -> None:
    def uri_of(uri: str) -> str | None:
        with pytest.raises(AuthorizationError) as caught:
            parse_callback(fragment(error="access_denied", error_uri=uri, state=STATE), STATE)
        return caught.value.uri

    assert uri_of("https://docs.veritone.com/x") == "https://docs.veritone.com/x"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,<b>",
        "http://plain.example/",
        "JAVASCRIPT:x",
        " https://x",
    ):
        assert uri_of(bad) is None


def test_description_with_control_characters_is_dropped() -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(error="access_denied", error_description="a\x00b", state=STATE), STATE)
    assert caught.value.error == "access_denied"
    assert caught.value.description is None


def test_description_is_kept_as_text_and_shortened() -> None:
    text = "<img src=x onerror=alert(1)>" * 40
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(error="server_error", error_description=text, state=STATE), STATE)
    assert caught.value.description == text[:500]


def test_unknown_error_ids_keep_their_id_with_a_generic_message() -> None:
    with pytest.raises(AuthorizationError) as caught:
        parse_callback(fragment(error="slow_down", state=STATE), STATE)
    assert caught.value.error == "slow_down"
    assert "does not know" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("#", False),
        ("#section-2", False),
        ("#access_token=x", True),
        ("#error=x", True),
        ("#state=x", True),
        ("#a=1&a=2", True),
    ],
)
def test_is_callback(text: str, expected: bool) -> None:
    assert is_callback(text) is expected


@given(st.text(max_size=300), st.text(min_size=1, max_size=50), st.booleans())
def test_parse_callback_raises_nothing_but_authorization_error(text: str, expected: str, req: bool) -> None:
    try:
        parse_callback(text, expected, require_state=req)
    except AuthorizationError:
        pass


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "access_token",
                "token_type",
                "state",
                "error",
                "error_description",
                "error_uri",
                "expires_in",
                "scope",
                "x",
            ]
        ),
        st.text(max_size=60),
    )
)
def test_parse_callback_on_structured_garbage(params: dict[str, str]) -> None:
    try:
        response = parse_callback(fragment(**params), params.get("state") or STATE)
    except AuthorizationError as error:
        assert error.error
    else:
        assert response.token_type == "Bearer"
        assert "error" not in params


def test_the_state_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def recording(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    parse_callback(fragment(access_token="abc", token_type="Bearer", state=STATE), STATE)
    assert seen == [(STATE.encode(), STATE.encode())]


def test_a_handed_over_response_counts_only_for_its_popup_and_state() -> None:
    import json as _json

    from veritone_auth.handover import read_handover

    def message(**fields: object) -> str:
        return _json.dumps({"kind": "response", "popup": "p1", "at": "https://x/", **fields})

    good = "#access_token=abc&token_type=Bearer&state=" + STATE
    assert read_handover(message(response=good), "p1", STATE) == (good, "https://x/")
    assert read_handover(message(response="#access_token=abc&token_type=Bearer"), "p1", STATE)
    assert read_handover(message(response=good), "p2", STATE) is None  # another popup's
    assert read_handover(message(response="#access_token=abc&state=other"), "p1", STATE) is None
    assert read_handover(message(response=good, kind="taken"), "p1", STATE) is None
    assert read_handover(message(response=5), "p1", STATE) is None
    assert read_handover("not json", "p1", STATE) is None
    assert read_handover(message(response=good), "", STATE) is None
