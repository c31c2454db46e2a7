"""The flow inspector shows each step in order, with the token only ever masked."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.actions import boot, log_in, redirect_sign_in, session_storage, wait_auth, wait_profile
from tests.e2e.conftest import Recorder
from tests.harness import Site

SIGN_IN_STEPS = ["authorize_url", "leave", "callback", "state_check", "token_stored", "api_request"]


def steps(page: Any) -> list[str]:
    return page.eval_on_selector_all("#flow-log li[data-step]", "items => items.map(i => i.dataset.step)")


def test_redirect_sign_in_steps_survive_the_redirect(
    page: Any, standin_site: Site, recorder: Recorder
) -> None:
    redirect_sign_in(page, standin_site)
    assert steps(page) == SIGN_IN_STEPS
    token = json.loads(session_storage(page)["veritone.token"])["access_token"]
    panel = page.inner_text("#flow-log")
    assert token not in panel
    assert f"{token[:6]}…{token[-4:]}" in panel
    assert token not in session_storage(page)["veritone.flow_log"]
    assert not [text for _kind, text in recorder.console if token in text]
    links = page.eval_on_selector_all("#flow-log li > a", "links => links.map(a => a.href)")
    assert links[0] == "https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1"
    assert all(link.startswith("https://") for link in links)


def test_popup_sign_in_steps(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    with page.expect_popup() as popup_info:
        page.click("#sign-in-popup")
    log_in(popup_info.value)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert steps(page) == SIGN_IN_STEPS
    assert "by popup" in page.inner_text("#flow-log li[data-step='leave']")


def test_access_denied_steps(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url)
    page.click("#sign-in")
    log_in(page, decision="deny")
    page.wait_for_selector("#auth-error[data-error='access_denied']", state="attached", timeout=30_000)
    assert steps(page) == ["authorize_url", "leave", "callback", "state_check", "error"]


def test_sign_out_clears_the_log(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    page.click("#sign-out")
    page.wait_for_selector("#flow-log li[data-step='revoke']", state="attached")
    assert steps(page) == ["sign_out", "revoke"]
    assert "veritone.flow_log" in session_storage(page)
    assert all(
        e["step"] in {"sign_out", "revoke"} for e in json.loads(session_storage(page)["veritone.flow_log"])
    )
