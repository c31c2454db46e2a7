"""FlowLog: ordered, capped, redacted, and harmless when storage fails."""

from __future__ import annotations

from tests.veritone_auth.tokens_for_tests import make_jwt
from veritone_auth.flow_log import LINKS, LOG_KEY, MAX_EVENTS, FlowLog, redact


def test_events_are_ordered_capped_and_linked() -> None:
    log = FlowLog({})
    for i in range(MAX_EVENTS + 5):
        log.emit("api_request", float(i), f"call {i}")
    assert len(log.events) == MAX_EVENTS
    assert log.events[-1].summary == f"call {MAX_EVENTS + 4}"
    assert log.events[0].link == LINKS["api_request"]


def test_redact_masks_anything_shaped_like_a_jwt() -> None:
    token = make_jwt({"exp": 1, "pad": "x" * 50})
    text = redact(f"Authorization: Bearer {token} and {token}")
    assert token not in text
    assert text.count(token[:6] + "…" + token[-4:]) == 2


def test_emit_redacts_summary_and_details() -> None:
    storage: dict[str, str] = {}
    token = make_jwt({"exp": 1, "pad": "y" * 50})
    log = FlowLog(storage)
    log.emit("callback", 1.0, f"got {token}", fragment=f"access_token={token}")
    assert token not in storage[LOG_KEY]


def test_listeners_hear_each_event() -> None:
    heard = []
    log = FlowLog()
    log.listeners.append(heard.append)
    log.emit("leave", 1.0, "left")
    assert [e.step for e in heard] == ["leave"]


def test_failing_or_corrupt_storage_never_breaks_the_flow() -> None:
    class Refusing(dict):
        def __setitem__(self, key: str, value: str) -> None:
            raise OSError("full")

    log = FlowLog(Refusing())
    log.emit("leave", 1.0, "left")
    assert len(log.events) == 1
    assert FlowLog({LOG_KEY: "{broken"}).events == []
