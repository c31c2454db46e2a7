"""Browser fixtures: a fresh context per test, with console and requests recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Recorder:
    """What the page said and asked for during one test."""

    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.page_errors


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def context(browser: Any, recorder: Recorder) -> Iterator[Any]:
    ctx = browser.new_context()
    ctx.on("console", lambda message: recorder.console.append((message.type, message.text)))
    ctx.on("weberror", lambda error: recorder.page_errors.append(str(error.error)))
    ctx.on("request", lambda request: recorder.requests.append(request))
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
