"""starter.zip works as downloaded: unzipped into a folder of another static host, it signs in.

The adopter's steps, and nothing else: unzip, set ``client_id`` in ``config.json`` (here,
as for any Veritone other than US, also the environment and the CSP's ``connect-src``), and
register the page's address as a redirect URI (``serve.py --redirect-uri`` does it for the
stand-in; here the test registers it with the running stand-in).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publish import testkit, wheel
from tests.e2e.actions import DEMO_USER, boot, log_in, wait_auth
from tests.harness import CHROMIUM, Site, registered, serve_folder, unpack_starter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def unzipped(starter: Path, tmp_path: Path, standin_site: Site) -> Iterator[str]:
    unpack_starter(starter, tmp_path / "host" / "any" / "folder", standin_site.standin_url)
    server = serve_folder(tmp_path / "host")
    with registered(standin_site.standin, f"http://127.0.0.1:{server.server_port}/any/folder/") as url:
        yield url
    server.shutdown()


def test_the_starter_holds_a_whole_page_at_paths_relative_to_itself(starter: Path) -> None:
    with zipfile.ZipFile(starter) as archive:
        names = set(archive.namelist())
        index = archive.read("index.html").decode()
        toml = archive.read("pyscript.toml").decode()
        config = json.loads(archive.read("config.json"))
    for name in (
        "index.html",
        "main.py",
        "pyscript.toml",
        "config.json",
        "static/boot.js",
        "static/start.js",
    ):
        assert name in names
    assert "static/vendor/pyodide/pyodide.asm.wasm" in names
    assert [n for n in names if n.startswith("static/vendor/wheels/veritone_auth-")]
    assert f"static/vendor/wheels/{testkit.wheel_name()}" in names  # the test kit, for its test
    assert "tests/test_sign_in.py" in names
    assert "../" not in index and "../" not in toml  # nothing outside its own folder
    assert config == {"environment": "us", "client_id": ""}
    for hook in ('id="sign-in"', 'id="sign-out"', 'id="name"', 'id="message"', 'data-auth="booting"'):
        assert hook in index


def test_the_unzipped_starter_signs_in(page: Any, unzipped: str) -> None:
    boot(page, unzipped)
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    assert page.inner_text("#name") == f"Signed in as {DEMO_USER[0]}"
    assert page.evaluate("location.href") == unzipped
    page.click("#sign-out")
    wait_auth(page, "signed-out")


@pytest.mark.timeout(600)
def test_the_starters_own_test_passes_in_a_fresh_venv_as_an_adopter_runs_it(
    starter: Path, tmp_path: Path
) -> None:
    """Unzip, make a venv, install the test kit from the starter's wheels, run its test."""
    page = tmp_path / "page"
    with zipfile.ZipFile(starter) as archive:
        archive.extractall(page)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    playwright = re.search(r"^playwright==\S+$", (ROOT / "requirements-dev.txt").read_text(), re.M)
    assert playwright is not None
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    wheels = page / "static" / "vendor" / "wheels"
    subprocess.run(
        [*install, "--find-links", str(wheels), f"veritone-auth[testing]=={wheel.version()}", playwright[0]],
        check=True,
        timeout=300,
    )
    environment = {**os.environ, "CHROMIUM_PATH": CHROMIUM}  # no `playwright install` here: no network for it
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=page,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(run.stdout[-3000:], run.stderr[-3000:])
    assert run.returncode == 0
    assert "2 passed" in run.stdout
    untouched = {"environment": "us", "client_id": ""}
    assert json.loads((page / "config.json").read_text()) == untouched  # the kit serves its own
