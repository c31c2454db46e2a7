"""The vendored standard library carries bytecode for what the page imports, and is rebuilt when stale."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from publish import stdlib, stdlib_rest, vendor


def test_the_first_archive_has_what_the_page_imports_the_client_s_what_its_client_adds() -> None:
    vendor.vendor()
    with (
        zipfile.ZipFile(stdlib.TARGET) as first,
        zipfile.ZipFile(stdlib.TARGET_CLIENT) as client,
        zipfile.ZipFile(stdlib.TARGET_REST) as rest,
        zipfile.ZipFile(stdlib.SOURCE) as original,
    ):
        archives = (first, client, rest)
        assert all(archive.testzip() is None for archive in archives)
        head, middle, tail = (set(archive.namelist()) for archive in archives)
        for module in ("asyncio/__init__", "json/__init__", "urllib/parse", "base64", "hmac"):
            assert f"{module}.pyc" in head and f"{module}.pyc" not in middle | tail
        for module in ("urllib/request", "http/client", "http/__init__", "email/parser", "email/__init__"):
            assert f"{module}.pyc" in middle and f"{module}.pyc" not in head | tail
        for module in ("xml/dom/minidom", "csv", "email/policy", "encodings/cp1252", "http/server"):
            assert f"{module}.pyc" in tail and f"{module}.pyc" not in head | middle
        modules = lambda names: {n.removesuffix("c") for n in names if n.endswith((".py", ".pyc"))}  # noqa: E731
        # Every module of the original is in one archive and one only, as bytecode.
        assert modules(head - {"sitecustomize.pyc"}) | modules(middle) | modules(tail) == modules(
            original.namelist()
        )
        assert not modules(head) & modules(middle) and not modules(head) & modules(tail)
        assert not modules(middle) & modules(tail)
        assert not [n for n in head | middle | tail if n.endswith(".py")]
        pycs = [(archive, n) for archive in archives for n in archive.namelist() if n.endswith(".pyc")]
        headers = {archive.read(name)[:8] for archive, name in pycs}
        # The finder that fetches the later archives knows each of their modules by name.
        assert "sitecustomize.pyc" in head
        finder = first.read("sitecustomize.pyc")
        client_bytes = sum(i.compress_size for i in client.infolist())
    # One magic number, and flags 0b01: hash-based, source never checked (PEP 552).
    assert len(headers) == 1 and next(iter(headers))[4:] == b"\x01\x00\x00\x00"
    assert 100 < len([n for n in head if n.endswith(".pyc")]) < 250
    for name in ("csv", "email.policy", "encodings.cp1252", "xml.etree.ElementTree", "xml", "urllib.request"):
        assert f" {name} ".encode() in finder.replace(b'"', b" ").replace(b"'", b" ")
    assert 50_000 < client_bytes < 250_000  # what a signed-out cold load no longer downloads


def test_the_finder_puts_each_archive_where_its_bytecode_says_it_is() -> None:
    # Tracebacks of a module of a later archive name the file it was loaded from.
    for archive in (stdlib.TARGET_CLIENT.name, stdlib.TARGET_REST.name):
        assert stdlib.mount(archive) == stdlib_rest.mounted(archive)
    assert set(stdlib.LATER.values()) == {stdlib.TARGET_CLIENT.name, stdlib.TARGET_REST.name}
    assert stdlib.module_name("email/mime/text.py") == "email.mime.text"
    assert stdlib.module_name("xml/__init__.py") == "xml"


class Rebuilt(Exception):
    """Raised in place of the build's work: it decided to build (the work itself is tested above)."""


def test_a_stale_zip_is_rebuilt_and_a_current_one_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor.vendor()
    target = tmp_path / "python_stdlib.zip"
    shutil.copy2(stdlib.TARGET, target)
    for later in (stdlib.TARGET_CLIENT, stdlib.TARGET_REST):
        shutil.copy2(later, tmp_path / later.name)
    assert stdlib.build(target=target) is False
    with zipfile.ZipFile(target, "a") as stale:
        stale.comment = b"made from something else"
    assert not stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    assert stdlib.build(target=target) is True
    assert stdlib.is_current(target, stdlib.fingerprint(stdlib.SOURCE))
    with zipfile.ZipFile(target) as rebuilt, zipfile.ZipFile(stdlib.TARGET) as vendored:
        assert sorted(rebuilt.namelist()) == sorted(vendored.namelist())
    assert stdlib.build(target=target) is False  # and now current
    # Without a later archive, the archives are built again, though the first is current; the
    # decision is what this checks, so the 25 s of compiling in Pyodide are not done twice.
    (tmp_path / stdlib.TARGET_CLIENT.name).unlink()

    def rebuilt(*_args: object, **_options: object) -> None:
        raise Rebuilt

    monkeypatch.setattr("publish.node.in_pyodide", rebuilt)
    with pytest.raises(Rebuilt):
        stdlib.build(target=target)
