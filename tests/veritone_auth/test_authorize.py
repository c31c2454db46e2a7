"""The pending sign-in keeps where the user was, on this origin only."""

from __future__ import annotations

import pytest

from veritone_auth.authorize import PendingSignIn, return_location

REDIRECT = "https://me.github.io/app/"


@pytest.mark.parametrize(
    ("page", "back_to"),
    [
        ("https://me.github.io/app/#settings", "/app/#settings"),
        ("https://me.github.io/app/index.html?tab=2#deep/link", "/app/index.html?tab=2#deep/link"),
        ("https://me.github.io/app/", "/app/"),
        ("https://me.github.io/app/#access_token=x&state=y", "/app/"),  # never a response
        ("https://evil.example/app/#settings", ""),  # another origin: nowhere
    ],
)
def test_return_location(page: str, back_to: str) -> None:
    assert return_location(page, REDIRECT) == back_to


@pytest.mark.parametrize("stored", ["//evil.example/", "/\\evil.example", "https://evil.example/", "evil"])
def test_a_stored_return_location_off_this_origin_is_not_a_pending_sign_in(stored: str) -> None:
    text = PendingSignIn("s", 1.0, REDIRECT, return_to=stored).to_json()
    assert PendingSignIn.from_json(text) is None
    assert PendingSignIn.from_json(PendingSignIn("s", 1.0, REDIRECT, return_to="/app/#x").to_json())
