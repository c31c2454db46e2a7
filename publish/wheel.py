"""Build ``veritone_auth``'s wheel, with bytecode for the page's CPython in it.

The page adds the library the way any PyScript page would, one line in
``pyscript.toml``'s ``[files]`` that unpacks the wheel, so the page runs no
source of its own but ``main.py``. flit_core builds the ordinary wheel from
``pyproject.toml`` (sources only, for any Python 3.11+); then each module is
compiled in Pyodide (``publish/in_pyodide.mjs``) and its bytecode added as
``__pycache__/<module>.<cache tag>.pyc``.

The bytecode is *checked* hash-based (PEP 552): Python imports it only when
the hash of the ``.py`` beside it matches the one it was compiled from, and
compiles the source otherwise. Like the standard library's, it leaves the
docstrings out (``publish.bytecode``); the ``.py`` files keep them. So
bytecode from an older source can never run, whoever edits the unpacked files.
Other Pythons ignore it (another cache tag). The checking costs one read and a
SipHash of a few KB per module, against 45-60 ms for compiling them all in the
browser.

``build`` is idempotent: the wheel's zip comment records what it was made
from, and a current wheel is left alone. ``serve.py`` calls it on requests,
so an edited source is rebuilt into the wheel before the page asks for it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

from publish.bytecode import CHECKED, bytecode, is_current

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "veritone_auth"
WHEELS = ROOT / "static" / "vendor" / "wheels"
RUNNER = Path(__file__).with_name("in_pyodide.mjs")
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide" / "package.json"

_VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_lock = threading.Lock()


def version(root: Path = ROOT) -> str:
    """The library's version, from ``veritone_auth/__init__.py`` (flit_core reads the same)."""
    found = _VERSION.search((root / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f'{PACKAGE}/__init__.py has no __version__ = "..." line.')
    return found.group(1)


def wheel_name(root: Path = ROOT) -> str:
    return f"{PACKAGE}-{version(root)}-py3-none-any.whl"


def with_bytecode(wheel: bytes, comment: str) -> tuple[bytes, list[str]]:
    """Return ``wheel`` with checked hash-based bytecode beside each module, and the modules.

    Runs inside Pyodide, so the cache tag and the bytecode are the page's
    CPython's. Stdlib-only for that reason. The RECORD is written anew, last,
    with every file's hash, as the wheel format asks.
    """
    out = io.BytesIO()
    record_name = None
    records = []
    compiled = []

    def add(dst: zipfile.ZipFile, name: str, data: bytes, date_time: tuple[int, ...]) -> None:
        dst.writestr(zipfile.ZipInfo(name, date_time), data, zipfile.ZIP_DEFLATED, compresslevel=9)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        records.append(f"{name},sha256={digest},{len(data)}")

    with zipfile.ZipFile(io.BytesIO(wheel)) as src, zipfile.ZipFile(out, "w") as dst:
        dst.comment = comment.encode()
        for info in src.infolist():
            if info.filename.endswith(".dist-info/RECORD"):
                record_name = info.filename
                continue
            data = src.read(info)
            add(dst, info.filename, data, info.date_time)
            if info.filename.endswith(".py"):
                folder, _, file = info.filename.rpartition("/")
                pyc = f"{folder}/__pycache__/{file[:-3]}.{sys.implementation.cache_tag}.pyc"
                add(dst, pyc, bytecode(data, info.filename, CHECKED), info.date_time)
                compiled.append(info.filename[:-3].replace("/", "."))
        if record_name is None:
            raise ValueError("the wheel has no RECORD")
        records.append(f"{record_name},,")
        dst.writestr(zipfile.ZipInfo(record_name, (1980, 1, 1, 0, 0, 0)), "\n".join(records) + "\n")
    return out.getvalue(), compiled


def _stamp(files: list[Path], root: Path) -> str:
    """What an archive is made from: its files by path, this code and the runtime."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for path in (Path(__file__), Path(__file__).with_name("bytecode.py"), RUNNER, PYODIDE_PACKAGE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(root: Path = ROOT) -> str:
    """What the wheel is made from: every file of the package (sub-packages too), its metadata."""
    package = sorted(
        path for path in (root / PACKAGE).rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    # the readme rides in the metadata
    return _stamp([*package, root / "pyproject.toml", root / "docs" / "pypi.md"], root)


def _compiled(target: Path, stamp: str, make_plain: Callable[[Path], Path]) -> bool:
    """Write ``target`` with bytecode unless a current one is there; say if it wrote."""
    with _lock:
        if is_current(target, stamp):
            return False
        if not PYODIDE_PACKAGE.exists():
            raise SystemExit("node_modules is missing the runtime: run `npm ci` first.")
        from publish.node import in_pyodide  # here: this module also runs inside Pyodide, without publish

        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="wheel-") as tmp:
            built = Path(tmp) / "with-bytecode.whl"
            in_pyodide("publish.wheel", "with_bytecode", make_plain(Path(tmp)), built, comment=stamp)
            prefix = target.name.split("-", 1)[0]
            for stale in target.parent.glob(f"{prefix}-*.whl"):  # an older version's
                stale.unlink()
            built.replace(target)
        return True


def build(root: Path = ROOT, out: Path = WHEELS) -> bool:
    """Write the library's wheel into ``out`` unless a current one is there; say if it wrote.

    Thread-safe: serve.py may ask from several request threads at once.
    """

    def plain(tmp: Path) -> Path:
        from flit_core.wheel import make_wheel_in

        return Path(make_wheel_in(root / "pyproject.toml", tmp).file)

    return _compiled(out / wheel_name(root), fingerprint(root), plain)


# The demo's views (views/): the page loads them as it loads the library, one archive with
# bytecode. Not a package for anyone to install: a wheel only in its layout.
VIEWS = "views"
VIEWS_WHEEL = "demo_views-0-py3-none-any.whl"


def build_views(root: Path = ROOT, out: Path = WHEELS) -> bool:
    """Write the views' archive into ``out`` unless a current one is there; say if it wrote."""
    sources = sorted((root / VIEWS).glob("*.py"))

    def plain(tmp: Path) -> Path:
        path = tmp / VIEWS_WHEEL
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in [(f"{VIEWS}/{source.name}", source.read_bytes()) for source in sources]:
                archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)  # reproducible
            archive.writestr("demo_views-0.dist-info/RECORD", "")
        return path

    return _compiled(out / VIEWS_WHEEL, _stamp(sources, root), plain)


def main() -> None:
    for name, wrote in ((wheel_name(), build()), (VIEWS_WHEEL, build_views())):
        print(f"{(WHEELS / name).relative_to(ROOT)}: " + ("built" if wrote else "up to date"))


if __name__ == "__main__":
    main()
