"""The vendored standard library carries bytecode for what the page imports, and is rebuilt when stale."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from publish import stdlib, vendor


def test_the_vendored_zip_has_bytecode_for_the_page_imports_and_sources_for_the_rest() -> None:
    vendor.vendor()
    with zipfile.ZipFile(stdlib.TARGET) as built, zipfile.ZipFile(stdlib.SOURCE) as original:
        names = set(built.namelist())
        for module in ("asyncio/__init__", "json/__init__", "urllib/request", "http/client", "email/parser"):
            assert f"{module}.pyc" in names and f"{module}.py" not in names
        assert "xml/dom/minidom.py" in names and "xml/dom/minidom.pyc" not in names
        pycs = [name for name in names if name.endswith(".pyc")]
        # Every .py of the original is there, as source or as bytecode.
        assert {name.removesuffix("c") for name in names} == set(original.namelist())
        headers = {built.read(name)[:8] for name in pycs}
    # One magic number, and flags 0b01: hash-based, source never checked (PEP 552).
    assert len(headers) == 1 and next(iter(headers))[4:] == b"\x01\x00\x00\x00"
    assert len(pycs) > 100


def test_a_stale_zip_is_rebuilt_and_a_current_one_is_left_alone(tmp_path: Path) -> None:
    vendor.vendor()
    target = tmp_path / "python_stdlib.zip"
    shutil.copy2(stdlib.TARGET, target)
    assert stdlib.build(target=target) is False
    with zipfile.ZipFile(target, "a") as stale:
        stale.comment = b"made from something else"
    assert not stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    assert stdlib.build(target=target) is True
    assert stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    with zipfile.ZipFile(target) as rebuilt, zipfile.ZipFile(stdlib.TARGET) as vendored:
        assert sorted(rebuilt.namelist()) == sorted(vendored.namelist())
