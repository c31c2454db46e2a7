"""publish.bytecode: hash-based .pyc files without docstrings."""

from __future__ import annotations

import ast
import importlib.util
import zipfile
from pathlib import Path

import pytest

from publish import bytecode

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
    tree = bytecode.without_docstrings(ast.parse(SAMPLE))
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


def test_the_header_says_hash_based_and_whether_the_source_is_checked() -> None:
    source = SAMPLE.encode()
    for flags in (bytecode.UNCHECKED, bytecode.CHECKED):
        pyc = bytecode.bytecode(source, "sample.py", flags)
        assert pyc[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(pyc[4:8], "little") == flags
        assert pyc[8:16] == importlib.util.source_hash(source)


def test_a_zip_is_current_only_with_its_stamp_and_whole(tmp_path: Path) -> None:
    target = tmp_path / "built.zip"
    assert not bytecode.is_current(target, "stamp")  # not there
    with zipfile.ZipFile(target, "w") as built:
        built.comment = b"stamp"
        built.writestr("a.py", "x = 1\n")
    assert bytecode.is_current(target, "stamp")
    assert not bytecode.is_current(target, "another")
    target.write_bytes(target.read_bytes()[:20])  # an interrupted build
    assert not bytecode.is_current(target, "stamp")
