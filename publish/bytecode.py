"""Hash-based ``.pyc`` files (PEP 552), compiled by the CPython that runs this module.

``publish.stdlib`` and ``publish.wheel`` run these inside Pyodide
(``publish/in_pyodide.mjs``), so the bytecode is the page's own CPython's.
Stdlib-only for that reason.

Docstrings are left out of the code, as ``python -OO`` does (asserts stay):
they are a third of the bytecode's size, and nothing on the page reads them.

Both zips built from this bytecode carry, as their zip comment, a fingerprint of
what they were made from; ``is_current`` reads it back.
"""

from __future__ import annotations

import ast
import importlib.util
import marshal
import zipfile
from pathlib import Path

UNCHECKED = 0b01  # hash-based; the source is never read: for files nobody edits
CHECKED = 0b11  # hash-based; imported only while the source's hash matches


def bytecode(source: bytes, filename: str, flags: int) -> bytes:
    """Compile ``source`` to the bytes of a hash-based ``.pyc`` with ``flags``."""
    code = compile(without_docstrings(ast.parse(source, filename)), filename, "exec", dont_inherit=True)
    return (
        importlib.util.MAGIC_NUMBER
        + flags.to_bytes(4, "little")
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


def without_docstrings(tree: ast.Module) -> ast.Module:
    """Drop each docstring, as ``python -OO`` does; asserts stay.

    A body that was only its docstring gets ``pass``, so none is empty. Every
    other line keeps its number (the nodes carry them), and a module's
    ``from __future__`` import stays first.
    """
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                if len(node.body) > 1:
                    del node.body[0]
                else:
                    node.body[0] = ast.copy_location(ast.Pass(), first)
    return tree


def is_current(target: Path, stamp: str) -> bool:
    """Say whether the zip at ``target`` was built from what ``stamp`` fingerprints."""
    if not target.exists():
        return False
    try:
        with zipfile.ZipFile(target) as existing:
            return existing.comment.decode(errors="replace") == stamp
    except zipfile.BadZipFile:  # cut short by an interrupted build: build it again
        return False
