"""A one-run smoke of the benchmark, so it keeps working. It checks that numbers come out, not how big."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.mark.timeout(300)
def test_benchmark_runs_once_and_reports(tmp_path: Path) -> None:
    from benchmarks.pageload import run

    lines: list[str] = []
    result = run(1, tmp_path / "bench.json", log=lines.append)
    saved = json.loads((tmp_path / "bench.json").read_text())
    assert saved["ratios"] == result["ratios"]
    expected = {
        "app_cold",
        "app_warm",
        "bare_cold",
        "bare_warm",
        "plain_cold",
        "plain_warm",
        "redirect",
        "popup",
    }
    assert set(result["series"]) == expected
    assert all(s["median_ms"] > 0 for s in result["series"].values())
    assert result["bytes"]["gzip"] < result["bytes"]["identity"]
    assert "| app/bare warm |" in lines[-1] or any("| app/bare warm |" in line for line in lines)
