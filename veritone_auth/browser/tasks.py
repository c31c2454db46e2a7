"""Work a page starts and does not wait for, kept alive until it ends, never failing silently.

from veritone_auth.browser.tasks import in_background

in_background(load_profile())          # an exception is reported, not lost
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()


def report(error: BaseException) -> None:
    """Say in the console that background work failed: its type and text, which never hold a token."""
    print(f"veritone_auth: background work failed: {type(error).__name__}: {error}", file=sys.stderr)


def in_background(
    work: Coroutine[Any, Any, T], on_error: Callable[[BaseException], None] | None = None
) -> asyncio.Task[T]:
    """Run ``work`` as a task the page does not wait for.

    If it raises, ``on_error(exception)`` is called, and the exception is
    reported in the console either way: never swallowed.
    """
    task = asyncio.ensure_future(work)
    _running.add(task)

    def done(finished: asyncio.Task[T]) -> None:
        _running.discard(finished)
        if finished.cancelled() or (error := finished.exception()) is None:
            return
        report(error)
        if on_error is not None:
            on_error(error)

    task.add_done_callback(done)
    return task
