"""JSON the page does not control is read without deep recursion: too deep is refused unparsed."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veritone_auth import json_text
from veritone_auth.authorize import PendingSignIn
from veritone_auth.callback import TokenResponse
from veritone_auth.flow_log import LOG_KEY, FlowLog
from veritone_auth.handover import read_handover
from veritone_auth.json_text import MAX_DEPTH, TooDeep, loads, nested_too_deeply
from veritone_auth.session import read_signed_out_message
from veritone_auth.store import SIGNED_OUT_KEY, TOKEN_KEY, SignedOutTokens, TokenStore
from veritone_auth.tokens import Token

DEEP = "[" * 5000 + "]" * 5000
# Any text, and text made of what decides nesting: brackets, quotes and backslashes.
STRINGS = st.text() | st.text(alphabet='[]{}"\\a')


def nested(depth: int) -> str:
    """Objects and lists in turn, ``depth`` levels deep."""
    text = "1"
    for level in range(depth):
        text = f'{{"a": {text}}}' if level % 2 else f"[{text}]"
    return text


def test_deep_nesting_is_refused_before_json_loads_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(text: str) -> None:
        raise AssertionError("json.loads was called")

    monkeypatch.setattr(json_text.json, "loads", no_parse)
    for text in (DEEP, DEEP.encode(), DEEP.encode("utf-16"), nested(MAX_DEPTH + 1)):
        with pytest.raises(TooDeep):
            loads(text)


def test_up_to_the_limit_is_parsed() -> None:
    assert loads(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    assert loads(b'{"data": {"me": null}}') == {"data": {"me": None}}


def test_brackets_in_strings_do_not_nest() -> None:
    inside = json.dumps({"a": "[" * 5000, "b": ['\\"[[[', "{{{" * 100]})
    assert loads(inside)["a"] == "[" * 5000
    assert not nested_too_deeply(inside.encode())


def test_too_deep_is_a_value_error_and_not_json_is_one_too() -> None:
    assert issubclass(TooDeep, ValueError)
    for text in ("{not json", b"\xff\xfe\x00", "[" * 10):
        with pytest.raises(ValueError):
            loads(text)


@given(
    st.recursive(
        st.none() | st.integers() | STRINGS, lambda kids: st.lists(kids) | st.dictionaries(STRINGS, kids)
    )
)
def test_depth_counted_is_the_depth_parsed(value: object) -> None:
    def depth(item: object) -> int:
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    text = json.dumps(value, ensure_ascii=False)
    for limit in (0, 1, 2, 3):
        assert nested_too_deeply(text.encode(), limit) == (depth(value) > limit)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 70 + b'"' + b'\\"' * 1_000_000,  # one string left open, full of escaped quotes
        b"[" * 70 + b'"' * 2_000_000,
        b'"[' * 1_000_000,
        b'["' + b"\\\\" * 1_000_000 + b'"' + b"[" * 70,
    ],
    ids=["escaped-quotes", "quotes", "quoted-brackets", "backslashes"],
)
def test_two_megabytes_of_quotes_and_escapes_are_read_in_one_pass(body: bytes) -> None:
    # Not a benchmark: a pattern that retried from each quote took 4.8 s for 40 kB of the first
    # body, and hours for 2 MB. One pass takes about 0.1 s; 5 s means it is not one pass.
    started = time.perf_counter()
    assert nested_too_deeply(body)
    assert time.perf_counter() - started < 5


def test_every_reader_of_outside_json_refuses_deep_input_quietly() -> None:
    # What another page of the origin could put in storage or on a channel. Under CPython the
    # channel's reader raised RecursionError, which its `except ValueError` let through.
    assert read_handover(DEEP, "popup-1", "state") is None
    assert read_signed_out_message(DEEP) is None
    assert PendingSignIn.from_json(DEEP) is None
    with pytest.raises(ValueError):
        Token.from_json(DEEP)
    storage = {TOKEN_KEY: DEEP, SIGNED_OUT_KEY: DEEP, LOG_KEY: DEEP}
    assert TokenStore(storage).load() is None and TOKEN_KEY not in storage  # a corrupt entry goes
    held = Token.from_response(TokenResponse("abc", "Bearer"), 0.0)
    assert held not in SignedOutTokens(storage)
    assert FlowLog(storage).events == []
