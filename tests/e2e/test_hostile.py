"""The hostile-callback corpus (data/hostile_callbacks.json) driven through the real page.

Each case lands on the page by a full page load with the fragment, which is how a real
response (or a forged callback URL) arrives. After each one the page must be signed out
with the expected #auth-error, no token stored, no script run (PyScript's own tags
included), no uncaught Python error, and the fragment gone from the address bar. A hash
change on a loaded page is never a response: a signed-in tab survives the whole corpus
arriving that way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.e2e.actions import (
    PENDING_KEY,
    arrive,
    auth_error,
    on_the_origin,
    quick_sign_in,
    session_storage,
    set_pending,
)
from tests.harness import Site
from tests.veritone_auth.tokens_for_tests import b64, make_jwt

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile_callbacks.json").read_text())["cases"]
STATE = "Pending-State-abc123XYZ_-"
CRASH_MARKERS = ("Traceback", "PythonError", "Uncaught")
# Set the hash and return once the page has handled it: the page's hashchange listener (its
# Python, synchronous) was added at boot, so it runs before this one, added now. An unchanged
# address fires no event, and there is nothing to handle then.
CHANGE_HASH = """(fragment) => new Promise((handled) => {
  const before = location.href;
  addEventListener("hashchange", () => handled(), { once: true });
  location.hash = fragment;
  if (location.href === before) handled();
})"""


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
        "{JWT_DEEP}": f"{b64({'alg': 'HS256'})}.{b64(b'[' * 1400 + b']' * 1400)}.sig",
    }
    for placeholder, value in values.items():
        fragment = fragment.replace(placeholder, value)
    return fragment


@pytest.fixture
def corpus_page(warm_context: Any, site: Site) -> Iterator[tuple[Any, list[str]]]:
    # A tab of its own for each case. One tab for the whole corpus loaded Pyodide 85 times,
    # and under load a wasm memory could not be had: the earlier loads of that tab still held
    # theirs ("wasm instantiation failed! RangeError"). A closed tab gives its memory back,
    # though every tab of the site shares one renderer for the session (conftest.py).
    page = warm_context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    site.reset()
    on_the_origin(page, site)
    yield page, messages
    page.close()


def deliver(page: Any, site: Site, fragment: str, pending: bool | str) -> None:
    """Put the tab in a clean signed-out state, then arrive with ``fragment`` by a full load."""
    page.evaluate("() => sessionStorage.clear()")
    if pending:
        set_pending(page, site.url, STATE, age=601 if pending == "expired" else 0)
    arrive(page, site.url, fragment)


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
            pyscriptTargets: document.querySelectorAll(
                '[py-click], py-script, script[type="mpy"], #pwn').length,
            pyScripts: document.querySelectorAll('script[type="py"]').length,
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
    deliver(page, site, fragment, pending)
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
    assert seen["pyscriptTargets"] == 0
    assert seen["pyScripts"] == 1  # main.py's own, and nothing the response brought
    assert seen["link"] is None or seen["link"].startswith("https://")
    if case["error"] is not None:
        assert seen["hash"] == ""  # the response never stays in the address bar
        assert PENDING_KEY not in session_storage(page)  # the pending sign-in was spent
    assert not [m for m in messages if any(marker in m for marker in CRASH_MARKERS)]
    content = page.content()
    for name, value in parse_qsl(fragment):
        if name == "access_token" and len(value) > 16:
            assert value not in content  # shown masked in the inspector, never whole


def test_a_signed_in_session_survives_hostile_callbacks_by_hash_change(page: Any, standin_site: Site) -> None:
    token = quick_sign_in(page, standin_site)
    held = session_storage(page)["veritone.token"]
    for case in CORPUS:
        if len(case["fragment"]) > 2000:
            continue  # the 1 MB cases: a hash change of that size only slows the test
        # A pending sign-in too: even the user's own popup sign-in is no way in for them.
        set_pending(page, standin_site.url, STATE, mode="popup")
        fragment = fill(case["fragment"], standin_site)
        page.evaluate(CHANGE_HASH, fragment)
        assert session_storage(page)["veritone.token"] == held, case["name"]
        assert PENDING_KEY in session_storage(page), case["name"]  # not spent by a hash change
        assert page.get_attribute("body", "data-auth") == "signed-in", case["name"]
        assert page.evaluate("window.__pwned") is None
        assert "access_token" not in page.evaluate("location.href"), case["name"]
    assert token not in page.content()


def test_a_signed_in_session_survives_unsolicited_responses_on_a_full_load(
    page: Any, standin_site: Site
) -> None:
    quick_sign_in(page, standin_site)
    held = session_storage(page)["veritone.token"]
    for name in ("a genuine token injected under another state", "replayed genuine response"):
        case = next(c for c in CORPUS if c["name"] == name)
        arrive(page, standin_site.url, fill(case["fragment"], standin_site))
        page.wait_for_selector("body[data-auth='signed-in']", state="attached")
        assert session_storage(page)["veritone.token"] == held
        assert auth_error(page) == "state_mismatch"
