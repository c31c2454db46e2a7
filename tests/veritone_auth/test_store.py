"""TokenStore over an injected mapping: single-use state, whole writes, storage failures."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

import pytest

from veritone_auth.callback import TokenResponse
from veritone_auth.errors import StorageUnavailable
from veritone_auth.store import PENDING_KEY, PENDING_LIFETIME, TOKEN_KEY, PendingSignIn, TokenStore
from veritone_auth.tokens import Token


def a_token() -> Token:
    return Token.from_response(TokenResponse("abc.def.ghi", "Bearer"), 1000.0)


class Broken(MutableMapping[str, str]):
    """A storage that fails the way browsers do: on every call, or only when full."""

    def __init__(self, fail_reads: bool = True, quota: int | None = None) -> None:
        self.data: dict[str, str] = {}
        self.fail_reads = fail_reads
        self.quota = quota

    def __getitem__(self, key: str) -> str:
        if self.fail_reads:
            raise PermissionError("SecurityError")
        return self.data[key]

    def __setitem__(self, key: str, value: str) -> None:
        if self.quota is None or len(value) > self.quota:
            self.data[key] = value[: (self.quota or 0) // 2]  # a partial write, then the error
            raise OSError("QuotaExceededError")
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def test_pending_sign_in_is_single_use() -> None:
    store = TokenStore({})
    store.save_pending(PendingSignIn("s1", 100.0, "https://a.example/", "popup"))
    assert store.pending
    assert store.take_pending() == PendingSignIn("s1", 100.0, "https://a.example/", "popup")
    assert store.take_pending() is None
    assert not store.pending


def test_pending_sign_in_expires_after_ten_minutes() -> None:
    pending = PendingSignIn("s", 1000.0, "https://a.example/")
    assert PENDING_LIFETIME == 600
    assert not pending.expired(1000.0)
    assert not pending.expired(1599.0)
    assert pending.expired(1600.0)
    assert pending.expired(999.0)  # started in the future: a clock that went back, not trusted


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '"s"',
        "{}",
        '{"state": "", "started_at": 1, "redirect_uri": "https://a/"}',
        '{"state": 5, "started_at": 1, "redirect_uri": "https://a/"}',
        '{"state": "s", "started_at": 1}',
    ],
)
def test_a_corrupt_pending_record_is_no_pending_sign_in(text: str) -> None:
    storage = {PENDING_KEY: text}
    assert TokenStore(storage).take_pending() is None
    assert PENDING_KEY not in storage


def test_token_round_trip_and_clear() -> None:
    storage: dict[str, str] = {}
    store = TokenStore(storage)
    store.save(a_token())
    assert list(storage) == [TOKEN_KEY]
    assert store.load() == a_token()
    store.clear_token()
    assert store.load() is None


def test_corrupt_entry_is_deleted() -> None:
    storage = {TOKEN_KEY: "{not json"}
    assert TokenStore(storage).load() is None
    assert TOKEN_KEY not in storage


def test_blocked_storage_is_storage_unavailable() -> None:
    store = TokenStore(Broken())
    for operation in (
        store.load,
        store.take_pending,
        lambda: store.save(a_token()),
        lambda: store.save_pending(PendingSignIn("s", 1.0, "https://a/")),
    ):
        with pytest.raises(StorageUnavailable) as caught:
            operation()
        assert caught.value.error == "storage_unavailable"


def test_full_storage_leaves_nothing_half_stored() -> None:
    storage = Broken(fail_reads=False, quota=130)
    store = TokenStore(storage)
    with pytest.raises(StorageUnavailable):
        store.save(Token.from_response(TokenResponse("abc.def.ghi" + "x" * 40, "Bearer"), 1000.0))
    assert TOKEN_KEY not in storage.data
    store.save_pending(PendingSignIn("s", 1.0, "https://a/"))
    assert list(storage.data) == [PENDING_KEY]
