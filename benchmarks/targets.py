"""Issue 33's targets, each met, not met or not measured by a run of the benchmark.

The redirect return is held to main's before that issue (``BASELINE``, a run's
JSON kept in git), as a ratio to the bare page's warm load of the same run, so
the two runs' machine speeds cancel out.

    rows = targets(result, json.loads(BASELINE.read_text()))
    print("\n".join(targets_report(rows)))
"""

from __future__ import annotations

from typing import Any

from publish.site import ROOT

from .network import NETWORKS

BASELINE = ROOT / "benchmarks" / "baselines" / "main-before-issue-22.json"
TARGET_NETWORK = next(iter(NETWORKS))
Row = tuple[str, str, str, bool | None]


def targets(result: dict[str, Any], baseline: dict[str, Any] | None) -> list[Row]:
    """Each target as (what, measured, limit, met); met is None where this run did not measure it."""
    median = {name: s["median_ms"] for name, s in result["series"].items()}
    rows: list[Row] = []
    gzip = result["bytes"]["gzip"]
    rows.append(("signed-out cold load, transferred", f"{gzip / 1e6:.2f} MB", "≤ 4.30 MB", gzip <= 4.3e6))
    network = result["networks"].get(TARGET_NETWORK)
    if network is None:
        rows.append((f"cold load over {TARGET_NETWORK}", "not measured", "≤ 2,500 ms", None))
        rows.append((f"app/stock cold over {TARGET_NETWORK}", "not measured", "≤ 0.55×", None))
    else:
        app, stock = network["ready_median_ms"]["app"], network["ready_median_ms"]["stock"]
        rows.append((f"cold load over {TARGET_NETWORK}", f"{app:,.0f} ms", "≤ 2,500 ms", app <= 2500))
        rows.append(
            (f"app/stock cold over {TARGET_NETWORK}", f"{app / stock:.2f}×", "≤ 0.55×", app <= 0.55 * stock)
        )
    for kind in ("cold", "warm"):
        value = median[f"app_{kind}"] / median[f"bare_{kind}"]
        rows.append((f"app/bare {kind} on loopback", f"{value:.2f}×", "≤ 1.05×", value <= 1.05))
    value = median["redirect"] / median["bare_warm"]
    if baseline is None:
        rows.append(
            ("warm redirect return/bare warm", f"{value:.2f}×", "main's before issue 22: no baseline", None)
        )
    else:
        limit = baseline["series"]["redirect"]["median_ms"] / baseline["series"]["bare_warm"]["median_ms"]
        rows.append(
            (
                "warm redirect return/bare warm",
                f"{value:.2f}×",
                f"≤ {limit:.2f}× (main before issue 22)",
                value <= limit,
            )
        )
    return rows


def targets_report(rows: list[Row]) -> list[str]:
    verdict = {True: "met", False: "not met", None: "not measured"}
    return [
        "",
        "Targets (issue 33):",
        "",
        "| target | measured | limit | |",
        "|---|---:|---|---|",
        *(f"| {what} | {measured} | {limit} | {verdict[met]} |" for what, measured, limit, met in rows),
    ]
