"""Where the browsers are: find each engine the tests drive, or say exactly how to get it.

Chromium is driven by Playwright, Firefox by puppeteer-core over WebDriver BiDi, and
WebKit (WebKitGTK's MiniBrowser) by Selenium through WebKitWebDriver under Xvfb. Their
tools cannot download browsers on every machine, so each engine is looked for where
systems put it, and a missing one gets the install command for this system.

    python -m tests.engines            # say what is found
    python -m tests.engines --install  # also install what is missing (root on Debian/Ubuntu)

The exit status is 1 only when Chromium is missing: the suite cannot start without it.
A missing Firefox or WebKit fails its own tests, with the command to run.
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ENGINES = ("chromium", "firefox", "webkit")
# Where `playwright install chromium` puts its build.
PLAYWRIGHT_LINUX = ".cache/ms-playwright/chromium-*/chrome-linux*/chrome"
PLAYWRIGHT_MACOS = "Library/Caches/ms-playwright/chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium"
DEBIAN_PACKAGES = {"chromium": "chromium", "firefox": "firefox-esr", "webkit": "webkit2gtk-driver xvfb"}


def _first(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _which(*names: str) -> str | None:
    return _first(*(shutil.which(name) for name in names))


def chromium() -> str | None:
    """$CHROMIUM, Debian's chromium, chromium-browser, Chrome, then a Playwright download."""
    if env := os.environ.get("CHROMIUM"):
        return _first(env)
    return (
        _which("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
        or _first(
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        )
        or _first(*sorted(glob.glob(str(Path.home() / PLAYWRIGHT_LINUX))))
        or _first(*sorted(glob.glob(str(Path.home() / PLAYWRIGHT_MACOS))))
    )


def firefox() -> str | None:
    """$FIREFOX, Debian's firefox-esr, firefox, or Firefox.app."""
    if env := os.environ.get("FIREFOX"):
        return _first(env)
    return _which("firefox-esr", "firefox") or _first("/Applications/Firefox.app/Contents/MacOS/firefox")


def webkit() -> tuple[str, str, str] | None:
    """(WebKitWebDriver, MiniBrowser, Xvfb) from Debian's webkit2gtk-driver and xvfb."""
    driver = _first(os.environ.get("WEBKIT_DRIVER")) or _which("WebKitWebDriver")
    browser = _first(
        os.environ.get("WEBKIT_BROWSER"), *sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))
    )
    xvfb = _which("Xvfb")
    return (driver, browser, xvfb) if driver and browser and xvfb else None


def found(engine: str) -> bool:
    return bool({"chromium": chromium, "firefox": firefox, "webkit": webkit}[engine]())


def _system() -> str:
    if platform.system() == "Darwin":
        return "macos"
    try:
        release = Path("/etc/os-release").read_text()
    except OSError:
        return "other"
    if "ID=ubuntu" in release or "ID_LIKE=ubuntu" in release:
        return "ubuntu"
    return "debian" if "debian" in release else "other"


def install_command(engine: str) -> str:
    """The exact command that gets ``engine`` on this system."""
    system = _system()
    sudo = "" if os.geteuid() == 0 else "sudo "
    if system == "debian":
        return f"{sudo}apt-get update && {sudo}apt-get install -y {DEBIAN_PACKAGES[engine]}"
    if engine == "chromium":
        # Ubuntu's chromium package is a snap wrapper; Playwright's own build works everywhere.
        return ".venv/bin/python -m playwright install chromium"
    if engine == "firefox":
        if system == "macos":
            return "brew install --cask firefox"
        return f"{sudo}apt-get install -y firefox  (or set FIREFOX=/path/to/firefox)"
    if system == "macos":
        return "no WebKitGTK on macOS: run the WebKit group on Debian or Ubuntu (webkit2gtk-driver, xvfb)"
    return f"{sudo}apt-get update && {sudo}apt-get install -y webkit2gtk-driver xvfb"


def missing_message(engine: str) -> str:
    return f"{engine} is missing. Install it with: {install_command(engine)}"


def install(engines: list[str]) -> None:
    """Install the missing engines with apt-get, where this is Debian or Ubuntu and we are root."""
    if not engines or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    snap = _system() == "ubuntu"  # Ubuntu's chromium package is a snap wrapper: not installed here
    packages = " ".join(DEBIAN_PACKAGES[e] for e in engines if not (e == "chromium" and snap))
    if not packages:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages.split()], check=False, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="install what is missing, where possible")
    args = parser.parse_args()
    if args.install:
        install([e for e in ENGINES if not found(e)])
    for engine in ENGINES:
        if not found(engine):
            print(missing_message(engine), file=sys.stderr)
    if not found("chromium"):
        sys.exit(1)


if __name__ == "__main__":
    main()
