"""Place the pinned browser runtime under ``static/vendor/``.

The page loads nothing from a CDN. PyScript and Pyodide come from the npm
packages pinned in ``package-lock.json`` (``npm ci`` puts them in
``node_modules/``), and the pure-Python wheels the page unpacks come from PyPI
at pinned versions and hashes. This command copies or downloads them into
place, precompiles the standard-library modules the page imports
(``publish.stdlib``), writes brotli copies of the two biggest runtime files
(``publish.brotli``) and builds our own library's wheel (``publish.wheel``).
It is idempotent: a file that is already there and up to date is left
alone, so a second run takes milliseconds.

Run it with ``python -m publish.vendor``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from publish import brotli, stdlib, testkit, wheel

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
NODE_MODULES = ROOT / "node_modules"

# The files that make up the Pyodide runtime; npm's package has no wheels. The fourth,
# python_stdlib.zip, is made from npm's copy by publish.stdlib, with bytecode in it; the
# fifth, pyodide-lock.json, is npm's without its packages (trim_lock).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
LOCK = "pyodide-lock.json"

# The brotli decoder for engines without DecompressionStream("brotli") (static/runtime.js),
# with its licence (MIT OR Apache-2.0: both texts).
DECODER_FILES = (
    "pkg/brotli_dec_wasm.js",
    "pkg/brotli_dec_wasm_bg.wasm",
    "LICENSE-MIT.txt",
    "LICENSE-Apache.txt",
)

# Wheels unpacked by pyscript.toml's [files]: name -> (pip requirement, sha256).
WHEELS = {
    "pyodide_http-0.2.2-py3-none-any.whl": (
        "pyodide-http==0.2.2",
        "cf006ea593c1643b5badeb4d42ed24a6eebd830276171fa1f82de0777b3fb608",
    ),
}


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` unless an identical copy is there; say if it copied."""
    if target.exists():
        a, b = source.stat(), target.stat()
        if a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime):
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return True


def runtime_files() -> list[tuple[Path, Path]]:
    """Return (source, target) pairs for PyScript's dist and the Pyodide runtime."""
    pyscript_dist = NODE_MODULES / "@pyscript" / "core" / "dist"
    pyodide_dir = NODE_MODULES / "pyodide"
    if not pyscript_dist.is_dir() or not pyodide_dir.is_dir():
        raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
    pairs = [
        (path, VENDOR / "pyscript" / path.name)
        for path in sorted(pyscript_dist.iterdir())
        # Source maps are never requested; the service worker is unused.
        if path.suffix in {".js", ".css"} and path.name != "service-worker.js"
    ]
    # npm's lock too, for a page on npm's runtime as it is (benchmarks' stock); vendor() trims it.
    pairs += [(pyodide_dir / name, VENDOR / "pyodide" / name) for name in (*PYODIDE_FILES, LOCK)]
    decoder = NODE_MODULES / "brotli-dec-wasm"
    if not decoder.is_dir():
        raise SystemExit("node_modules is missing brotli-dec-wasm: run `npm ci` first.")
    pairs += [(decoder / name, VENDOR / "brotli-dec-wasm" / Path(name).name) for name in DECODER_FILES]
    return pairs


def trim_lock() -> bool:
    """Write npm's pyodide-lock.json with no packages unless it is there; say if it wrote.

    Pyodide reads the lock as it starts (and checks its ABI version), but the page loads no
    package through it: npm's Pyodide ships none of the 354 wheels it names, and the wheels
    the page unpacks come through pyscript.toml's [files]. 114 KB, 26 KB gzipped, for nothing.
    """
    source = NODE_MODULES / "pyodide" / LOCK
    if not source.exists():
        raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
    lock = json.loads(source.read_text())
    trimmed = json.dumps({**lock, "packages": {}}, separators=(",", ":")).encode()
    target = VENDOR / "pyodide" / LOCK
    if target.exists() and target.read_bytes() == trimmed:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(trimmed)
    return True


def fetch_wheel(name: str, requirement: str, digest: str) -> bool:
    """Download a pinned wheel with pip unless it is already in place; say if it did."""
    target = VENDOR / "wheels" / name
    if target.exists() and sha256(target) == digest:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                *("--only-binary=:all:", "--dest", tmp, requirement),
            ],
            check=True,
        )
        downloaded = Path(tmp) / name
        if not downloaded.exists():
            raise SystemExit(f"pip did not produce {name} for {requirement}.")
        if sha256(downloaded) != digest:
            raise SystemExit(f"{name} does not match its pinned sha256.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(downloaded, target)
    return True


def vendor() -> int:
    """Bring ``static/vendor/`` up to date and return how many files changed."""
    copied = [(source, target) for source, target in runtime_files() if target.name != LOCK]
    changed = sum(copy_if_changed(source, target) for source, target in copied)
    changed += trim_lock()
    changed += sum(fetch_wheel(name, *pin) for name, pin in WHEELS.items())
    changed += stdlib.build()
    changed += brotli.build()  # after the stdlib: it compresses the first archive
    changed += wheel.build()
    changed += wheel.build_views()
    changed += testkit.build()
    return changed


def main() -> None:
    changed = vendor()
    print(f"static/vendor: {changed} file(s) updated" if changed else "static/vendor: up to date")


if __name__ == "__main__":
    main()
