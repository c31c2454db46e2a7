"""Run a coroutine to its end from a test, whatever event loop is running already.

Playwright's sync API keeps an event loop running in the main thread for the whole
test session, where ``asyncio.run`` refuses to start another; a thread of its own has none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(work: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()
