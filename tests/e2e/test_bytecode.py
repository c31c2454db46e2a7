"""Every module the page imports arrives as bytecode: the standard library's (see
publish/stdlib.py) and our library's, from its wheel (see publish/wheel.py).

A module missing from ``publish.stdlib.ROOTS`` still works, but is compiled on
every load. This signs in, so the API client's imports are in too, then runs a
probe in the page's interpreter (PyScript runs a ``<script type="py">`` added
later in the same interpreter) that lists what was imported from the zip as source.
"""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.actions import redirect_sign_in
from tests.harness import BOOT_TIMEOUT_MS, Site

PROBE = """
import sys
from js import document

def from_zip(module, suffix):
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or ""
    return type(getattr(spec, "loader", None)).__name__ == "zipimporter" and origin.endswith(suffix)

modules = list(sys.modules.values())
document.body.dataset.sourceModules = " ".join(sorted(m.__name__ for m in modules if from_zip(m, ".py")))
document.body.dataset.bytecodeModules = str(sum(from_zip(m, ".pyc") for m in modules))
"""


# Imports every veritone_auth module the page has loaded again, counting what the import
# system compiles from source; then edits one source and imports it once more.
LIBRARY_PROBE = """
import importlib, json, sys
from importlib import _bootstrap_external
from js import document

compiled = []
original = _bootstrap_external.SourceLoader.source_to_code

def counting(self, data, path, *args, **kwargs):
    compiled.append(path)
    return original(self, data, path, *args, **kwargs)

_bootstrap_external.SourceLoader.source_to_code = counting
try:
    names = sorted(name for name in sys.modules if name.startswith("veritone_auth"))
    for name in names:
        del sys.modules[name]
    for name in names:
        importlib.import_module(name)
    from_source = list(compiled)
    compiled.clear()
    path = sys.modules["veritone_auth.errors"].__file__
    with open(path, "a") as file:
        file.write("\\nEDITED_IN_THE_PAGE = True\\n")
    del sys.modules["veritone_auth.errors"]
    edited = importlib.import_module("veritone_auth.errors")
    result = {
        "modules": names,
        "from_source": from_source,
        "edit_compiled": compiled,
        "edit_runs": getattr(edited, "EDITED_IN_THE_PAGE", False),
    }
finally:
    _bootstrap_external.SourceLoader.source_to_code = original
document.body.dataset.libraryProbe = json.dumps(result)
"""


def add_script(page: Any, code: str) -> None:
    page.evaluate(
        "(code) => { const s = document.createElement('script'); s.type = 'py';"
        " s.textContent = code; document.body.append(s); }",
        code,
    )


def run_probe(page: Any) -> tuple[list[str], int]:
    add_script(page, PROBE)
    page.wait_for_function("() => 'bytecodeModules' in document.body.dataset", timeout=BOOT_TIMEOUT_MS)
    source = page.evaluate("document.body.dataset.sourceModules").split()
    return source, int(page.evaluate("document.body.dataset.bytecodeModules"))


def test_no_standard_module_is_compiled_from_source_after_a_sign_in(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    source, bytecode = run_probe(page)
    assert source == [], f"add these to publish.stdlib.ROOTS: {source}"
    assert bytecode > 100


def test_the_library_runs_its_checked_bytecode_and_never_a_stale_one(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    add_script(page, LIBRARY_PROBE)
    page.wait_for_function("() => 'libraryProbe' in document.body.dataset", timeout=BOOT_TIMEOUT_MS)
    result = json.loads(page.evaluate("document.body.dataset.libraryProbe"))
    for module in ("veritone_auth.browser", "veritone_auth.flow", "veritone_auth.client"):
        assert module in result["modules"]
    assert result["from_source"] == []  # every module came from its .pyc
    # An edited source no longer matches its bytecode's hash: the source is compiled, and runs.
    assert [path.rsplit("/", 1)[-1] for path in result["edit_compiled"]] == ["errors.py"]
    assert result["edit_runs"] is True
