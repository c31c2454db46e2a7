"""veritone_auth's wheel: a standard wheel, with checked bytecode for the page's CPython."""

from __future__ import annotations

import _imp
import base64
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from publish import wheel
from publish.site import ROOT

PYODIDE_TAG = "cpython-314"  # Pyodide 314's CPython; a new runtime changes it, and this test


def pyodide_source_hash(pyc: bytes, source: bytes) -> bytes:
    """The hash Pyodide's CPython checks: SipHash keyed by its own magic number, read from the pyc."""
    return _imp.source_hash(int.from_bytes(pyc[:4], "little"), source)


@pytest.fixture(scope="module")
def built() -> Path:
    wheel.build()
    return wheel.WHEELS / wheel.wheel_name()


def test_every_module_has_its_source_and_checked_bytecode(built: Path) -> None:
    sources = sorted(p.name for p in (ROOT / "veritone_auth").glob("*.py"))
    with zipfile.ZipFile(built) as archive:
        for name in sources:
            source = archive.read(f"veritone_auth/{name}")
            assert source == (ROOT / "veritone_auth" / name).read_bytes()
            pyc = archive.read(f"veritone_auth/__pycache__/{name[:-3]}.{PYODIDE_TAG}.pyc")
            # flags 0b11: hash-based and checked, so it runs only with this exact source (PEP 552)
            assert pyc[4:8] == b"\x03\x00\x00\x00"
            assert pyc[8:16] == pyodide_source_hash(pyc, source)


def test_the_record_lists_every_file_with_its_hash(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        record_name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        rows = [line.split(",") for line in archive.read(record_name).decode().splitlines()]
        listed = {name for name, *_ in rows}
        assert listed == set(archive.namelist())
        for name, digest, size in rows:
            if name == record_name:
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={expected}", len(data)), name
        metadata = archive.read("veritone_auth-0.2.0.dist-info/METADATA").decode()
    assert "Name: veritone-auth" in metadata and f"Version: {wheel.version()}" in metadata
    # The readme PyPI shows: docs/pypi.md as Markdown, short, since every page downloads the wheel.
    assert "Description-Content-Type: text/markdown" in metadata
    assert (ROOT / "docs" / "pypi.md").read_text().strip() in metadata
    assert len(metadata) < 4_000


def test_pip_installs_it(built: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"),
            *("--disable-pip-version-check", "--target", str(tmp_path), str(built)),
        ],
        check=True,
    )
    assert (tmp_path / "veritone_auth" / "flow.py").exists()
    assert (tmp_path / "veritone_auth" / "__pycache__" / f"flow.{PYODIDE_TAG}.pyc").exists()


def test_an_edited_source_is_rebuilt_and_a_current_wheel_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "project"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "veritone_auth", root / "veritone_auth", ignore=skip)
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "pypi.md", root / "docs" / "pypi.md")
    out = tmp_path / "wheels"
    assert wheel.build(root, out) is True
    assert wheel.build(root, out) is False
    errors = root / "veritone_auth" / "errors.py"
    errors.write_text(errors.read_text().replace("no Veritone client id", "no client id (edited)"))
    assert wheel.build(root, out) is True
    with zipfile.ZipFile(out / wheel.wheel_name(root)) as archive:
        assert b"no client id (edited)" in archive.read("veritone_auth/errors.py")
        pyc = archive.read(f"veritone_auth/__pycache__/errors.{PYODIDE_TAG}.pyc")
    assert pyc[8:16] == pyodide_source_hash(pyc, errors.read_bytes())
    assert [p.name for p in out.iterdir()] == [wheel.wheel_name(root)]


def test_a_proper_wheel_carries_its_license_and_py_typed(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
    assert "veritone_auth/py.typed" in names
    assert [n for n in names if n.endswith(".dist-info/licenses/LICENSE") or n.endswith("/LICENSE")], names


def test_the_public_names_are_exported_and_each_resolves() -> None:
    import veritone_auth

    assert sorted(veritone_auth.__all__) == sorted(veritone_auth._PUBLIC)
    for name in veritone_auth.__all__:
        if name not in {"BrowserAuth", "SignedOut"}:  # those need a browser's js module
            assert getattr(veritone_auth, name).__name__ == name
