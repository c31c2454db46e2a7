"""serve.py: the site at the root with the right types, compression and caching."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import nullcontext
from http.client import HTTPResponse
from urllib.error import HTTPError

import pytest

from serve import demo_config, serve_site
from tests.harness import free_port


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = serve_site(free_port(), demo_config("http://localhost:8001"), host="127.0.0.1")
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def get(url: str, **headers: str) -> HTTPResponse:
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers))


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("", "text/html; charset=utf-8"),
        ("static/vendor/pyodide/pyodide.mjs", "text/javascript; charset=utf-8"),
        ("static/vendor/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("static/vendor/pyscript/core.js", "text/javascript; charset=utf-8"),
        ("pyscript.toml", "application/toml"),
        ("main.py", "text/x-python; charset=utf-8"),
        ("config.json", "application/json"),
    ],
)
def test_mime_types(base_url: str, path: str, content_type: str) -> None:
    with get(base_url + path) as response:
        response.read()
        assert response.headers["Content-Type"] == content_type


def test_gzip_for_the_wasm(base_url: str) -> None:
    url = base_url + "static/vendor/pyodide/pyodide.asm.wasm"
    plain = get(url).read()
    response = get(url, **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    packed = response.read()
    assert len(packed) < len(plain) / 2
    assert gzip.decompress(packed) == plain
    assert plain[:4] == b"\0asm"


def test_cache_headers_and_revalidation(base_url: str) -> None:
    vendor = get(base_url + "static/vendor/pyodide/python_stdlib.zip")
    assert "max-age=86400" in vendor.headers["Cache-Control"]
    page = get(base_url)
    assert page.headers["Cache-Control"] == "no-cache"
    with pytest.raises(HTTPError) as answer:
        get(base_url, **{"If-None-Match": page.headers["ETag"]})
    assert answer.value.code == 304


def test_serves_the_stand_in_config(base_url: str) -> None:
    assert b'"environment": "standin"' in get(base_url + "config.json").read()
    assert b"connect-src 'self' http://localhost:8001;" in get(base_url).read()


@pytest.mark.parametrize(
    "path", ["serve.py", "siteserver.py", ".git/config", "tests/conftest.py", "standin/server.py", "../etc"]
)
def test_serves_nothing_outside_the_site(base_url: str, path: str) -> None:
    with pytest.raises(HTTPError) as answer:
        get(base_url + path)
    assert answer.value.code == 404


def test_cli_starts_both_and_stops_on_sigterm() -> None:
    port, standin_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "serve.py", "--port", str(port), "--standin-port", str(standin_port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        assert f"http://localhost:{port}/" in lines[0]
        assert f"http://localhost:{standin_port}/" in lines[1]
        assert "demo@example.com" in lines[2] and "'demo'" in lines[2]
        assert get(f"http://localhost:{port}/").status == 200
        assert get(f"http://localhost:{standin_port}/").status == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_no_standin_serves_the_committed_config() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "serve.py", "--port", str(port), "--no-standin"], stdout=subprocess.PIPE, text=True
    )
    try:
        # serve.py prints once its server is listening.
        assert "Stand-in" not in process.stdout.readline() + process.stdout.readline()
        assert b'"environment": "us"' in get(f"http://localhost:{port}/config.json").read()
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_serve(*flags: str) -> tuple[subprocess.Popen[str], int, int]:
    """Start ``serve.py`` on free ports with ``flags``; return it and its page and stand-in ports."""
    port, standin_port = free_port(), free_port()
    command = [sys.executable, "serve.py", "--port", str(port), "--standin-port", str(standin_port), *flags]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True), port, standin_port


def test_cli_no_state_echo_answers_without_state_and_configures_the_page() -> None:
    from urllib.parse import urlencode

    process, port, standin_port = start_serve("--no-state-echo")
    try:
        lines = [process.stdout.readline() for _ in range(5)]
        assert any("does not echo state" in line for line in lines)
        config = get(f"http://localhost:{port}/config.json").read()
        assert b'"require_state": false' in config
        query = urlencode(
            {
                "response_type": "token",
                "client_id": "e6ac4220-5898-456b-b6ae-ff4f4bb6b9bf",
                "redirect_uri": f"http://localhost:{port}/",
                "state": "s-123",
                "scope": "nope",  # an error that goes back to the page, in the fragment
            }
        )
        url = f"http://localhost:{standin_port}/v1/admin/oauth/authorize?" + query
        request = urllib.request.Request(url)
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(HTTPError) as answer:
            opener.open(request)
        location = answer.value.headers["Location"]
        assert location.startswith(f"http://localhost:{port}/#error=invalid_scope")
        assert "state" not in location
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_api_latency_holds_graphql_and_logout_back() -> None:
    process, _port, standin_port = start_serve("--api-latency", "1.5")
    try:
        lines = [process.stdout.readline() for _ in range(5)]
        assert any("answers after 1.5 s" in line for line in lines)
        api = f"http://localhost:{standin_port}"
        for request in (
            urllib.request.Request(f"{api}/v3/graphql", data=b'{"query": "{ me { id } }"}', method="POST"),
            urllib.request.Request(f"{api}/v1/admin/token/not-a-token/logout"),
        ):
            started = time.monotonic()
            with pytest.raises(HTTPError) if request.get_method() == "GET" else nullcontext():
                urllib.request.urlopen(request, timeout=30).close()
            assert time.monotonic() - started >= 1.5
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_redirect_uri_registers_another_page_and_prints_its_config() -> None:
    import json

    mine = "http://127.0.0.1:9/mine/"
    process, _port, standin_port = start_serve("--redirect-uri", mine)
    try:
        lines = [process.stdout.readline() for _ in range(7)]
        config = json.loads(next(line for line in lines if line.startswith("{")))
        assert config == {
            "environment": "standin",
            "base_url": f"http://localhost:{standin_port}",
            "client_id": "e6ac4220-5898-456b-b6ae-ff4f4bb6b9bf",
        }
        api = f"http://localhost:{standin_port}"
        query = "response_type=token&scope=all&state=s&client_id=" + config["client_id"]
        form = get(f"{api}/v1/admin/oauth/authorize?{query}&redirect_uri={mine}").read()
        assert b'name="username"' in form  # the login form, not the bad-redirect error page
        preflight = urllib.request.Request(
            f"{api}/v3/graphql",
            method="OPTIONS",
            headers={"Origin": "http://127.0.0.1:9", "Access-Control-Request-Method": "POST"},
        )
        with urllib.request.urlopen(preflight) as answer:
            assert answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:9"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
