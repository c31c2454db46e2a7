"""A release's wheel links to the repository and tag it was built from (publish/project_urls.py)."""

from __future__ import annotations

import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest

from publish.project_urls import ROOT, project_urls, with_urls

URLS = project_urls("https://github.com", "Acme-Labs/veritone-auth", "v0.2.0")


def test_the_links_are_the_repository_s_and_the_tag_s() -> None:
    assert URLS == {
        "Source": "https://github.com/Acme-Labs/veritone-auth",
        "Documentation": "https://github.com/Acme-Labs/veritone-auth/blob/v0.2.0/docs/library.md",
        "Issues": "https://github.com/Acme-Labs/veritone-auth/issues",
        "Changelog": "https://github.com/Acme-Labs/veritone-auth/releases/tag/v0.2.0",
        "Demo": "https://acme-labs.github.io/veritone-auth/",
    }
    # Another GitHub server has no github.io Pages address to guess.
    assert "Demo" not in project_urls("https://git.example.test/", "a/b", "v1")


def test_the_built_metadata_carries_them(tmp_path: Path) -> None:
    from flit_core.wheel import make_wheel_in

    for name in ("LICENSE", "veritone_auth", "docs/pypi.md"):
        source, target = ROOT / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    pyproject = with_urls((ROOT / "pyproject.toml").read_text(), URLS)
    assert tomllib.loads(pyproject)["project"]["urls"] == URLS
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "dist").mkdir()
    wheel = make_wheel_in(tmp_path / "pyproject.toml", tmp_path / "dist").file
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("/METADATA"))
    for key, value in URLS.items():
        assert f"Project-URL: {key}, {value}\n" in metadata


def test_the_repository_itself_names_no_address_and_a_second_run_is_refused() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "urls" not in tomllib.loads(pyproject)["project"]
    with pytest.raises(ValueError, match="already"):
        with_urls(with_urls(pyproject, URLS), URLS)
