"""JSON the page does not control is read without deep recursion: too deep is refused unparsed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veritone_auth import json_text
from veritone_auth.json_text import MAX_DEPTH, TooDeep, loads, nested_too_deeply

DEEP = "[" * 5000 + "]" * 5000


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
        st.none() | st.integers() | st.text(), lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids)
    )
)
def test_depth_counted_is_the_depth_parsed(value: object) -> None:
    def depth(item: object) -> int:
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    text = json.dumps(value, ensure_ascii=False)
    for limit in (0, 1, 2, 3):
        assert nested_too_deeply(text.encode(), limit) == (depth(value) > limit)
