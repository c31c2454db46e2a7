"""A one-run smoke of the benchmark, so it keeps working. It checks that numbers come out, not how big."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from publish.site import ROOT


@pytest.mark.timeout(400)
def test_benchmark_runs_once_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.pageload",
            "--runs",
            "1",
            "--network-runs",
            "1",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=380,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    expected = {
        "app_cold",
        "app_warm",
        "bare_cold",
        "bare_warm",
        "stock_cold",
        "stock_warm",
        "plain_cold",
        "plain_warm",
        "redirect",
        "popup",
    }
    assert set(report["series"]) == expected
    assert all(s["median_ms"] > 0 for s in report["series"].values())
    assert len(report["networks"]) == 2
    for network in report["networks"].values():
        assert set(network["ready_median_ms"]) == {"app", "bare", "stock"}
        assert network["bytes_median"]["app"] > 1_000_000
        assert "pyodide.asm.wasm" in network["chain_ms"]
    assert report["bytes"]["gzip"] < report["bytes"]["identity"]
    assert "| app/bare warm |" in result.stdout and "| stock/bare cold |" in result.stdout
    assert report["server"] == "pages" and "max-age=600" in result.stdout
