"""Build the test kit's wheel, ``veritone-auth-standin``: the stand-in and its pytest plugin.

``pip install "veritone-auth[testing]"`` brings it (the library's ``testing``
extra names it). It is a distribution of its own because the library's wheel is
what every page downloads: the stand-in's 40 KB and its dependencies (oauthlib,
PyJWT, graphql-core, pytest) are no page's business. flit_core builds it from the
``standin`` package and the project table below, in a scratch folder, so the
repository keeps one ``pyproject.toml``; its version is always the library's.

The wheel is written beside the library's (``static/vendor/wheels/``), so the
site and ``starter.zip`` carry it: ``pip install --find-links static/vendor/wheels
"veritone-auth[testing]"`` works from an unzipped starter, offline for these two.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from publish import wheel
from publish.bytecode import is_current

ROOT = wheel.ROOT
PACKAGE = "standin"
DISTRIBUTION = "veritone-auth-standin"
# The versions this repository tests with (requirements.txt) are the floors.
DEPENDENCIES = ("oauthlib>=4.0.1,<5", "PyJWT>=2.15.1,<3", "graphql-core>=3.3.2,<3.4", "pytest>=8")

PROJECT = """\
[build-system]
requires = ["flit_core>=4.2,<5"]
build-backend = "flit_core.buildapi"

[project]
name = "{name}"
version = "{version}"
description = "A local Veritone for tests: OAuth implicit flow, GraphQL API, and a pytest plugin."
license = "MIT"
requires-python = ">=3.11"
dependencies = {dependencies}

[project.entry-points.pytest11]
veritone = "standin.pytest_plugin"

[tool.flit.module]
name = "{package}"
"""


def wheel_name(root: Path = ROOT) -> str:
    return f"{DISTRIBUTION.replace('-', '_')}-{wheel.version(root)}-py3-none-any.whl"


def project(root: Path = ROOT) -> str:
    """The kit's ``pyproject.toml``: it requires the library at exactly its own version."""
    version = wheel.version(root)
    dependencies = [f"veritone-auth=={version}", *DEPENDENCIES]
    return PROJECT.format(
        name=DISTRIBUTION, version=version, package=PACKAGE, dependencies=json.dumps(dependencies)
    )


def sources(root: Path = ROOT) -> list[Path]:
    return sorted((root / PACKAGE).glob("*.py"))


def fingerprint(root: Path = ROOT) -> str:
    """What the kit's wheel is made from: its project table and the stand-in's sources."""
    digest = hashlib.sha256(project(root).encode())
    for path in [*sources(root), root / "LICENSE"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build(root: Path = ROOT, out: Path = wheel.WHEELS) -> bool:
    """Write the kit's wheel into ``out`` unless a current one is there; say if it wrote."""
    target = out / wheel_name(root)
    stamp = fingerprint(root)
    if is_current(target, stamp):
        return False
    from flit_core.wheel import make_wheel_in

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="testkit-") as tmp:
        scratch = Path(tmp)
        (scratch / PACKAGE).mkdir()
        for source in sources(root):
            shutil.copy2(source, scratch / PACKAGE / source.name)
        shutil.copy2(root / "LICENSE", scratch / "LICENSE")
        (scratch / "pyproject.toml").write_text(project(root), encoding="utf-8")
        built = Path(make_wheel_in(scratch / "pyproject.toml", scratch).file)
        with zipfile.ZipFile(built, "a") as archive:
            archive.comment = stamp.encode()  # what it was made from: see is_current
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(built, partial)
        partial.replace(target)  # atomic: a reader sees the old wheel or the new one, whole
    for stale in out.glob(f"{DISTRIBUTION.replace('-', '_')}-*.whl"):  # an older version's
        if stale != target:
            stale.unlink(missing_ok=True)
    return True


if __name__ == "__main__":
    print(f"{wheel_name()}: {'built' if build() else 'current'}")
