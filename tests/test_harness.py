"""The suite's own machinery: the turns its timed tests take (tests/harness.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.harness import take_turns


def visit(folder: Path, alone: bool, name: str, log: list[str], leave: threading.Event) -> threading.Thread:
    def inside() -> None:
        with take_turns(folder, alone):
            log.append(f"{name} in")
            leave.wait(10)
            log.append(f"{name} out")

    thread = threading.Thread(target=inside)
    thread.start()
    return thread


def settle() -> None:
    time.sleep(0.2)  # long enough for a thread that could enter to have entered


def wait_for(log: list[str], *lines: str) -> None:
    deadline = time.monotonic() + 10
    while log[: len(lines)] != list(lines):
        assert time.monotonic() < deadline, log
        time.sleep(0.01)


def test_a_test_that_must_be_alone_waits_for_the_others_and_nobody_new_comes_in(tmp_path: Path) -> None:
    log: list[str] = []
    first, timed, later = threading.Event(), threading.Event(), threading.Event()
    threads = [visit(tmp_path, False, "first", log, first)]
    wait_for(log, "first in")
    threads.append(visit(tmp_path, True, "timed", log, timed))
    settle()
    threads.append(visit(tmp_path, False, "later", log, later))
    settle()
    assert log == ["first in"]  # the timed one waits for first; later waits behind it
    first.set()
    wait_for(log, "first in", "first out", "timed in")
    settle()
    assert len(log) == 3  # later still waits
    timed.set()
    wait_for(log, "first in", "first out", "timed in", "timed out", "later in")
    later.set()
    for thread in threads:
        thread.join(5)


def test_the_others_share_the_room(tmp_path: Path) -> None:
    log: list[str] = []
    leave = threading.Event()
    threads = [visit(tmp_path, False, name, log, leave) for name in ("a", "b")]
    deadline = time.monotonic() + 10
    while len(log) < 2:  # both in at once: neither leaves before leave is set
        assert time.monotonic() < deadline, log
        time.sleep(0.01)
    assert sorted(log) == ["a in", "b in"]
    leave.set()
    for thread in threads:
        thread.join(5)
