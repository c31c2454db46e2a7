"""Cold loads over emulated networks: ready time, bytes per file, and when the boot's files arrived.

Users are not on loopback. Chromium's network emulation (CDP
``Network.emulateNetworkConditions``) gives each load a line of a set speed
and round trip. The pages take turns in each run (interleaved), so the i-th
load of every page shares the machine's state of that moment and the loads
pair up run by run (``report.paired``).

    loads = over_networks(playwright, {"app": app_url, "bare": bare_url, "stock": stock_url}, runs=3)
    loads["20 Mbit/s, 40 ms RTT"]["app"][0].ready_ms
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .measure import load, profile

# Download and upload in bytes per second, round trip in ms.
NETWORKS = {
    "20 Mbit/s, 40 ms RTT": (20e6 / 8, 5e6 / 8, 40),
    "9 Mbit/s, 150 ms RTT (phone)": (9e6 / 8, 2e6 / 8, 150),
}
# The runtime's files, in the order the boot needs them: the critical chain.
CHAIN = (
    "start.js",
    "core.js",
    "pyscript.toml",
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide.asm.wasm.br",  # the app's, as brotli (static/runtime.js)
    "pyodide-lock.json",
    "python_stdlib.zip",
    "python_stdlib.zip.br",
    "config.json",
    "main.py",
)
# Each file the page loaded: its URL, asked for, arrived (ms from navigation), bytes on the wire.
RESOURCES = """() => performance.getEntriesByType("resource").map(
  (e) => [e.name.split("?")[0], e.startTime, e.responseEnd, e.encodedBodySize])"""
NAVIGATION = "performance.getEntriesByType('navigation')[0].encodedBodySize"


@dataclass
class ColdLoad:
    """One cold load over an emulated network."""

    ready_ms: float
    files: dict[str, int]  # path within the page's site -> bytes on the wire (headers excluded)
    chain: dict[str, tuple[float, float]]  # a chain file's name -> (asked for, arrived), ms

    @property
    def bytes(self) -> int:
        return sum(self.files.values())


def throttled_cold(playwright: Any, url: str, network: str) -> ColdLoad:
    """One cold load of ``url`` over ``network``, in a fresh profile."""
    down, up, rtt = NETWORKS[network]
    with profile(playwright) as context:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        conditions = {"offline": False, "latency": rtt, "downloadThroughput": down, "uploadThroughput": up}
        cdp.send("Network.emulateNetworkConditions", conditions)
        ready = load(page, url)
        entries = page.evaluate(RESOURCES)
        navigation = int(page.evaluate(NAVIGATION))
    site = urlsplit(url).path
    files = {"index.html": navigation}
    chain = {}
    for address, start, end, size in entries:
        path = urlsplit(address).path
        name = path.removeprefix(site) if path.startswith(site) else path
        files[name] = files.get(name, 0) + int(size)
        basename = name.rsplit("/", 1)[-1]
        if basename in CHAIN or basename.endswith(".whl"):
            chain[basename] = (start, end)
    return ColdLoad(ready, files, chain)


# What the emulated line delivers: one big file fetched alone, its bytes on the wire over the time.
PROBE = "static/vendor/pyodide/pyodide.asm.wasm.br"
FETCH_ALONE = """async (url) => {
  const started = performance.now();
  await (await fetch(url, { cache: "no-store" })).arrayBuffer();
  return [performance.now() - started, performance.getEntriesByName(url).at(-1).encodedBodySize];
}"""


def delivered_mbit_s(playwright: Any, app_url: str, network: str) -> float:
    """The payload rate the emulated ``network`` gives one download, in Mbit/s.

    Chromium's emulation is not the line it is set to: on this machine (Chromium 156) it
    gave 10.2–10.4 Mbit/s when set to 20, 11.7 when set to 40, and 4.5 when set to 5, with
    or without latency. So the report says what the line delivered.
    """
    down, up, rtt = NETWORKS[network]
    with profile(playwright) as context:
        page = context.new_page()
        page.goto(app_url + "config.json")  # the site's origin, nothing booting
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        conditions = {"offline": False, "latency": rtt, "downloadThroughput": down, "uploadThroughput": up}
        cdp.send("Network.emulateNetworkConditions", conditions)
        elapsed_ms, size = page.evaluate(FETCH_ALONE, app_url + PROBE)
    return float(size) * 8 / (float(elapsed_ms) / 1000) / 1e6


def over_networks(playwright: Any, urls: dict[str, str], runs: int) -> dict[str, dict[str, list[ColdLoad]]]:
    """``runs`` cold loads of each page over each network, the pages taking turns in each run."""
    results: dict[str, dict[str, list[ColdLoad]]] = {}
    for network in NETWORKS:
        results[network] = {name: [] for name in urls}
        for _ in range(runs):
            for name, url in urls.items():
                results[network][name].append(throttled_cold(playwright, url, network))
    return results
