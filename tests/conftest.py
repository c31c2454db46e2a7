"""Shared fixtures: a real stand-in, the built site under a sub-path, and Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from publish.site import STARTER, build, write_starter
from serve import DEMO_CLIENT_ID
from standin.server import StandinOptions, serve_standin
from tests import engines
from tests.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PRODUCTION_CLIENT_ID,
    SUBPATH,
    Site,
    free_port,
    serve_folder,
    take_turns,
)

# pytester runs pytest inside a test; the test kit's plugin is loaded as its pytest11 entry
# point loads it for an adopter (the kit's wheel is not installed here).
pytest_plugins = ["pytester", "standin.pytest_plugin"]

# Properties are about values, not time: on a loaded 2-core machine one example can take
# longer than Hypothesis' default 200 ms deadline, which failed a run that was otherwise right.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(scope="session")
def turns(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Where this run's workers take turns: the folder all pytest-xdist workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(autouse=True)
def alone_when_timed(request: pytest.FixtureRequest, turns: Path) -> Iterator[None]:
    """A ``timing`` test runs with no other test beside it; the others run side by side.

    Those tests time the page's main thread, and on two cores a second worker's Chromium
    stretches what they time (258 and 344 ms gaps for ~50 ms serial).
    """
    with take_turns(turns, alone=request.node.get_closest_marker("timing") is not None):
        yield


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("pages")
    standin_port = free_port()
    standin_url = f"http://localhost:{standin_port}"
    config = {"environment": "standin", "base_url": standin_url, "client_id": DEMO_CLIENT_ID}
    build(root / SUBPATH.strip("/"), config, starter=False, api=False)
    build(root / "unconfigured", {"environment": "us", "client_id": ""}, starter=False, api=False)
    build(
        root / "production",
        {"environment": "us", "client_id": PRODUCTION_CLIENT_ID},
        starter=False,
        api=False,
    )
    # For a Veritone that does not echo state (serve.py --no-state-echo).
    build(root / "no-state", {**config, "require_state": False}, starter=False, api=False)
    # API requests given up after 2 s (config.json's api_timeout), for the stalled-API tests.
    build(root / "short-timeout", {**config, "api_timeout": 2}, starter=False, api=False)
    # A redirect_uri that is not the page's own address: refused at load.
    build(
        root / "wrong-redirect",
        {**config, "redirect_uri": "https://elsewhere.example/app/"},
        starter=False,
        api=False,
    )
    static = serve_folder(root)
    url = f"http://127.0.0.1:{static.server_port}{SUBPATH}"
    example = url + "examples/minimal/"
    others = [url.replace(SUBPATH, f"/{folder}/") for folder in ("no-state", "short-timeout")]
    defaults = StandinOptions(redirect_uris=[url, *others, example])
    server = serve_standin(standin_port, StandinOptions(**vars(defaults)))
    yield Site(url, standin_url, server, root / SUBPATH.strip("/"), defaults)
    server.shutdown()
    static.shutdown()


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """starter.zip as the site build writes it."""
    return write_starter(tmp_path_factory.mktemp("dist") / STARTER)


@pytest.fixture
def standin_site(site: Site) -> Iterator[Site]:
    """The site with the stand-in's knobs back at their defaults after the test."""
    site.reset()
    yield site
    site.reset()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM:
        pytest.fail(engines.missing_message("chromium"))
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


# Where Chromium's crashpad writes a minidump for each crashed process.
CRASH_REPORTS = Path.home() / ".config" / "chromium" / "Crash Reports"
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List the minidump of every Chromium process that crashed during this run.

    tests/e2e/test_renderer_crash.py crashes renderers on purpose (its control); any
    other dump is a crash to find, as the one that test is about was.
    """
    dumps = [path for path in sorted(CRASH_REPORTS.glob("*/*.dmp")) if path.stat().st_mtime >= _STARTED]
    if dumps:
        terminalreporter.section("Chromium crashes in this run")
        for path in dumps:
            terminalreporter.line(f"minidump: {path}")
