"""The vendored standard library carries bytecode for what the page imports, and is rebuilt when stale."""

from __future__ import annotations

import ast
import shutil
import zipfile
from pathlib import Path

import pytest

from publish import stdlib, vendor

SAMPLE = '''"""Module docstring."""


class Thing:
    """Class docstring."""

    def size(self, n: int) -> int:
        """Method docstring."""
        assert n >= 0, "negative"
        return n * 2


def only_a_docstring():
    """Nothing else in this body."""
'''


def test_docstrings_go_and_code_asserts_and_line_numbers_stay() -> None:
    tree = stdlib.without_docstrings(ast.parse(SAMPLE))
    namespace: dict[str, object] = {}
    exec(compile(tree, "sample.py", "exec"), namespace)  # noqa: S102 (our own sample)
    thing = namespace["Thing"]()
    assert namespace.get("__doc__") is None
    assert type(thing).__doc__ is None and thing.size.__doc__ is None
    assert thing.size(4) == 8
    with pytest.raises(AssertionError, match="negative"):
        thing.size(-1)
    assert namespace["only_a_docstring"]() is None
    def_line = SAMPLE.splitlines().index("    def size(self, n: int) -> int:") + 1
    assert namespace["Thing"].size.__code__.co_firstlineno == def_line


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
