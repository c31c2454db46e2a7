"""The test kit's stand-in (standin/kit.py), driven as an adopter's tests drive it.

The ``veritone`` fixture is the kit's own (standin/pytest_plugin.py, loaded in
tests/conftest.py as the entry point loads it for adopters). The library's client
and callback parser talk to it: what an adopter's page would do, minus the browser.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from standin.kit import VeritoneStandin
from veritone_auth.authorize import authorization_url
from veritone_auth.callback import parse_callback
from veritone_auth.client import VeritoneClient
from veritone_auth.errors import AccessDenied, ApiError, InvalidToken, Timeout

PAGE = "http://127.0.0.1:8765/app/"
CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
    "connect-src 'self' https://api.veritone.com; object-src 'none'\">"
)


def client(kit: VeritoneStandin, token: str, timeout: float = 10) -> VeritoneClient:
    return VeritoneClient(kit.graphql_url, token, timeout=timeout)


def authorize(kit: VeritoneStandin, redirect_uri: str = PAGE) -> tuple[int, str, str]:
    """Ask the authorize endpoint, as a page's sign-in does; its status, Location and state."""
    url, state = authorization_url(kit.authorize_url, kit.client_id, redirect_uri)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    location = response.getheader("Location") or ""
    connection.close()
    return response.status, location, state


def test_a_signed_in_users_token_answers_the_api_as_veritone_does(veritone: VeritoneStandin) -> None:
    token = veritone.sign_in()
    assert client(veritone, token).user().name == veritone.user.email


def test_a_revoked_token_is_refused(veritone: VeritoneStandin) -> None:
    token = veritone.sign_in()
    assert veritone.revoke(token)
    with pytest.raises(InvalidToken):
        client(veritone, token).user()
    assert not veritone.revoke(token)  # no longer a valid one


def test_deny_answers_the_page_with_access_denied_and_its_state(veritone: VeritoneStandin) -> None:
    veritone.register(PAGE)
    veritone.deny()
    status, location, state = authorize(veritone)
    assert status == 302 and location.startswith(PAGE + "#")
    with pytest.raises(AccessDenied):
        parse_callback(urlsplit(location).fragment, state)


def test_a_page_that_is_not_registered_gets_no_redirect(veritone: VeritoneStandin) -> None:
    status, location, _state = authorize(veritone, "http://127.0.0.1:9/not-registered/")
    assert status == 400 and location == ""


def test_a_delayed_api_runs_into_the_clients_timeout(veritone: VeritoneStandin) -> None:
    veritone.delay_api(5)
    started = time.monotonic()
    with pytest.raises(Timeout):
        client(veritone, veritone.sign_in(), timeout=0.5).user()
    assert time.monotonic() - started < 3


def test_a_failing_api_is_an_api_error(veritone: VeritoneStandin) -> None:
    veritone.fail_api(503)
    with pytest.raises(ApiError):
        client(veritone, veritone.sign_in()).user()


def test_tokens_can_be_short_lived(veritone: VeritoneStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    veritone.token_ttl(60)
    fresh = veritone.sign_in()
    # Issued two minutes ago: its minute is over, with no test waiting for it.
    monkeypatch.setattr(veritone.standin.issuer, "clock", lambda: time.time() - 120)
    stale = veritone.sign_in()
    assert client(veritone, fresh).user().name == veritone.user.email
    with pytest.raises(InvalidToken):
        client(veritone, stale).user()


@pytest.mark.parametrize("error", ["access_denied", "server_error", "temporarily_unavailable"])
def test_deny_answers_with_each_error_it_knows(veritone: VeritoneStandin, error: str) -> None:
    veritone.register(PAGE)
    veritone.deny(error)
    _status, location, state = authorize(veritone)
    assert dict(parse_qsl(urlsplit(location).fragment)) == {"error": error, "state": state}


def test_reset_turns_every_knob_back(veritone: VeritoneStandin) -> None:
    veritone.deny()
    veritone.fail_api(500)
    veritone.delay_api(30)
    veritone.token_ttl(1)
    veritone.standin.sessions["someone"] = veritone.user.email  # signed in at the stand-in
    veritone.reset()
    assert veritone.standin.options == veritone.defaults and veritone.standin.sessions == {}
    started = time.monotonic()
    assert client(veritone, veritone.sign_in()).user().name == veritone.user.email
    assert time.monotonic() - started < 5  # not held back 30 s
    veritone.register(PAGE)
    status, location, _state = authorize(veritone)
    assert status == 200 and location == ""  # the login form, not an error


def test_an_unknown_fault_is_refused_at_once(veritone: VeritoneStandin) -> None:
    with pytest.raises(ValueError, match="access_denied"):
        veritone.deny("no_such_error")


def test_serve_points_a_page_at_the_stand_in_and_leaves_its_files_alone(
    veritone: VeritoneStandin, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(f"<!doctype html><head>{CSP}</head><p>connect-src is here</p>")
    (tmp_path / "config.json").write_text('{"environment": "us", "client_id": ""}')
    (tmp_path / "main.py").write_text("print('hi')\n")
    url = veritone.serve(tmp_path)
    assert url in veritone.standin.registry.apps[veritone.client_id].redirect_uris
    assert veritone.standin.page_origins >= {url.rstrip("/")}
    config = json.loads(urllib.request.urlopen(url + "config.json").read())
    assert config == {"environment": "standin", "base_url": veritone.url, "client_id": veritone.client_id}
    html = urllib.request.urlopen(url).read().decode()
    assert f"connect-src 'self' https://api.veritone.com {veritone.url}; object-src" in html
    assert "<p>connect-src is here</p>" in html  # only the policy changes
    assert urllib.request.urlopen(url + "main.py").read() == b"print('hi')\n"
    assert (
        "client_id" in (tmp_path / "config.json").read_text()
        and veritone.url not in (tmp_path / "index.html").read_text()
    )


def test_serve_says_so_when_it_cannot_point_a_pages_csp_at_the_stand_in(
    veritone: VeritoneStandin, tmp_path: Path
) -> None:
    policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
    (tmp_path / "index.html").write_text(f"<!doctype html><head>{policy}</head>")
    url = veritone.serve(tmp_path)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url)
    assert refused.value.code == 500
    assert "no connect-src" in refused.value.read().decode()
