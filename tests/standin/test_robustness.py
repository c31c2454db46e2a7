"""Bad input never gets a 500 or a traceback, never an open redirect, and never logs a token."""

from __future__ import annotations

import random
import socket
import threading
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standin.oauth import DEMO_CLIENT_ID
from tests.standin.conftest import PAGE, Raw, issue_token, log_in, request_params


def raw_request(port: int, data: bytes) -> bytes:
    with socket.create_connection(("localhost", port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


def test_huge_parameters(raw: Raw) -> None:
    answer = raw.authorize(**request_params(state="x" * 10_000))
    assert 400 <= answer.status < 500
    answer = raw.authorize(**request_params(scope="a" * 7000))
    assert answer.status in (302, 400, 414)


def test_invalid_percent_encoding_and_non_utf8(raw: Raw) -> None:
    for query in ("client_id=%zz&redirect_uri=%", "client_id=%ff%fe&redirect_uri=%c3%28", "%%%%&&&==="):
        answer = raw.request("GET", "/v1/admin/oauth/authorize?" + query)
        assert 400 <= answer.status < 500, query
    reply = raw_request(
        raw.port, b"GET /v1/admin/oauth/authorize?client_id=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert 400 <= status_of(reply) < 500


def test_unknown_methods_are_405(raw: Raw) -> None:
    for method in ("PUT", "DELETE", "PATCH", "FOO", "TRACE"):
        assert raw.request(method, "/v1/admin/oauth/authorize").status == 405


def test_request_log_never_holds_a_token(raw: Raw, standin) -> None:
    token = issue_token(raw)
    raw.graphql("{ me { id } }", token)
    raw.graphql("mutation ($t: String!) { userLogout(token: $t) }", token, {"t": token})
    log_in(Raw(raw.port), decision="deny")
    text = "\n".join(standin.standin.log)
    assert "/v3/graphql" in text
    assert token not in text
    assert token[:40] not in text


def test_a_thousand_random_malformed_requests_never_get_a_500(raw: Raw) -> None:
    rng = random.Random(6749)
    pieces = [
        "client_id",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
        "%",
        "%zz",
        "%ff",
        "&",
        "=",
        DEMO_CLIENT_ID,
        quote(PAGE),
        "token",
        "all",
        "\x00",
        "é",
        "+",
        "#",
        "..",
        "/",
        "?",
    ]
    paths = ["/v1/admin/oauth/authorize", "/v3/graphql", "/", "/nope", "//", "/v1/admin/oauth/authorize/"]
    statuses = []
    for _ in range(1000):
        method = rng.choice([b"GET", b"POST", b"OPTIONS", b"HEAD", b"PUT", b"BREW"])
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        path = rng.choice(paths) + "?" + query
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))
        request = (
            method
            + b" "
            + path.encode("utf-8", "surrogateescape")
            + b" HTTP/1.1\r\nHost: localhost\r\n"
            + b"Content-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )
        statuses.append(status_of(raw_request(raw.port, request)))
    assert statuses.count(0) == 0
    assert [s for s in statuses if s >= 500] == []


uris = st.one_of(
    st.from_regex(r"\A(https?|javascript|data)://[a-z0-9.\-]{1,20}(:[0-9]{1,5})?/[a-z/]{0,10}\Z"),
    st.builds(
        lambda prefix, suffix: prefix + suffix,
        st.sampled_from([PAGE, PAGE[:-1], "http://127.0.0.1:8765"]),
        st.text(alphabet="/?#.:@%a", max_size=8),
    ),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(redirect_uri=uris, scope=st.sampled_from(["all", "bad"]), signed_in=st.booleans())
def test_never_redirects_to_an_unregistered_uri(
    raw: Raw, redirect_uri: str, scope: str, signed_in: bool
) -> None:
    if signed_in and not raw.cookies.get("standin_session"):
        log_in(raw)
    answer = raw.authorize(**request_params(redirect_uri=redirect_uri, scope=scope))
    if answer.location is not None:
        assert redirect_uri == PAGE
        parts = urlsplit(answer.location)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == PAGE
    assert answer.status < 500


def test_a_client_that_left_is_no_traceback_and_another_error_is(capsys: pytest.CaptureFixture[str]) -> None:
    import http.client
    from http.server import BaseHTTPRequestHandler

    from standin.server import QuietServer

    class Failing(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            raise ConnectionResetError if self.path == "/left" else ValueError("a real bug")

    server = QuietServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for path in ("/left", "/bug"):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", path)
        with pytest.raises(http.client.RemoteDisconnected):
            connection.getresponse()
        connection.close()
    server.shutdown()
    server.server_close()
    printed = capsys.readouterr().err
    assert printed.count("Exception occurred during processing") == 1  # the bug's, not the leaver's
    assert "ValueError: a real bug" in printed
