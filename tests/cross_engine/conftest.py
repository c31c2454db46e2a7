"""The cross-engine group leaves nothing running behind it, and checks that it did not.

Firefox, MiniBrowser with its web and network processes, WebKitWebDriver and Xvfb
are all started by this group. Whatever of them is still alive when the group ends
would go on using the machine's two cores and its memory beside every Chromium test
that follows. So at the end each one started since this test run began must be gone
within a few seconds; any that is not is killed, and the group fails, naming it.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ENGINE_PROCESSES = (
    "firefox",
    "firefox-esr",
    "MiniBrowser",
    "WebKitWebDriver",
    "WebKitWebProces",  # /proc's comm keeps 15 characters
    "WebKitNetworkPr",
    "WebKitGPUProces",
    "Xvfb",
)


def _started_at(stat: str) -> int:
    # Field 22 of /proc/<pid>/stat, after the parenthesised command name.
    return int(stat.rsplit(")", 1)[1].split()[19])


def engines_started_since(since: int) -> dict[int, str]:
    """The engine processes alive now that started after ``since`` (clock ticks since boot)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            started = _started_at((entry / "stat").read_text())
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if comm in ENGINE_PROCESSES and started >= since:
            found[int(entry.name)] = comm
    return found


@pytest.fixture(scope="package", autouse=True)
def nothing_left_running() -> Iterator[None]:
    if not Path("/proc/self/stat").exists():  # not Linux: nothing to check this way
        yield
        return
    since = _started_at(Path("/proc/self/stat").read_text())
    yield
    deadline = time.monotonic() + 10
    while (left := engines_started_since(since)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, f"the cross-engine group left these running: {left}"
