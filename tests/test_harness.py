"""The suite's own machinery: the turns its timed tests take (tests/harness.py).

Each visitor tells when it is in; whether one waits is read from the locks
themselves, with non-blocking probes, so nothing here depends on how fast
threads run on a loaded machine.
"""

from __future__ import annotations

import fcntl
import threading
import time
from pathlib import Path

from tests.harness import take_turns

TIMEOUT = 10.0


class Visitor:
    """A thread that takes its turn in ``folder`` and stays in until told to leave."""

    def __init__(self, folder: Path, alone: bool) -> None:
        self.inside, self.leave = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._visit, args=(folder, alone))
        self.thread.start()

    def _visit(self, folder: Path, alone: bool) -> None:
        with take_turns(folder, alone):
            self.inside.set()
            self.leave.wait(TIMEOUT)

    def go(self) -> None:
        self.leave.set()
        self.thread.join(TIMEOUT)


def would_wait(path: Path, mode: int) -> bool:
    """Whether taking ``mode`` on ``path`` now would have to wait (a non-blocking probe)."""
    with open(path, "a") as probe:
        try:
            fcntl.flock(probe, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def wait_for_gate_taken(folder: Path) -> None:
    """Return once someone holds the gate alone: a timed visitor, waiting for the room.

    flock tells no one when it is taken, so the lock is probed until it is (with a deadline).
    """
    deadline = time.monotonic() + TIMEOUT
    while not would_wait(folder / "gate", fcntl.LOCK_SH):
        assert time.monotonic() < deadline, "the timed visitor never took the gate"
        time.sleep(0.005)


def test_a_test_that_must_be_alone_waits_for_the_others_and_nobody_new_comes_in(tmp_path: Path) -> None:
    first = Visitor(tmp_path, alone=False)
    assert first.inside.wait(TIMEOUT)
    timed = Visitor(tmp_path, alone=True)
    wait_for_gate_taken(tmp_path)  # timed holds the gate, so it waits only for the room
    later = Visitor(tmp_path, alone=False)
    assert would_wait(tmp_path / "room", fcntl.LOCK_EX)  # first is still in
    assert not timed.inside.is_set()
    first.go()
    assert timed.inside.wait(TIMEOUT)
    assert would_wait(tmp_path / "gate", fcntl.LOCK_SH)  # later still cannot pass the gate
    assert not later.inside.is_set()
    timed.go()
    assert later.inside.wait(TIMEOUT)
    later.go()


def test_the_others_share_the_room(tmp_path: Path) -> None:
    a, b = Visitor(tmp_path, alone=False), Visitor(tmp_path, alone=False)
    assert a.inside.wait(TIMEOUT) and b.inside.wait(TIMEOUT)  # both in at once: neither has left
    a.go()
    b.go()
