"""The hostile-callback corpus (data/hostile_callbacks.json) driven through the real page.

Each case lands on the page as a fragment, the way a pasted or forged callback URL
would (a hashchange on the loaded page; a few also as a full page load). After each
one the page must be signed out with the expected #auth-error, no token stored, no
script run, no uncaught Python error, and the fragment gone from the address bar.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.e2e.actions import arrive_with, auth_error, boot, redirect_sign_in, session_storage
from tests.harness import Site
from tests.veritone_auth.tokens_for_tests import b64, make_jwt

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile_callbacks.json").read_text())["cases"]
STATE = "Pending-State-abc123XYZ_-"
CRASH_MARKERS = ("Traceback", "PythonError", "Uncaught")


def fill(fragment: str, site: Site) -> str:
    valid = site.standin.issuer.issue("8a10f21a-fc69-4857-890e-b03fde5dbeb3", "x", "127.0.0.1")
    now = time.time()
    values = {
        "{STATE}": STATE,
        "{STATE_UPPER}": STATE.swapcase(),
        "{OTHER_STATE}": "State-Of-Another-Tab-0000000000000",
        "{OPAQUE}": "opaque-but-well-formed-token-1234567890",
        "{VALID}": valid,
        "{BIG}": "a" * 1_000_000,
        "{JWT_BAD_B64}": f"{b64({'alg': 'HS256'})}.abcde.sig",  # 5 characters: not base64
        "{JWT_BAD_JSON}": f"{b64({'alg': 'HS256'})}.{b64(b'{not json')}.sig",
        "{JWT_NONE}": make_jwt({"exp": now + 3600}, header={"alg": "none"}, signature=""),
        "{JWT_NONE_UPPER}": make_jwt({"exp": now + 3600}, header={"alg": "NONE"}),
        "{JWT_PAST}": make_jwt({"exp": now - 60}),
        "{JWT_FAR}": make_jwt({"exp": 10**12}),
        "{JWT_EXP_STR}": make_jwt({"exp": "tomorrow"}),
        "{JWT_EXP_NULL}": make_jwt({"exp": None}),
        "{JWT_ARRAY}": make_jwt([1, 2, 3]),
    }
    for placeholder, value in values.items():
        fragment = fragment.replace(placeholder, value)
    return fragment


@pytest.fixture(scope="module")
def corpus_page(warm_context: Any, site: Site) -> Iterator[tuple[Any, list[str]]]:
    page = warm_context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    site.reset()
    boot(page, site.url)
    yield page, messages
    page.close()


def deliver(page: Any, fragment: str, pending: bool) -> None:
    """Put the tab in a clean signed-out state, then let ``fragment`` arrive."""
    page.evaluate(
        """([state]) => {
            sessionStorage.clear();
            if (state) sessionStorage.setItem('veritone.state', state);
            const box = document.getElementById('auth-error');
            box.hidden = true;
            box.removeAttribute('data-error');
        }""",
        [STATE if pending else None],
    )
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)
    # hashchange is queued before this timer, and the page handles it synchronously.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")


def outcome(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
            auth: document.body.dataset.auth,
            pwned: window.__pwned === undefined ? null : window.__pwned,
            hash: location.hash,
            foreignMarkup: document.querySelectorAll(
                '#auth-error img, #auth-error script, #auth-error svg, #auth-error iframe').length,
            link: document.getElementById('auth-error-link').hidden
                ? null : document.getElementById('auth-error-uri').getAttribute('href'),
        })"""
    )


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 60
    assert len({case["name"] for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_hostile_callback(corpus_page: tuple[Any, list[str]], site: Site, case: dict[str, Any]) -> None:
    page, messages = corpus_page
    messages.clear()
    pending = case.get("pending", True)
    fragment = fill(case["fragment"], site)
    deliver(page, fragment, pending)
    if (
        case["error"] in {"invalid_token", "token_expired"}
        or page.get_attribute("body", "data-auth") != "signed-out"
    ):
        page.wait_for_selector("body[data-auth='signed-out']", state="attached", timeout=10_000)
    seen = outcome(page)
    assert auth_error(page) == case["error"]
    assert seen["auth"] == "signed-out"
    assert "veritone.token" not in session_storage(page)
    assert seen["pwned"] is None
    assert seen["foreignMarkup"] == 0
    assert seen["link"] is None or seen["link"].startswith("https://")
    if case["error"] is not None:
        assert seen["hash"] == ""  # the response never stays in the address bar
        assert "veritone.state" not in session_storage(page)  # the state was spent
    assert not [m for m in messages if any(marker in m for marker in CRASH_MARKERS)]
    content = page.content()
    for name, value in parse_qsl(fragment):
        if name == "access_token" and len(value) > 16:
            assert value not in content  # shown masked in the inspector, never whole


FULL_LOAD = [
    c
    for c in CORPUS
    if c["name"]
    in {
        "token and error together",
        "1 MB token",
        "script tag in the description",
        "alg none token",
        "exp in the past",
        "state of another tab",
    }
]


@pytest.mark.parametrize("case", FULL_LOAD, ids=[case["name"] for case in FULL_LOAD])
def test_hostile_callback_on_a_full_page_load(page: Any, standin_site: Site, case: dict[str, Any]) -> None:
    arrive_with(page, standin_site, fill(case["fragment"], standin_site), state=STATE)
    assert auth_error(page) == case["error"]
    assert page.get_attribute("body", "data-auth") == "signed-out"
    assert "veritone.token" not in session_storage(page)
    assert page.evaluate("location.hash") == ""


def test_a_signed_in_session_survives_hostile_callbacks(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    held = session_storage(page)["veritone.token"]
    for case in CORPUS[:40]:
        page.evaluate("(fragment) => { location.hash = fragment; }", fill(case["fragment"], standin_site))
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
        assert session_storage(page)["veritone.token"] == held, case["name"]
        assert page.get_attribute("body", "data-auth") == "signed-in", case["name"]
        assert page.evaluate("window.__pwned") is None
