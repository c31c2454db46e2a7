"""Browsers are found, not assumed: the lookup order and the install command per system."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import engines


def executable(path: Path) -> str:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_chromium_env_wins_and_a_missing_one_is_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = executable(tmp_path / "my-chromium")
    monkeypatch.setenv("CHROMIUM", mine)
    assert engines.chromium() == mine
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nope"))
    assert engines.chromium() is None


def test_chromium_names_are_tried_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert engines.chromium() is None
    chrome = executable(tmp_path / "google-chrome")
    assert engines.chromium() == chrome
    browser = executable(tmp_path / "chromium-browser")
    assert engines.chromium() == browser
    debian = executable(tmp_path / "chromium")
    assert engines.chromium() == debian


def test_a_browser_playwright_installed_is_the_last_resort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    folder = tmp_path / ".cache/ms-playwright/chromium-1255/chrome-linux64"
    folder.mkdir(parents=True)
    chrome = executable(folder / "chrome")
    assert engines.chromium() == chrome


@pytest.mark.parametrize(
    ("system", "engine", "expected"),
    [
        ("debian", "chromium", "apt-get install -y chromium"),
        ("debian", "firefox", "apt-get install -y firefox-esr"),
        ("debian", "webkit", "apt-get install -y webkit2gtk-driver xvfb"),
        ("ubuntu", "chromium", "python -m playwright install chromium"),
        ("macos", "chromium", "python -m playwright install chromium"),
        ("macos", "firefox", "brew install --cask firefox"),
        ("macos", "webkit", "no WebKitGTK on macOS"),
    ],
)
def test_the_install_command_fits_the_system(
    monkeypatch: pytest.MonkeyPatch, system: str, engine: str, expected: str
) -> None:
    monkeypatch.setattr(engines, "_system", lambda: system)
    assert expected in engines.install_command(engine)
    assert expected in engines.missing_message(engine)
