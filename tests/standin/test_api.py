"""The GraphQL API: Veritone's fields, its authentication errors, CORS and fault knobs."""

from __future__ import annotations

import json
import time

import pytest

from tests.standin.conftest import PAGE, Raw, issue_token

ME = "query { me { id name email firstName lastName organization { id name } } myRights { operations } }"


def test_me_with_a_valid_token(raw: Raw) -> None:
    answer = raw.graphql(ME, issue_token(raw))
    assert answer.status == 200
    data = answer.json()["data"]
    assert data["me"]["email"] == "demo@example.com"
    assert data["me"]["name"] == "demo@example.com"
    assert data["me"]["organization"] == {"id": "7682", "name": "Demo Organization"}
    assert "job:read" in data["myRights"]["operations"]
    assert "errors" not in answer.json()


def test_recent_temporal_data_objects(raw: Raw) -> None:
    answer = raw.graphql(
        "query { temporalDataObjects(limit: 2) { records { id name } count } }", issue_token(raw)
    )
    assert answer.json()["data"]["temporalDataObjects"]["count"] == 2


@pytest.mark.parametrize("token", [None, "", "garbage", "a.b.c"])
def test_missing_or_invalid_token_is_an_authentication_error(raw: Raw, token: str | None) -> None:
    answer = raw.graphql(ME, token)
    assert answer.status == 200
    body = answer.json()
    assert body["data"] == {"me": None, "myRights": None}
    assert body["errors"][0]["name"] == "authentication_error"


def test_token_signed_with_another_key_is_refused(raw: Raw) -> None:
    import jwt

    forged = jwt.encode(
        {"userId": "x", "exp": time.time() + 60, "jti": "j"},
        "another key, also 32 bytes long!",
        algorithm="HS256",
    )
    assert raw.graphql(ME, forged).json()["errors"][0]["name"] == "authentication_error"


def test_expired_token_is_an_authentication_error(raw: Raw, standin) -> None:
    issuer = standin.standin.issuer
    issuer.ttl = 1
    issuer.clock = lambda: time.time() - 60  # issued a minute ago, for a second: expired now
    try:
        token = issue_token(raw)
    finally:
        issuer.clock = time.time
    body = raw.graphql(ME, token).json()
    assert body["errors"][0]["name"] == "authentication_error"
    assert "expired" in body["errors"][0]["message"]


def test_user_logout_revokes_the_token(raw: Raw) -> None:
    token = issue_token(raw)
    logout = raw.graphql("mutation ($t: String!) { userLogout(token: $t) }", token, {"t": token})
    assert logout.json()["data"] == {"userLogout": True}
    body = raw.graphql(ME, token).json()
    assert body["errors"][0]["name"] == "authentication_error"
    assert "revoked" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"query": 5}',
        b'{"query": "query {"}',
        b'{"query": "{ nope }"}',
        b'{"query": "{ me { id } }", "variables": []}',
        b"\xff\xfe",
    ],
)
def test_malformed_requests_get_400_with_graphql_errors(raw: Raw, body: bytes) -> None:
    answer = raw.request("POST", "/v3/graphql", body, {"Content-Type": "application/json"})
    assert answer.status == 400
    assert answer.json()["errors"][0]["message"]


def test_cors_preflight_for_the_page_origin(raw: Raw) -> None:
    answer = raw.request(
        "OPTIONS",
        "/v3/graphql",
        headers={
            "Origin": "http://127.0.0.1:8765",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert answer.status == 204
    assert answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8765"
    assert answer.headers["Access-Control-Allow-Methods"] == "POST"
    assert answer.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type"


def test_cors_refuses_other_origins(raw: Raw) -> None:
    answer = raw.request("OPTIONS", "/v3/graphql", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in answer.headers
    post = raw.request(
        "POST", "/v3/graphql", b'{"query": "{ me { id } }"}', {"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in post.headers


def test_cors_on_the_post_for_the_page_origin(raw: Raw) -> None:
    answer = raw.request(
        "POST", "/v3/graphql", b'{"query": "{ me { id } }"}', {"Origin": "http://127.0.0.1:8765"}
    )
    assert answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8765"


@pytest.mark.parametrize("status", [500, 503])
def test_fault_knob_fails_the_api(raw: Raw, standin, status: int) -> None:
    standin.standin.options.api_status = status
    assert raw.graphql(ME, "x").status == status


def test_latency_knob_delays_the_api(raw: Raw, standin) -> None:
    standin.standin.options.api_latency = 0.3
    started = time.monotonic()
    raw.graphql(ME, "x")
    assert time.monotonic() - started >= 0.3


def test_401_knob_answers_bad_tokens_like_a_gateway(raw: Raw, standin) -> None:
    standin.standin.options.unauthorized_as_401 = True
    assert raw.graphql(ME, "garbage").status == 401
    assert raw.graphql(ME, issue_token(raw)).status == 200


def test_graphql_needs_post(raw: Raw) -> None:
    assert raw.request("GET", "/v3/graphql").status == 405


def test_page_origin_is_the_registered_redirect_uri_origin(standin) -> None:
    assert standin.standin.page_origins == {PAGE.rsplit("/app/", 1)[0]}
    assert json.dumps(sorted(standin.standin.page_origins))


def test_rest_logout_revokes_the_token_and_keeps_it_out_of_the_log(raw: Raw, standin) -> None:
    token = issue_token(raw)
    answer = raw.request(
        "GET", f"/v1/admin/token/{token}/logout", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert raw.graphql(ME, token).json()["errors"][0]["name"] == "authentication_error"
    assert raw.request("GET", f"/v1/admin/token/{token}/logout").status == 401  # already revoked
    assert raw.request("GET", "/v1/admin/token/not-a-token/logout").status == 401
    assert not [line for line in standin.standin.log if token in line]
    assert "GET /v1/admin/token/<token>/logout 200" in standin.standin.log


def test_rest_logout_preflight_for_the_page_origin(raw: Raw) -> None:
    answer = raw.request(
        "OPTIONS",
        "/v1/admin/token/abc/logout",
        headers={
            "Origin": "http://127.0.0.1:8765",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert answer.status == 204
    assert answer.headers["Access-Control-Allow-Methods"] == "GET"


def test_a_missing_right_is_not_allowed_and_the_token_stays_good(raw: Raw) -> None:
    token = issue_token(raw)
    body = raw.graphql('mutation { deleteTemporalDataObject(id: "1000000") { id } }', token).json()
    assert body["errors"][0]["name"] == "not_allowed"
    assert raw.graphql(ME, token).json()["data"]["me"]["email"] == "demo@example.com"
