"""The authorization endpoint and login page follow RFC 6749 §4.2 and the Veritone guide."""

from __future__ import annotations

from urllib.parse import urlsplit

import jwt
import pytest

from standin.oauth import DEMO_CLIENT_ID, App
from tests.standin.conftest import PAGE, Raw, csrf_of, issue_token, log_in, post_form, request_params

GUIDE_ERRORS = {
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
}


def test_login_form_follows_the_contract(raw: Raw) -> None:
    answer = raw.authorize(**request_params())
    html = answer.body.decode()
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    for hook in (
        'name="username"',
        'name="password"',
        'name="decision" value="allow"',
        'name="decision" value="deny"',
        'name="csrf_token"',
    ):
        assert hook in html


def test_allow_redirects_with_a_token_in_the_fragment(raw: Raw) -> None:
    answer = log_in(raw)
    assert answer.status == 302
    location = urlsplit(answer.location)
    assert f"{location.scheme}://{location.netloc}{location.path}" == PAGE
    assert location.query == ""
    fragment = answer.fragment
    assert set(fragment) == {"access_token", "token_type", "state"}  # no expires_in, no scope
    assert fragment["token_type"] == "Bearer"
    assert fragment["state"] == "s-123"
    assert "refresh_token" not in answer.location


def test_token_has_veritone_claims(raw: Raw, standin) -> None:
    token = issue_token(raw)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, standin.standin.issuer.key, algorithms=["HS256"])
    assert set(claims) == {
        "userId",
        "contentApplicationId",
        "originHost",
        "scope",
        "iat",
        "exp",
        "sub",
        "jti",
    }
    assert claims["sub"] == "oauth2"
    assert claims["contentApplicationId"] == DEMO_CLIENT_ID
    assert claims["originHost"] == "127.0.0.1"
    assert claims["exp"] - claims["iat"] == 604800
    assert "job:read" in claims["scope"][0]["actions"]


def test_token_ttl_knob(raw: Raw, standin) -> None:
    standin.standin.issuer.ttl = 2
    claims = jwt.decode(issue_token(raw), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 2


def test_each_run_signs_with_its_own_key(standin) -> None:
    from standin.tokens import TokenIssuer

    assert TokenIssuer().key != TokenIssuer().key != standin.standin.issuer.key


def test_deny_sends_access_denied_with_state(raw: Raw) -> None:
    answer = log_in(raw, decision="deny")
    assert answer.status == 302
    assert answer.fragment == {"error": "access_denied", "state": "s-123"}
    assert answer.location.startswith(PAGE + "#")


def test_wrong_password_shows_the_form_again(raw: Raw) -> None:
    answer = log_in(raw, password="nope")
    assert answer.status == 401
    assert "Location" not in answer.headers
    assert "Wrong email or password" in answer.body.decode()
    assert 'name="password"' in answer.body.decode()


LOGIN = {"username": "demo@example.com", "password": "demo", "decision": "allow"}


def test_form_without_csrf_token_is_refused(raw: Raw) -> None:
    raw.authorize(**request_params())
    answer = post_form(raw, {**LOGIN, "csrf_token": "forged"})
    assert answer.status == 403
    assert "Location" not in answer.headers


def test_form_from_another_browser_is_refused(raw: Raw, standin) -> None:
    csrf = csrf_of(raw.authorize(**request_params()))
    other = Raw(standin.server_port)  # no CSRF cookie: a cross-site form post
    assert post_form(other, {**LOGIN, "csrf_token": csrf}).status == 403


def test_signed_in_user_is_sent_straight_back(raw: Raw) -> None:
    log_in(raw)
    answer = raw.authorize(**request_params(state="second"))
    assert answer.status == 302
    assert answer.fragment["state"] == "second"
    assert answer.fragment["access_token"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"scope": "read"}, "invalid_scope"),
        ({"scope": None}, "invalid_scope"),
        ({"scope": "all extra"}, "invalid_scope"),
        ({"response_type": "code"}, "unsupported_response_type"),
        ({"response_type": "id_token"}, "unsupported_response_type"),
        ({"response_type": None}, "invalid_request"),
    ],
)
def test_request_errors_go_back_in_the_fragment(raw: Raw, overrides: dict, error: str) -> None:
    answer = raw.authorize(**request_params(**overrides))
    assert answer.status == 302
    assert answer.location.startswith(PAGE + "#")
    assert answer.fragment["error"] == error
    assert answer.fragment["state"] == "s-123"
    assert error in GUIDE_ERRORS


