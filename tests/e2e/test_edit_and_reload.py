"""serve.py rebuilds the library's wheel when a source changes: edit, reload, and the edit runs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from publish.site import ROOT
from serve import serve_site
from tests.e2e.actions import boot
from tests.harness import free_port


def working_tree(folder: Path) -> Path:
    """A copy of what serve.py serves from, so the test can edit it."""
    skip = shutil.ignore_patterns("__pycache__", "wheels")
    for name in ("index.html", "main.py", "pyscript.toml", "pyproject.toml", "docs/pypi.md"):
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, folder / name)
    for name in ("veritone_auth", "views", "static", "examples"):
        shutil.copytree(ROOT / name, folder / name, ignore=skip)
    wheels = folder / "static" / "vendor" / "wheels"
    wheels.mkdir()
    for other in (ROOT / "static" / "vendor" / "wheels").glob("pyodide_http-*.whl"):
        shutil.copy2(other, wheels / other.name)
    return folder


def test_an_edited_library_source_is_what_runs_after_a_reload(page: Any, tmp_path: Path) -> None:
    tree = working_tree(tmp_path)
    server = serve_site(free_port(), {"environment": "us", "client_id": ""}, host="127.0.0.1", root=tree)
    try:
        boot(page, f"http://127.0.0.1:{server.server_port}/")
        assert "no Veritone client id" in page.inner_text("#auth-error-message")
        errors = tree / "veritone_auth" / "errors.py"
        errors.write_text(errors.read_text().replace("no Veritone client id", "no client id (edited)"))
        page.reload()
        page.wait_for_selector("body[data-auth='signed-out']", state="attached")
        assert "no client id (edited)" in page.inner_text("#auth-error-message")
    finally:
        server.shutdown()
