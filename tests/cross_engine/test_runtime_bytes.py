"""The runtime as brotli in Firefox and WebKit, as tests/e2e/test_runtime_bytes.py does in Chromium.

Three copies of the built site, served side by side by a server that notes every path asked
for: as built (``whole``), without its ``.br`` files (``plain``: a 404 for each), and with
the wasm's ``.br`` corrupted half-way (``broken``). Each engine loads each once, cold.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests import engines
from tests.cross_engine.firefox import run_firefox
from tests.cross_engine.webkit import boots_in_webkit
from tests.harness import QuietStaticHandler, Site

VARIANTS = ("whole", "plain", "broken")
PLAIN = ("pyodide.asm.wasm", "python_stdlib.zip")
PYODIDE = "static/vendor/pyodide"


@dataclass
class Variants:
    base: str  # each variant is at base + name + "/"
    requested: list[str]

    def asked(self, variant: str, name: str) -> int:
        return sum(path == f"/{variant}/{PYODIDE}/{name}" for path in self.requested)


def copy_variants(site: Path, root: Path) -> None:
    for variant in VARIANTS:
        shutil.copytree(site, root / variant, copy_function=os.link)  # hard links: no 3 × 16 MB
    for name in PLAIN:
        (root / "plain" / PYODIDE / f"{name}.br").unlink()
    wasm = root / "broken" / PYODIDE / "pyodide.asm.wasm.br"
    data = bytearray(wasm.read_bytes())
    wasm.unlink()  # a hard link: the other copies keep theirs
    data[len(data) // 2 : len(data) // 2 + 4096] = bytes(4096)
    wasm.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def variants(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variants]:
    root = tmp_path_factory.mktemp("variants")
    copy_variants(site.folder, root)
    requested: list[str] = []

    class Recording(QuietStaticHandler):
        def do_GET(self) -> None:
            requested.append(self.path.split("?")[0])
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Recording, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Variants(f"http://127.0.0.1:{server.server_port}/", requested)
    server.shutdown()


def boots(engine: str, urls: list[str]) -> list[dict[str, Any]]:
    if engine == "firefox":
        if engines.firefox() is None:
            pytest.fail(engines.missing_message("firefox"))
        report = run_firefox(urls[0], boots=urls)
        assert report["failure"] is None, report["failure"]
        return report["boots"]
    if engines.webkit() is None:
        pytest.fail(engines.missing_message("webkit"))
    return boots_in_webkit(urls)


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_the_runtime_as_brotli_its_fallback_and_its_failure(engine: str, variants: Variants) -> None:
    variants.requested.clear()
    whole, plain, broken = boots(engine, [variants.base + name + "/" for name in VARIANTS])
    # As built: booted, and never a plain file asked for.
    assert (whole["auth"], whole["boot"]) == ("signed-out", None), whole
    # WebKitGTK 2.50 does not take a fetch from an as=fetch preload: it asks twice, as it did
    # for the plain files before they were brotli.
    once = 1 if engine == "firefox" else 2
    for name in PLAIN:
        assert (variants.asked("whole", name + ".br"), variants.asked("whole", name)) == (once, 0), name
    # The decoder is fetched only by an engine without DecompressionStream("brotli").
    decoder = sum("/whole/static/vendor/brotli-dec-wasm/" in path for path in variants.requested)
    assert (decoder == 0) == whole["nativeBrotli"], (decoder, whole)
    # No .br: booted from the plain files.
    assert (plain["auth"], plain["boot"]) == ("signed-out", None), plain
    assert all(variants.asked("plain", name) == 1 for name in PLAIN)
    # A .br corrupted half-way: the boot failure, with a retry; never half a boot.
    assert (broken["auth"], broken["boot"], broken["retry"]) == ("booting", "failed", True), broken
    assert "Python could not start" in broken["error"]
    assert variants.asked("broken", "pyodide.asm.wasm") == 0
