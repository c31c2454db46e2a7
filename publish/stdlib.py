"""Precompile the standard-library modules the page imports, inside Pyodide's zip.

Pyodide's npm package ships ``python_stdlib.zip`` with ``.py`` sources only, so
every module the page imports is compiled to bytecode first, on every load.
That compiling is most of a warm boot here: a bare PyScript page is ready in
about 3.2 s warm with the sources and about 1.0 s with bytecode.

This step replaces every source with an unchecked hash-based ``.pyc`` file
(PEP 552), which zipimport loads as it is, with no source timestamps to
compare. Docstrings are dropped, as ``python -OO`` does (asserts stay), from
all modules or none (``email.policy`` extends ``email._policybase``'s). Bytecode
is about 1.8 times the size of the compressed source, so the modules are
sorted into three archives: what the page imports (``ROOTS``) in
``python_stdlib.zip``, which every load fetches; what the synchronous API
client adds (``CLIENT_ROOTS``) in ``python_stdlib_client.zip``; and the
other ~400 modules in ``python_stdlib_rest.zip``. The later two are fetched
only when a page first imports one of their modules (publish/stdlib_rest.py).

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
from publish.stdlib_archives import split

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
TARGET = ROOT / "static" / "vendor" / "pyodide" / "python_stdlib.zip"
TARGET_CLIENT = TARGET.with_name("python_stdlib_client.zip")
TARGET_REST = TARGET.with_name("python_stdlib_rest.zip")
# The archives after the first, each fetched on the first import of one of its modules by
# publish/stdlib_rest.py, by their prefix in precompile's zip (what split moves there).
LATER = {"client/": TARGET_CLIENT.name, "rest/": TARGET_REST.name}
CLIENT_PREFIX, REST_PREFIX = LATER


def mount(archive: str) -> str:
    """Where publish/stdlib_rest.py puts a later archive in the page's file system."""
    return "/lib/" + archive


RUNNER = Path(__file__).with_name("in_pyodide.mjs")
BYTECODE = Path(__file__).with_name("bytecode.py")
REST_FINDER = Path(__file__).with_name("stdlib_rest.py")
SPLIT = Path(__file__).with_name("stdlib_archives.py")

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
    # main.py and veritone_auth.
    "base64",
    "dataclasses",
    "datetime",
    "encodings.iso8859_15",
    "hashlib",  # the token's fingerprint, told to the other tabs at a sign-out
    "hmac",
    "secrets",
    "urllib.parse",
)
# What the synchronous API client imports as it is first made (pyodide-http's urllib:
# veritone_auth.browser.client_class). No signed-out page and no fetch needs them: their
# own archive (147 KB), fetched then.
CLIENT_ROOTS = ("email.parser", "http.client", "urllib.error", "urllib.request")


def imported_from(zip_path: str) -> dict[str, str]:
    """The modules imported so far from the zip at ``zip_path``: their paths in it, and names."""
    entries = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        # Frozen modules (importlib, os, ...) never come from the zip; skip them.
        if spec and isinstance(spec.loader, zipimport.zipimporter) and spec.origin:
            entries[spec.origin.removeprefix(zip_path + "/")] = name
    return entries


