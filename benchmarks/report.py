"""The benchmark's numbers as tables and as JSON (``targets.py`` judges them).

Medians with min and max; ratios of medians; and paired ratios, run by run
(the pages take turns in each run, so the i-th load of each shares the
machine's state of that moment, and a median of per-run ratios cancels drift
that a ratio of medians keeps).

    lines = loopback_report(series, sizes, runs, server) + network_report(summarize(loads))
"""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass
from typing import Any

from tests.harness import CHROMIUM

from .network import PROBE, ColdLoad

# Files under this many bytes in every page share one row of the bytes-per-file table.
SMALL_FILE = 1000


@dataclass
class Series:
    name: str
    values: list[float]
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def row(self) -> str:
        return (
            f"| {self.name} | {self.median:,.0f} | {min(self.values):,.0f} | "
            f"{max(self.values):,.0f} | {len(self.values)} |"
        )


def ratio(a: Series, b: Series) -> str:
    return f"{a.median / b.median:.2f}×"


def paired(a: list[float], b: list[float]) -> dict[str, float | int]:
    """``a`` against ``b`` run by run: the median of the per-run ratios, and in how many runs a was faster."""
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    return {
        "ratio_median": statistics.median(ratios),
        "faster": sum(r < 1 for r in ratios),
        "runs": len(ratios),
    }


def paired_row(name: str, pair: dict[str, float | int]) -> str:
    first = name.split("/")[0]
    return f"| {name} | {pair['ratio_median']:.2f}× | {first} faster in {pair['faster']} of {pair['runs']} |"


def loopback_ratios(series: dict[str, Series]) -> dict[str, str]:
    return {
        "app/bare cold": ratio(series["app_cold"], series["bare_cold"]),
        "app/bare warm": ratio(series["app_warm"], series["bare_warm"]),
        "redirect return/bare warm": ratio(series["redirect"], series["bare_warm"]),
        "stock/bare cold": ratio(series["stock_cold"], series["bare_cold"]),
        "stock/bare warm": ratio(series["stock_warm"], series["bare_warm"]),
    }


def loopback_pairs(series: dict[str, Series]) -> dict[str, dict[str, float | int]]:
    """The app against bare and stock, cold and warm, run by run."""
    return {
        f"app/{other} {kind}": paired(series[f"app_{kind}"].values, series[f"{other}_{kind}"].values)
        for other in ("bare", "stock")
        for kind in ("cold", "warm")
    }


def loopback_report(series: dict[str, Series], sizes: dict[str, int], runs: int, server: str) -> list[str]:
    """The loopback tables: each series, the ratios of medians, the paired ratios, the app's bytes."""
    policy = "gzip, ETag, max-age=600 on every file" if server == "pages" else "serve.py policy"
    return [
        f"Runs per series: {runs}. Machine: {platform.machine()}, {platform.system()}, "
        f"{os.cpu_count()} cores; Chromium at {CHROMIUM}; server: {server} ({policy}).",
        "",
        "| series | median ms | min | max | runs |",
        "|---|---:|---:|---:|---:|",
        *(s.row() for s in series.values()),
        "",
        "| ratio | value |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in loopback_ratios(series).items()),
        "",
        "Paired, run by run on loopback (median of the per-run ratios):",
        "",
        "| pair | median ratio | runs |",
        "|---|---:|---|",
        *(paired_row(name, pair) for name, pair in loopback_pairs(series).items()),
        "",
        f"Cold transfer of the app: {sizes['gzip'] / 1e6:.2f} MB with gzip, "
        f"{sizes['identity'] / 1e6:.2f} MB without.",
    ]


