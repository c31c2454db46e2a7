"""Precompile the standard-library modules the page imports, inside Pyodide's zip.

Pyodide's npm package ships ``python_stdlib.zip`` with ``.py`` sources only, so
every module the page imports is compiled to bytecode first, on every load.
That compiling is most of a warm boot here: a bare PyScript page is ready in
about 3.2 s warm with the sources and about 1.0 s with bytecode.

This step replaces the sources of the modules the page imports with
unchecked hash-based ``.pyc`` files (PEP 552), which zipimport loads as they
are, with no source timestamps to compare. Their docstrings are dropped, as
``python -OO`` does (asserts stay), which keeps the added bytes to 0.49 MB. Only those modules: bytecode is
about 1.8 times the size of the compressed source, and the other ~400
modules would add 2 MB to every cold load for nothing. A module left out
still works; it is only compiled at import, as before.

The bytecode has to come from Pyodide's own CPython, so the compiling runs in
Pyodide under Node (``publish/in_pyodide.mjs``), which loads this file and calls
``precompile``. That function is stdlib-only for that reason. ``ROOTS`` lists
what the page imports; their imports follow. The end-to-end test
``tests/e2e/test_bytecode.py`` checks after a sign-in that no module was
loaded from the zip as source.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import sys
import zipfile
import zipimport
from pathlib import Path

from publish.bytecode import UNCHECKED, bytecode, is_current

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
TARGET = ROOT / "static" / "vendor" / "pyodide" / "python_stdlib.zip"
RUNNER = Path(__file__).with_name("in_pyodide.mjs")
BYTECODE = Path(__file__).with_name("bytecode.py")

# What the page imports from the standard library; their own imports are found by importing them.
ROOTS = (
    # Pyodide and PyScript, while they boot and run main.py.
    "_pyodide._importhook",
    "asyncio",
    "codeop",
    "encodings.cp437",
    "glob",
    "html",
    "inspect",
    "json",
    "logging",
    "pathlib",
    "pyodide.code",
    "pyodide.ffi",
    "pyodide.webloop",
    "random",
    "shutil",
    "tempfile",
    "zipfile",
    # main.py, veritone_auth and pyodide-http, some of them only on first use.
    "base64",
    "dataclasses",
    "datetime",
    "email.parser",
    "encodings.iso8859_15",
    "hmac",
    "http.client",
    "secrets",
    "urllib.error",
    "urllib.parse",
    "urllib.request",
)


def precompile(source: bytes, roots: list[str], comment: str) -> tuple[bytes, list[str]]:
    """Return ``source`` (a stdlib zip) with the modules ``roots`` import as bytecode, and their names.

    ``comment`` becomes the zip's comment, which is how ``build`` knows the result is current.

    Runs inside Pyodide, where ``source`` is also the zip this interpreter imports
    from, so importing ``roots`` here finds exactly the modules they need.
    """
    zip_path = next(p for p in sys.path if p.endswith(".zip"))
    for name in roots:
        importlib.import_module(name)
    entries = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        # Frozen modules (importlib, os, ...) never come from the zip; skip them.
        if spec and isinstance(spec.loader, zipimport.zipimporter) and spec.origin:
            entries[spec.origin.removeprefix(zip_path + "/")] = name

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        dst.comment = comment.encode()
        for info in src.infolist():
            name, data = info.filename, src.read(info)
            if name in entries:
                # The file name zipimport itself gives the code, so tracebacks read the same.
                name, data = name + "c", bytecode(data, f"{zip_path}/{name}", UNCHECKED)
            entry = zipfile.ZipInfo(name, info.date_time)
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue(), sorted(entries.values())


def fingerprint(source: Path) -> str:
    """What the target zip was made from: the source zip, the roots and this code."""
    digest = hashlib.sha256(source.read_bytes())
    digest.update(json.dumps(ROOTS).encode())
    for code in (Path(__file__), BYTECODE, RUNNER):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def build(source: Path = SOURCE, target: Path = TARGET) -> bool:
    """Write the precompiled zip unless an up-to-date one is there; say if it wrote."""
    if not source.exists():
        raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
    stamp = fingerprint(source)
    if is_current(target, stamp):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    from publish.node import in_pyodide  # here: this module also runs inside Pyodide, without publish

    in_pyodide("publish.stdlib", "precompile", source, target, roots=list(ROOTS), comment=stamp)
    return True


def main() -> None:
    wrote = build()
    print(f"{TARGET.relative_to(ROOT)}: " + ("precompiled" if wrote else "up to date"))


if __name__ == "__main__":
    main()
