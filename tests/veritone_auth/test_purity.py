"""The core is pure Python: only the ``veritone_auth.browser`` package touches the browser."""

from __future__ import annotations

import ast
from pathlib import Path

from publish.site import ROOT

BROWSER_ONLY = {"pyscript", "js", "pyodide", "pyodide_http"}


def imported(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, wherever in the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add((node.module or "").split(".")[0])
    return names


def test_the_core_imports_neither_pyscript_nor_js() -> None:
    core = list((ROOT / "veritone_auth").glob("*.py"))
    assert len(core) >= 12
    for path in core:
        assert not imported(path) & BROWSER_ONLY, path


def test_the_browser_adapter_is_the_one_library_package_that_does() -> None:
    adapter = ROOT / "veritone_auth" / "browser"
    assert {"js", "pyodide"} <= set().union(*(imported(path) for path in adapter.glob("*.py")))
    assert [
        path.name for path in (ROOT / "veritone_auth").iterdir() if path.is_dir() and path.name[0] != "_"
    ] == ["browser"]
    # and the demo's UI goes through it: no storage, popup or response handling of its own
    ui = (ROOT / "main.py").read_text()
    for reached_around in ("sessionStorage", "takeAuthResponse", "window.open", "ImplicitFlow", "TokenStore"):
        assert reached_around not in ui, reached_around
