"""A one-run smoke of the benchmark, so it keeps working. It checks that numbers come out, not how big."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.network import NETWORKS, ColdLoad
from benchmarks.report import bytes_table, paired, summarize
from benchmarks.targets import BASELINE, TARGET_NETWORK, targets
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
    # Both emulated networks; app, bare and stock each with ready, bytes per file and pairs.
    assert list(report["networks"]) == list(NETWORKS) and len(NETWORKS) == 2
    for name, network in report["networks"].items():
        # What the emulated line gave one download: something, and never more than it is set to.
        assert 0 < network["delivered_mbit_s"] <= NETWORKS[name][0] * 8 / 1e6 * 1.05
        assert set(network["ready_median_ms"]) == {"app", "bare", "stock"}
        assert network["bytes_median"]["app"] > 1_000_000
        assert "pyodide.asm.wasm.br" in network["chain_ms"]  # the app fetches it as brotli
        files = network["files_bytes_median"]
        assert set(files) == {"app", "bare", "stock"}
        assert files["app"]["static/vendor/pyodide/pyodide.asm.wasm.br"] > 1_000_000
        assert sum(files["app"].values()) == pytest.approx(network["bytes_median"]["app"], rel=0.05)
        assert set(network["paired"]) == {"app/bare", "app/stock"}
        assert network["paired"]["app/stock"]["runs"] == 1
    assert "app/bare warm" in report["paired"] and report["paired"]["app/bare warm"]["runs"] == 1
    assert "| file (KB on the wire) | app | bare | stock |" in result.stdout
    assert result.stdout.count("The emulated line delivered ") == 2
    assert "| app/stock | " in result.stdout and "| app/bare warm | " in result.stdout
    assert report["bytes"]["gzip"] < report["bytes"]["identity"]
    assert "| app/bare warm |" in result.stdout and "| stock/bare cold |" in result.stdout
    assert report["server"] == "pages" and "max-age=600" in result.stdout
    assert "Targets (issue 33):" in result.stdout
    assert [t["met"] in (True, False) for t in report["targets"]] == [True] * 6  # all measured


def run_result(**medians: float) -> dict[str, Any]:
    """A benchmark's JSON with only what the targets read."""
    series = {"app_cold": 1050, "bare_cold": 1000, "app_warm": 400, "bare_warm": 400, "redirect": 440}
    series.update({k: v for k, v in medians.items() if k in series})
    return {
        "series": {name: {"median_ms": value} for name, value in series.items()},
        "bytes": {"gzip": medians.get("gzip", 4_300_000)},
        "networks": {
            TARGET_NETWORK: {"ready_median_ms": {"app": medians.get("network_app", 2500), "stock": 6250}}
        },
    }


def test_each_target_is_met_up_to_its_limit_and_not_past_it() -> None:
    baseline = run_result(redirect=440)  # 1.10x the bare page's warm load
    assert [met for *_, met in targets(run_result(), baseline)] == [True] * 6
    past = {"gzip": 4_300_001, "network_app": 2501, "app_cold": 1051, "app_warm": 421, "redirect": 441}
    for key, value in past.items():
        rows = targets(run_result(**{key: value}), baseline)
        failed = [what for what, _, _, met in rows if met is False]
        assert failed, key
    # 2,501 ms misses the time only; 3,438 ms also misses (against 6,250 ms) the 0.55x of stock.
    assert len([m for *_, m in targets(run_result(network_app=2501), baseline) if m is False]) == 1
    assert len([m for *_, m in targets(run_result(network_app=3438), baseline) if m is False]) == 2


def test_what_a_run_did_not_measure_is_said_so() -> None:
    result = run_result()
    result["networks"] = {}
    rows = targets(result, None)
    assert [met for *_, met in rows] == [True, None, None, True, True, None]
    assert rows[1][1] == "not measured" and "no baseline" in rows[-1][2]


def test_the_baseline_is_main_before_issue_22() -> None:
    baseline = json.loads(BASELINE.read_text())
    assert "10766ef" in baseline["measured"]
    assert (
        baseline["series"]["redirect"]["median_ms"] > 0 and baseline["series"]["bare_warm"]["median_ms"] > 0
    )


def test_pairs_are_ratios_run_by_run() -> None:
    # The app faster in runs 1 and 3; a ratio of medians (1.0) would hide the 2-of-3.
    pair = paired([90, 200, 95], [100, 100, 100])
    assert pair == {"ratio_median": 0.95, "faster": 2, "runs": 3}
    with pytest.raises(ValueError):
        paired([1, 2], [1])  # loads that do not pair are a bug, not a shorter median


def test_network_summary_has_each_page_s_bytes_per_file_and_its_pairs() -> None:
    def cold(ready: float, wasm: int) -> ColdLoad:
        return ColdLoad(ready, {"index.html": 2000, "pyodide.asm.wasm": wasm, "a.css": 300}, {})

    loads = {
        TARGET_NETWORK: {
            "app": [cold(1000, 3_000_000), cold(1200, 3_000_002)],
            "stock": [cold(3000, 4_000_000), cold(1100, 4_000_000)],
        }
    }
    summary = summarize(loads)[TARGET_NETWORK]
    assert summary["ready_median_ms"] == {"app": 1100, "stock": 2050}
    assert summary["files_bytes_median"]["app"] == {
        "pyodide.asm.wasm": 3_000_001,
        "index.html": 2000,
        "a.css": 300,
    }
    assert summary["bytes_median"]["app"] == 3_002_301
    assert summary["paired"] == {
        "app/stock": {"ratio_median": (1000 / 3000 + 1200 / 1100) / 2, "faster": 1, "runs": 2}
    }
    table = bytes_table(summary["files_bytes_median"])
    assert table[0] == "| file (KB on the wire) | app | stock |"
    assert "| pyodide.asm.wasm | 3,000.0 | 4,000.0 |" in table
    assert "| files under 1 KB (1) | 0.3 | 0.3 |" in table  # a.css
    assert table[-1] == "| total | 3,002.3 | 4,002.3 |"
