"""Browser fixtures: a fresh context per test, with console and requests recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from publish import stdlib
from tests.harness import CHROMIUM, CHROMIUM_ARGS, Site


@dataclass
class Recorder:
    """What the page said and asked for during one test."""

    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.page_errors

    def fetched(self, name: str) -> list[str]:
        """The URLs asked for whose file is ``name``."""
        return [request.url for request in self.requests if request.url.endswith("/" + name)]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="session")
def warm_context(playwright: Any, tmp_path_factory: pytest.TempPathFactory, site: Site) -> Iterator[Any]:
    """One persistent profile for the session, with one renderer process for the site's tabs.

    The profile keeps the runtime in the HTTP cache after the first boot. With
    ``--process-per-site`` and a tab kept open on the site (``keeper``), every test's tab
    of the site is made in the same renderer, where the runtime's wasm and scripts are
    already compiled: a boot there took 0.63 s instead of 1.35 s in a new process, and
    pytest 543-626 s instead of 855 s on two cores. A page sees nothing of it; a renderer
    that had already parsed a deep answer is also how a hostile one was found to freeze
    the page after a reload (test_answers.py). Each test gets its own tab (and so its own
    sessionStorage); cookies are cleared between tests. Tests that need a second, separate
    browser use ``browser``.
    """
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--process-per-site"],
    )
    keeper = ctx.pages[0] if ctx.pages else ctx.new_page()
    keeper.goto(site.url + "config.json")  # a plain file: no Python runs in it
    yield ctx
    ctx.close()


@pytest.fixture
def context(warm_context: Any, recorder: Recorder, request: pytest.FixtureRequest) -> Iterator[Any]:
    listeners = {
        "console": lambda message: recorder.console.append((message.type, message.text)),
        "weberror": lambda error: recorder.page_errors.append(str(error.error)),
        "request": lambda request: recorder.requests.append(request),
    }
    for event, listener in listeners.items():
        warm_context.on(event, listener)
    warm_context.clear_cookies()
    kept = list(warm_context.pages)  # the keeper
    yield warm_context
    for event, listener in listeners.items():
        warm_context.remove_listener(event, listener)
    warm_context.unroute_all(behavior="ignoreErrors")
    for tab in warm_context.pages:
        if all(tab is not other for other in kept):  # a tab this test opened
            tab.close()
    # The demo's flows import only the first archive of the standard library; a test that
    # fetched a later one (publish/stdlib_rest.py) found a module missing from the first.
    later = [url for name in stdlib.LATER.values() for url in recorder.fetched(name)]
    if later and request.node.get_closest_marker("stdlib_later") is None:
        pytest.fail(f"the page fetched more of the standard library: {later}; see publish.stdlib.ROOTS")


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
