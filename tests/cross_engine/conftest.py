"""The cross-engine group leaves nothing running behind it, and checks that it did not.

Firefox, MiniBrowser with its web and network processes, WebKitWebDriver and Xvfb
are all started by this group. Whatever of them is still alive when the group ends
would go on using the machine's two cores and its memory beside every Chromium test
that follows. So at the end each one this group started must be gone within a few
seconds; any that is not is killed, and the group fails, naming it.

"This group started" is known by a mark in the environment each of them inherits,
not by start time: engines another test run on the same machine started meanwhile
(or another pytest-xdist worker) are not ours to judge or kill.
"""

from __future__ import annotations

import os
import select
import signal
import time
import uuid
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
MARK = "VERITONE_CROSS_ENGINE_RUN"


def engines_marked(mark: bytes) -> dict[int, str]:
    """The engine processes alive now whose environment holds ``mark`` (``NAME=value``)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            if comm in ENGINE_PROCESSES and mark in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = comm
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


@pytest.fixture(scope="package", autouse=True)
def nothing_left_running() -> Iterator[None]:
    if not Path("/proc/self/environ").exists():  # not Linux: nothing to check this way
        yield
        return
    # Every engine this group starts inherits it: subprocess, Selenium's service and
    # puppeteer all pass this process's environment on.
    value = uuid.uuid4().hex
    os.environ[MARK] = value
    mark = f"{MARK}={value}".encode()
    try:
        yield
    finally:
        del os.environ[MARK]
    exited(engines_marked(mark), within=10)
    left = engines_marked(mark)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, f"the cross-engine group left these running: {left}"


def exited(pids: dict[int, str], within: float) -> None:
    """Wait for each process to exit (a pidfd turns readable when it does), up to ``within`` s."""
    deadline = time.monotonic() + within
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # gone already
        try:
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            poller.poll(max(0, (deadline - time.monotonic()) * 1000))
        finally:
            os.close(fd)
