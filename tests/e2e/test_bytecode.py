"""Every standard-library module the page imports arrives as bytecode (see publish/stdlib.py).

A module missing from ``publish.stdlib.ROOTS`` still works, but is compiled on
every load. This signs in, so the API client's imports are in too, then runs a
probe in the page's interpreter (PyScript runs a ``<script type="py">`` added
later in the same interpreter) that lists what was imported from the zip as source.
"""

from __future__ import annotations

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


def run_probe(page: Any) -> tuple[list[str], int]:
    page.evaluate(
        "(code) => { const s = document.createElement('script'); s.type = 'py';"
        " s.textContent = code; document.body.append(s); }",
        PROBE,
    )
    page.wait_for_function("() => 'bytecodeModules' in document.body.dataset", timeout=BOOT_TIMEOUT_MS)
    source = page.evaluate("document.body.dataset.sourceModules").split()
    return source, int(page.evaluate("document.body.dataset.bytecodeModules"))


def test_no_standard_module_is_compiled_from_source_after_a_sign_in(page: Any, standin_site: Site) -> None:
    redirect_sign_in(page, standin_site)
    source, bytecode = run_probe(page)
    assert source == [], f"add these to publish.stdlib.ROOTS: {source}"
    assert bytecode > 100
