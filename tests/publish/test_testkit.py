"""The test kit's wheel (publish/testkit.py): the stand-in, its plugin, the library's version."""

from __future__ import annotations

import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from publish import testkit, wheel
from publish.site import ROOT


def build_into(out: Path) -> Path:
    assert testkit.build(ROOT, out)  # a new folder: it writes
    return out / testkit.wheel_name()


def test_the_wheel_holds_the_stand_in_and_registers_its_pytest_plugin(tmp_path: Path) -> None:
    built = build_into(tmp_path)
    with zipfile.ZipFile(built) as archive:
        names = set(archive.namelist())
        info = f"veritone_auth_standin-{wheel.version()}.dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
    for source in (ROOT / "standin").glob("*.py"):
        assert f"standin/{source.name}" in names
    assert not [name for name in names if name.startswith("veritone_auth/")]  # the library is its own
    assert "[pytest11]\nveritone=standin.pytest_plugin" in entry_points
    assert f"{info}/licenses/LICENSE" in names
    requires = metadata.get_all("Requires-Dist") or []
    assert f"veritone-auth=={wheel.version()}" in requires
    assert {r.split(">")[0] for r in requires} >= {"oauthlib", "PyJWT", "graphql-core", "pytest"}


def test_the_librarys_testing_extra_names_the_kit_at_the_librarys_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["testing"] == [f"veritone-auth-standin=={wheel.version()}"]


def test_a_current_wheel_is_left_alone_and_a_new_version_replaces_it(tmp_path: Path) -> None:
    built = build_into(tmp_path)
    assert not testkit.build(ROOT, tmp_path)
    root = tmp_path / "repo"
    (root / "veritone_auth").mkdir(parents=True)
    (root / "veritone_auth" / "__init__.py").write_text('__version__ = "9.9.9"\n')
    (root / "LICENSE").write_bytes((ROOT / "LICENSE").read_bytes())
    (root / "standin").mkdir()
    (root / "standin" / "__init__.py").write_text('"""A stand-in."""\n')
    assert testkit.build(root, tmp_path)  # another version: built, and the old one removed
    assert not built.exists()
    assert (tmp_path / "veritone_auth_standin-9.9.9-py3-none-any.whl").exists()