def summarize(
    loads: dict[str, dict[str, list[ColdLoad]]], delivered: dict[str, float] | None = None
) -> dict[str, Any]:
    """Each network's medians as JSON: ready, bytes, bytes per file, the app's chain, the pairs,
    and the payload rate the emulated line delivered (``network.delivered_mbit_s``), if probed."""
    summary = {}
    for network, pages in loads.items():
        chains = [load.chain for load in pages.get("app", [])]
        files = sorted({f for c in chains for f in c}, key=lambda f: min(c[f][0] for c in chains if f in c))
        ready = {name: [load.ready_ms for load in runs] for name, runs in pages.items()}
        summary[network] = {
            "ready_ms": ready,
            "ready_median_ms": {name: statistics.median(values) for name, values in ready.items()},
            "bytes_median": {
                name: statistics.median(load.bytes for load in runs) for name, runs in pages.items()
            },
            "files_bytes_median": {name: file_medians(runs) for name, runs in pages.items()},
            "chain_ms": {
                f: tuple(statistics.median(c[f][i] for c in chains if f in c) for i in (0, 1)) for f in files
            },
            "paired": {
                f"app/{other}": paired(ready["app"], ready[other])
                for other in ("bare", "stock")
                if other in ready
            },
            "delivered_mbit_s": (delivered or {}).get(network),
        }
    return summary


def file_medians(runs: list[ColdLoad]) -> dict[str, float]:
    """Each file's median bytes over the runs that loaded it, biggest first."""
    names = {name for load in runs for name in load.files}
    medians = {
        name: statistics.median(load.files[name] for load in runs if name in load.files) for name in names
    }
    return dict(sorted(medians.items(), key=lambda item: (-item[1], item[0])))


def network_report(summary: dict[str, Any]) -> list[str]:
    """Per network: each page's cold ready and bytes, the pairs, bytes per file, the app's chain."""
    lines = []
    for network, result in summary.items():
        ready, sizes = result["ready_ms"], result["bytes_median"]
        app, stock = result["ready_median_ms"]["app"], result["ready_median_ms"]["stock"]
        delivered = result.get("delivered_mbit_s")
        lines += [
            "",
            f"Cold loads over {network} (Chromium network emulation):",
            "",
            *(
                [f"The emulated line delivered {delivered:.1f} Mbit/s to one download alone ({PROBE}).", ""]
                if delivered
                else []
            ),
            "| page | median ms | min | max | transferred MB |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {name} | {statistics.median(values):,.0f} | {min(values):,.0f} | {max(values):,.0f} "
                f"| {sizes[name] / 1e6:.2f} |"
                for name, values in ready.items()
            ),
            "",
            f"app/stock cold: {app / stock:.2f}×",
            "",
            "| pair, run by run | median ratio | runs |",
            "|---|---:|---|",
            *(paired_row(name, pair) for name, pair in result["paired"].items()),
            "",
            *bytes_table(result["files_bytes_median"]),
            "",
            "The app's chain (medians, ms from navigation): asked for → arrived",
            "",
            *(f"- {name}: {start:,.0f} → {end:,.0f}" for name, (start, end) in result["chain_ms"].items()),
        ]
    return lines


def bytes_table(files: dict[str, dict[str, float]]) -> list[str]:
    """Bytes per file (medians, KB on the wire) for each page; the small files share one row."""
    pages = list(files)
    names = sorted(
        {n for sizes in files.values() for n in sizes},
        key=lambda n: -max(s.get(n, 0) for s in files.values()),
    )
    big = [n for n in names if any(s.get(n, 0) >= SMALL_FILE for s in files.values())]
    small = [n for n in names if n not in big]

    def kb(size: float | None) -> str:
        return "–" if size is None else f"{size / 1e3:,.1f}"

    return [
        "| file (KB on the wire) | " + " | ".join(pages) + " |",
        "|---|" + "---:|" * len(pages),
        *(f"| {n} | " + " | ".join(kb(files[p].get(n)) for p in pages) + " |" for n in big),
        f"| files under {SMALL_FILE / 1e3:g} KB ({len(small)}) | "
        + " | ".join(kb(sum(files[p].get(n, 0) for n in small)) for p in pages)
        + " |",
        "| total | " + " | ".join(kb(sum(files[p].values())) for p in pages) + " |",
    ]