def test_client_without_implicit_permission_is_unauthorized(raw: Raw, standin) -> None:
    standin.standin.registry.add(App("code-only", "Server app", (PAGE,), implicit_allowed=False))
    answer = raw.authorize(**request_params(client_id="code-only"))
    assert answer.fragment["error"] == "unauthorized_client"


@pytest.mark.parametrize("fault", ["server_error", "temporarily_unavailable"])
def test_fault_knob_answers_server_errors(raw: Raw, standin, fault: str) -> None:
    standin.standin.oauth.fault = fault
    answer = raw.authorize(**request_params())
    assert answer.status == 302
    assert answer.fragment == {"error": fault, "state": "s-123"}


def test_response_mode_query_is_ignored(raw: Raw) -> None:
    log_in(raw)
    answer = raw.authorize(**request_params(response_mode="query"))
    assert urlsplit(answer.location).query == ""
    assert "access_token" in answer.fragment


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": None},
        {"client_id": "unknown-client"},
        {"redirect_uri": None},
        {"redirect_uri": "https://evil.example/"},
        {"redirect_uri": PAGE + "evil"},
        {"redirect_uri": PAGE.rstrip("/")},
        {"redirect_uri": PAGE.replace("8765", "8766")},
        {"redirect_uri": PAGE.replace("http:", "https:")},
        {"redirect_uri": PAGE.replace("127.0.0.1", "127.0.0.1.evil.example")},
        {"redirect_uri": PAGE + "?next=https://evil.example/"},
        {"redirect_uri": PAGE + "#frag"},
        {"redirect_uri": "//evil.example/"},
        {"redirect_uri": "javascript:alert(1)"},
    ],
)
def test_bad_client_or_redirect_uri_gets_an_error_page_never_a_redirect(raw: Raw, overrides: dict) -> None:
    for params in (request_params(**overrides), request_params(**overrides, scope="bad")):
        answer = raw.authorize(**params)
        assert answer.status == 400
        assert "Location" not in answer.headers
        assert answer.headers["Content-Type"].startswith("text/html")
        assert b"<script" not in answer.body


def test_duplicate_parameters_are_an_error_page(raw: Raw) -> None:
    answer = raw.request(
        "GET",
        "/v1/admin/oauth/authorize?response_type=token&client_id="
        + DEMO_CLIENT_ID
        + "&redirect_uri=http%3A%2F%2Fevil.example%2F&redirect_uri="
        + PAGE
        + "&scope=all",
    )
    assert answer.status == 400
    assert "Location" not in answer.headers


def test_error_page_escapes_what_it_echoes(raw: Raw) -> None:
    answer = raw.authorize(**request_params(client_id="<script>alert(1)</script>"))
    assert b"<script>alert" not in answer.body


def test_without_state_echo_success_and_errors_carry_no_state(raw: Raw, standin) -> None:
    from standin.server import StandinOptions

    standin.standin.apply(StandinOptions(redirect_uris=[PAGE], echo_state=False))
    allowed = log_in(raw)
    assert set(allowed.fragment) == {"access_token", "token_type"}  # the guide's sample exactly
    denied = log_in(Raw(raw.port), decision="deny")  # a new browser: the form again
    assert denied.fragment == {"error": "access_denied"}
    bad_scope = raw.authorize(**request_params(scope="nope"))
    assert bad_scope.fragment == {"error": "invalid_scope"}
