"""Brotli copies of the two big runtime files, which the page decodes itself as they arrive.

A static host such as GitHub Pages compresses with gzip on the fly and cannot be told
to send a ``Content-Encoding``, so these ``.br`` files arrive as plain bytes and
``static/runtime.js`` decodes them. Brotli at quality 11 with a 16 MiB window takes
a fifth off gzip's bytes: ``pyodide.asm.wasm`` 3.56 MB gzip, 2.77 MB brotli;
``python_stdlib.zip`` (its members STORED, see publish.stdlib) 1.16 MB, 0.84 MB.
The plain files stay beside them: the page falls back to them when a ``.br`` cannot
be had.

``brotli.json``, beside them, gives each file's sizes (the page's progress bar shows
bytes of the ``.br`` total) and the SHA-256 of what its ``.br`` was made from, which
is how ``build`` knows a copy is current: compressing takes ~30 s.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "static" / "vendor" / "pyodide"
# What Pyodide fetches through the global fetch as it starts: the page answers these two.
NAMES = ("pyodide.asm.wasm", "python_stdlib.zip")
MANIFEST = "brotli.json"
QUALITY, WINDOW = 11, 24  # the most brotli does; a 16 MiB window covers the 9.6 MB wasm


def compress(data: bytes) -> bytes:
    return brotli.compress(data, quality=QUALITY, lgwin=WINDOW)


def describe(folder: Path, name: str) -> dict[str, object] | None:
    """What the manifest says of ``name`` if its ``.br`` is there; None if not."""
    try:
        entry = json.loads((folder / MANIFEST).read_text())[name]
    except (OSError, ValueError, KeyError):
        return None
    copy = folder / (name + ".br")
    return entry if copy.exists() and copy.stat().st_size == entry["br"] else None


def build(folder: Path = FOLDER) -> int:
    """Write the ``.br`` copies that are missing or stale, and the manifest; return how many."""
    manifest, written = {}, 0
    for name in NAMES:
        data = (folder / name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = describe(folder, name)
        if entry is None or entry["sha256"] != digest:
            packed = compress(data)
            partial = folder / (name + ".br.partial")
            partial.write_bytes(packed)
            partial.replace(folder / (name + ".br"))
            entry, written = {"size": len(data), "br": len(packed), "sha256": digest}, written + 1
        manifest[name] = entry
    if written or not (folder / MANIFEST).exists():
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return written


def main() -> None:
    written = build()
    print(f"{FOLDER.relative_to(ROOT)}: {written} .br file(s) written" if written else "brotli: up to date")


if __name__ == "__main__":
    main()
