"""The core is pure Python: no pyscript or js anywhere in veritone_auth."""

from __future__ import annotations

import ast

from publish.site import ROOT


def test_core_imports_neither_pyscript_nor_js() -> None:
    for path in (ROOT / "veritone_auth").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in {"pyscript", "js", "pyodide", "pyodide_http"}, (path, name)
