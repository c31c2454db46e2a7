"""The repository as committed: no file carries a merge's conflict markers."""

from __future__ import annotations

import re
import subprocess

from publish.site import ROOT

MARKER = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    marked = []
    for name in tracked.stdout.splitlines():
        path = ROOT / name
        if path.suffix in {".png", ".zip", ".whl", ".wasm"} or not path.is_file():
            continue
        if MARKER.search(path.read_text(errors="ignore")):
            marked.append(name)
    assert marked == []
