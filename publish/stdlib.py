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

import copy
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
TARGET_REST = TARGET.with_name("python_stdlib_rest.zip")
# Where publish/stdlib_rest.py puts the second archive in the page's file system.
REST_MOUNT = "/lib/" + TARGET_REST.name
REST_PREFIX = "rest/"  # in precompile's zip: what split moves to the second archive
RUNNER = Path(__file__).with_name("in_pyodide.mjs")
BYTECODE = Path(__file__).with_name("bytecode.py")
REST_FINDER = Path(__file__).with_name("stdlib_rest.py")

# What the page imports from the standard library; their own imports are found by importing them.
ROOTS = (
    # Pyodide and PyScript, while they boot and run main.py.
    "_pyodide._importhook",
    "asyncio",
    "codeop",
    "encodings.cp437",
    "encodings.utf_16_le",  # publish/stdlib_rest.py's fetch decodes with it
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


def precompile(source: bytes, roots: list[str], comment: str, rest_finder: str) -> tuple[bytes, list[str]]:
    """Return ``source`` (a stdlib zip) with the modules ``roots`` import as bytecode, and their names.

    ``comment`` becomes the zip's comment, which is how ``build`` knows the result is current.
    ``rest_finder`` is publish/stdlib_rest.py's source: it goes in as ``sitecustomize``,
    compiled, with the names of the modules left as source, which ``split`` moves to the
    second archive.

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
            if name.endswith(".py"):
                # Every module as bytecode, the rest's too: docstrings must be gone from all
                # or from none (email.policy extends email._policybase's as it is imported).
                # Each carries the file name zipimport gives it, so tracebacks read the same.
                folder = zip_path if name in entries else REST_MOUNT
                try:
                    name, data = name + "c", bytecode(data, f"{folder}/{name}", UNCHECKED)
                except SyntaxError:  # nothing imports such a file; it stays as it is
                    pass
                if name.removesuffix("c") not in entries:
                    name = REST_PREFIX + name
            entry = zipfile.ZipInfo(name, info.date_time)
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        rest = " ".join(sorted(module_name(name) for name in src.namelist() if is_rest(name, entries)))
        empty = 'MODULES = frozenset("".split())'
        finder = rest_finder.replace(empty, empty.replace('""', f'"{rest}"'))
        if not rest or rest not in finder:
            raise ValueError("stdlib_rest.py no longer has the MODULES line to fill in")
        name = "sitecustomize.py"
        entry = zipfile.ZipInfo(name + "c", (2026, 1, 1, 0, 0, 0))
        data = bytecode(finder.encode(), f"{zip_path}/{name}", UNCHECKED)
        dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue(), sorted(entries.values())


def is_rest(name: str, compiled: dict[str, str]) -> bool:
    """Whether the zip entry ``name`` is a module left as source, for the second archive."""
    return name.endswith(".py") and name not in compiled


def module_name(path: str) -> str:
    """The dotted module name of a ``.py`` path in the zip: ``email/mime/text.py`` is ``email.mime.text``."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def split(full: bytes) -> tuple[bytes, bytes]:
    """Split ``precompile``'s zip into the first archive and the rest (its ``rest/`` entries).

    A folder or data file goes where the modules under its folder are, so an archive never
    holds an empty folder: zipimport would import it as a namespace package, in place of
    the module the other archive has. Both keep the comment, the fingerprint ``build`` checks.
    """
    first, rest = io.BytesIO(), io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(full)) as src,
        zipfile.ZipFile(first, "w") as head,
        zipfile.ZipFile(rest, "w") as tail,
    ):
        head.comment = tail.comment = src.comment
        names = src.namelist()
        modules = {
            head: [n for n in names if n.endswith((".py", ".pyc")) and not n.startswith(REST_PREFIX)],
            tail: [n.removeprefix(REST_PREFIX) for n in names if n.startswith(REST_PREFIX)],
        }
        for info in src.infolist():
            name = info.filename
            if name.startswith(REST_PREFIX):
                targets = [tail]
            elif name.endswith((".py", ".pyc")):
                targets = [head]
            else:
                folder = name if name.endswith("/") else name.rpartition("/")[0] + "/"
                targets = [a for a, held in modules.items() if any(m.startswith(folder) for m in held)]
            for archive in targets or [head]:  # a ZipInfo of its own in each: writing sets its offset
                entry = copy.copy(info)
                entry.filename = name.removeprefix(REST_PREFIX)
                archive.writestr(entry, src.read(info), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return first.getvalue(), rest.getvalue()


def fingerprint(source: Path) -> str:
    """What the target zip was made from: the source zip, the roots and this code."""
    digest = hashlib.sha256(source.read_bytes())
    digest.update(json.dumps(ROOTS).encode())
    for code in (Path(__file__), BYTECODE, RUNNER, REST_FINDER):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def build(source: Path = SOURCE, target: Path = TARGET) -> bool:
    """Write the two archives unless up-to-date ones are there; say if it wrote.

    ``target`` is the first (python_stdlib.zip); the rest goes beside it.
    """
    if not source.exists():
        raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
    rest = target.with_name(TARGET_REST.name)
    stamp = fingerprint(source)
    if is_current(target, stamp) and is_current(rest, stamp):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    from publish.node import in_pyodide  # here: this module also runs inside Pyodide, without publish

    full = target.with_name(target.name + ".full")
    options = {"roots": list(ROOTS), "comment": stamp, "rest_finder": REST_FINDER.read_text()}
    in_pyodide("publish.stdlib", "precompile", source, full, **options)
    first, second = split(full.read_bytes())
    full.unlink()
    for path, data in ((rest, second), (target, first)):  # the first, with its stamp, last
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)
    return True


def main() -> None:
    wrote = build()
    names = f"{TARGET.relative_to(ROOT)}, {TARGET_REST.name}"
    print(f"{names}: " + ("precompiled and split" if wrote else "up to date"))


if __name__ == "__main__":
    main()