def precompile(
    source: bytes, roots: list[str], client_roots: list[str], comment: str, rest_finder: str
) -> tuple[bytes, list[str]]:
    """Return ``source`` (a stdlib zip) as bytecode, sorted into archives; and the first's modules.

    What ``roots`` import stays at the top, for the first archive. What ``client_roots``
    import besides gets the ``client/`` prefix, and every other module ``rest/``, for
    ``split``. ``comment`` becomes the zip's comment, which is how ``build`` knows the
    result is current. ``rest_finder`` is publish/stdlib_rest.py's source: it goes in as
    ``sitecustomize``, compiled, with the later archives' module names written in.

    Runs inside Pyodide, where ``source`` is also the zip this interpreter imports
    from, so importing ``roots`` here finds exactly the modules they need.
    """
    zip_path = next(p for p in sys.path if p.endswith(".zip"))
    for name in roots:
        importlib.import_module(name)
    entries = imported_from(zip_path)
    for name in client_roots:
        importlib.import_module(name)
    client = {path: name for path, name in imported_from(zip_path).items() if path not in entries}

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        dst.comment = comment.encode()
        for info in src.infolist():
            name, data = info.filename, src.read(info)
            if name.endswith(".py"):
                prefix = "" if name in entries else CLIENT_PREFIX if name in client else REST_PREFIX
                # Every module as bytecode, the later archives' too: docstrings must be gone
                # from all or from none (email.policy extends email._policybase's as it is
                # imported). Each carries the file name its archive gives it, so tracebacks
                # read the same.
                folder = mount(LATER[prefix]) if prefix else zip_path
                try:
                    name, data = name + "c", bytecode(data, f"{folder}/{name}", UNCHECKED)
                except SyntaxError:  # nothing imports such a file; it stays as it is
                    pass
                name = prefix + name
            entry = zipfile.ZipInfo(name, info.date_time)
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        sources = [n for n in src.namelist() if n.endswith(".py") and n not in entries]
        archives = {
            TARGET_CLIENT.name: " ".join(sorted(module_name(n) for n in sources if n in client)),
            TARGET_REST.name: " ".join(sorted(module_name(n) for n in sources if n not in client)),
        }
        empty = "ARCHIVES: dict[str, str] = {}"
        finder = rest_finder.replace(empty, f"ARCHIVES: dict[str, str] = {archives!r}")
        if not all(archives.values()) or finder == rest_finder:
            raise ValueError("stdlib_rest.py no longer has the ARCHIVES line to fill in")
        name = "sitecustomize.py"
        entry = zipfile.ZipInfo(name + "c", (2026, 1, 1, 0, 0, 0))
        data = bytecode(finder.encode(), f"{zip_path}/{name}", UNCHECKED)
        dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue(), sorted(entries.values())


def module_name(path: str) -> str:
    """The dotted module name of a ``.py`` path in the zip: ``email/mime/text.py`` is ``email.mime.text``."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def fingerprint(source: Path) -> str:
    """What the target zip was made from: the source zip, the roots and this code."""
    digest = hashlib.sha256(source.read_bytes())
    digest.update(json.dumps([ROOTS, CLIENT_ROOTS]).encode())
    for code in (Path(__file__), SPLIT, BYTECODE, RUNNER, REST_FINDER):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def build(source: Path = SOURCE, target: Path = TARGET) -> bool:
    """Write the archives unless up-to-date ones are there; say if it wrote.

    ``target`` is the first (python_stdlib.zip); the later ones go beside it.
    """
    if not source.exists():
        raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
    paths = {TARGET.name: target, **{name: target.with_name(name) for name in LATER.values()}}
    stamp = fingerprint(source)
    if all(is_current(path, stamp) for path in paths.values()):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    from publish.node import in_pyodide  # here: this module also runs inside Pyodide, without publish

    full = target.with_name(target.name + ".full")
    options = {
        "roots": list(ROOTS),
        "client_roots": list(CLIENT_ROOTS),
        "comment": stamp,
        "rest_finder": REST_FINDER.read_text(),
    }
    in_pyodide("publish.stdlib", "precompile", source, full, **options)
    archives = split(full.read_bytes(), TARGET.name, LATER)
    full.unlink()
    for name in sorted(paths, key=lambda name: name == TARGET.name):  # the first, with its stamp, last
        partial = paths[name].with_name(paths[name].name + ".partial")
        partial.write_bytes(archives[name])
        partial.replace(paths[name])
    return True


def main() -> None:
    wrote = build()
    names = ", ".join([str(TARGET.relative_to(ROOT)), *LATER.values()])
    print(f"{names}: " + ("precompiled and split" if wrote else "up to date"))


if __name__ == "__main__":
    main()
