"""The vendored standard library carries bytecode for what the page imports, and is rebuilt when stale."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from publish import stdlib, stdlib_rest, vendor


def test_the_first_archive_has_what_the_page_imports_and_the_second_the_rest() -> None:
    vendor.vendor()
    with (
        zipfile.ZipFile(stdlib.TARGET) as first,
        zipfile.ZipFile(stdlib.TARGET_REST) as rest,
        zipfile.ZipFile(stdlib.SOURCE) as original,
    ):
        assert first.testzip() is None and rest.testzip() is None
        head, tail = set(first.namelist()), set(rest.namelist())
        for module in ("asyncio/__init__", "json/__init__", "urllib/request", "http/client", "email/parser"):
            assert f"{module}.pyc" in head and f"{module}.pyc" not in tail
        for module in ("xml/dom/minidom", "csv", "email/policy", "encodings/cp1252"):
            assert f"{module}.pyc" in tail and f"{module}.pyc" not in head
        modules = lambda names: {n.removesuffix("c") for n in names if n.endswith((".py", ".pyc"))}  # noqa: E731
        # Every module of the original is in one archive and one only, as bytecode.
        assert modules(head - {"sitecustomize.pyc"}) | modules(tail) == modules(original.namelist())
        assert not modules(head) & modules(tail)
        assert not [n for n in head | tail if n.endswith(".py")]
        pycs = [(archive, n) for archive in (first, rest) for n in archive.namelist() if n.endswith(".pyc")]
        headers = {archive.read(name)[:8] for archive, name in pycs}
        # The finder that fetches the rest knows each of its modules by name.
        assert "sitecustomize.pyc" in head
        finder = first.read("sitecustomize.pyc")
    # One magic number, and flags 0b01: hash-based, source never checked (PEP 552).
    assert len(headers) == 1 and next(iter(headers))[4:] == b"\x01\x00\x00\x00"
    assert 100 < len([n for n in head if n.endswith(".pyc")]) < 250
    for name in ("csv", "email.policy", "encodings.cp1252", "xml.etree.ElementTree", "xml"):
        assert f" {name} ".encode() in finder.replace(b'"', b" ")


def test_the_finder_puts_the_rest_where_its_bytecode_says_it_is() -> None:
    # Tracebacks of a module of the second archive name the file it was loaded from.
    assert stdlib.REST_MOUNT == stdlib_rest.MOUNTED
    assert stdlib.TARGET_REST.name == stdlib_rest.ARCHIVE
    assert stdlib.module_name("email/mime/text.py") == "email.mime.text"
    assert stdlib.module_name("xml/__init__.py") == "xml"


def test_a_stale_zip_is_rebuilt_and_a_current_one_is_left_alone(tmp_path: Path) -> None:
    vendor.vendor()
    target = tmp_path / "python_stdlib.zip"
    shutil.copy2(stdlib.TARGET, target)
    shutil.copy2(stdlib.TARGET_REST, tmp_path / stdlib.TARGET_REST.name)
    assert stdlib.build(target=target) is False
    with zipfile.ZipFile(target, "a") as stale:
        stale.comment = b"made from something else"
    assert not stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    assert stdlib.build(target=target) is True
    assert stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    with zipfile.ZipFile(target) as rebuilt, zipfile.ZipFile(stdlib.TARGET) as vendored:
        assert sorted(rebuilt.namelist()) == sorted(vendored.namelist())
    # Without its second archive, the first is no longer current either.
    (tmp_path / stdlib.TARGET_REST.name).unlink()
    assert stdlib.build(target=target) is True
    assert (tmp_path / stdlib.TARGET_REST.name).exists()
