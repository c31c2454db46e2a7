"""The vendoring step places the pinned runtime and is quick when up to date."""

from __future__ import annotations

import json
import time
from pathlib import Path

from publish import vendor


def test_vendored_runtime_is_complete() -> None:
    vendor.vendor()
    for name in vendor.PYODIDE_FILES:
        assert (vendor.VENDOR / "pyodide" / name).stat().st_size > 0
    assert (vendor.VENDOR / "pyscript" / "core.js").exists()
    assert not list((vendor.VENDOR / "pyscript").glob("*.map"))
    for name, (_requirement, digest) in vendor.WHEELS.items():
        assert vendor.sha256(vendor.VENDOR / "wheels" / name) == digest


def test_second_run_changes_nothing_and_is_quick() -> None:
    vendor.vendor()
    started = time.perf_counter()
    assert vendor.vendor() == 0
    assert time.perf_counter() - started < 2.0


def test_versions_match_the_lock_file() -> None:
    lock = json.loads((vendor.ROOT / "package-lock.json").read_text())
    manifest = json.loads((vendor.ROOT / "package.json").read_text())
    for name, version in manifest["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    pyodide = json.loads((vendor.NODE_MODULES / "pyodide" / "package.json").read_text())
    assert pyodide["version"] == manifest["dependencies"]["pyodide"]


def test_lock_file_names_no_download_host() -> None:
    assert '"resolved"' not in (vendor.ROOT / "package-lock.json").read_text()


def test_a_changed_file_is_copied_again(tmp_path: Path) -> None:
    source, target = tmp_path / "a.js", tmp_path / "out" / "a.js"
    source.write_text("one")
    assert vendor.copy_if_changed(source, target)
    assert not vendor.copy_if_changed(source, target)
    source.write_text("two!")
    assert vendor.copy_if_changed(source, target)
    assert target.read_text() == "two!"


def test_the_lock_file_keeps_its_info_and_names_no_package() -> None:
    # Pyodide checks the lock's ABI version as it starts; the page loads no package through it.
    vendor.vendor()
    lock = json.loads((vendor.VENDOR / "pyodide" / vendor.LOCK).read_text())
    npm = json.loads((vendor.NODE_MODULES / "pyodide" / vendor.LOCK).read_text())
    assert lock == {**npm, "packages": {}}
