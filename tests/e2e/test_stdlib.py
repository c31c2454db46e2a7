"""Any standard-library module a page imports still works, though most are no longer in the boot.

The first archive holds what the page imports; the rest comes from later ones (the
synchronous API client's, and the rest), each fetched on the first import of one of its
modules (publish/stdlib.py, publish/stdlib_rest.py). The demo's own flows fetch neither:
tests/e2e/conftest.py fails any test that does,
unless it is marked ``stdlib_later``, as these are.
"""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest

from publish import stdlib
from tests.e2e.actions import boot
from tests.e2e.conftest import Recorder
from tests.e2e.test_bytecode import add_script
from tests.harness import Site

pytestmark = pytest.mark.stdlib_later

SAMPLE = """
import json
from js import document

def csv_():
    import csv, io
    return list(csv.reader(io.StringIO('a,"b,c"')))

def decimal_():
    from decimal import Decimal
    return str(Decimal("0.1") + Decimal("0.2"))

def sqlite3_():
    import sqlite3
    return sqlite3.connect(":memory:").execute("select 6 * 7").fetchone()[0]

def zoneinfo_():
    import zoneinfo
    return sorted(zoneinfo.available_timezones())  # empty: Pyodide's tzdata is a package of its own

def email_():
    from email.mime.text import MIMEText
    return MIMEText("hello")["Content-Type"]

def xml_():
    import xml.etree.ElementTree as ET
    return ET.fromstring("<a><b>x</b></a>").find("b").text

def cp1252_():
    return "\u20ac".encode("cp1252").hex()

def statistics_():
    import statistics
    return statistics.median([3, 1, 2])

def fractions_():
    from fractions import Fraction
    return str(Fraction(1, 3) + Fraction(1, 6))

def difflib_():
    import difflib
    return difflib.SequenceMatcher(None, "abc", "abd").ratio()

results = {}
for check in (csv_, decimal_, sqlite3_, zoneinfo_, email_, xml_, cp1252_, statistics_, fractions_, difflib_):
    try:
        results[check.__name__.rstrip("_")] = check()
    except BaseException as error:  # shown in the assertion, by name
        results[check.__name__.rstrip("_")] = f"{type(error).__name__}: {error}"
document.body.dataset.sample = json.dumps(results)
"""

EXPECTED = {
    "csv": [["a", "b,c"]],
    "decimal": "0.3",
    "sqlite3": 42,
    "zoneinfo": [],
    "email": 'text/plain; charset="us-ascii"',
    "xml": "x",
    "cp1252": "80",
    "statistics": 2,
    "fractions": "1/2",
    "difflib": 2 / 3,
}

# Imports each name it is given; keeps those that imported, and the error of the others.
EVERY = """
import importlib, json
from js import document

imported, failed = [], {}
for name in json.loads(NAMES):
    try:
        importlib.import_module(name)
        imported.append(name)
    except BaseException as error:
        failed[name] = type(error).__name__
document.body.dataset.every = json.dumps({"imported": imported, "failed": failed})
"""
# Not imported: these do something as they are imported (run a main, print, open a browser).
SIDE_EFFECTS = ("antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle")


def test_other_stdlib_modules_import_and_work_after_boot(
    page: Any, standin_site: Site, recorder: Recorder
) -> None:
    boot(page, standin_site.url)
    for later in stdlib.LATER.values():
        assert len(recorder.fetched(later)) == 0  # the boot needs none of them
    add_script(page, SAMPLE)
    page.wait_for_selector("body[data-sample]", state="attached")
    assert json.loads(page.evaluate("document.body.dataset.sample")) == EXPECTED
    assert len(recorder.fetched(stdlib.TARGET_REST.name)) == 1
    assert recorder.errors() == []


def test_a_later_archive_that_does_not_arrive_is_an_import_error_and_is_fetched_again(
    page: Any, standin_site: Site, recorder: Recorder
) -> None:
    boot(page, standin_site.url)
    rest = f"**/{stdlib.TARGET_REST.name}"
    probe = """
from js import document
try:
    import csv
    document.body.dataset.csv = repr(next(csv.reader(["a,b"])))
except ImportError as error:
    document.body.dataset.csv = f"{type(error).__name__}: {error}"
"""

    def import_csv() -> str:
        page.evaluate("delete document.body.dataset.csv")
        add_script(page, probe)
        page.wait_for_selector("body[data-csv]", state="attached")
        return page.evaluate("document.body.dataset.csv")

    page.route(rest, lambda route: route.abort("internetdisconnected"))
    assert "could not be fetched" in import_csv()
    page.unroute(rest)
    # A captive portal's page, with a 200: not taken for the archive.
    page.route(rest, lambda route: route.fulfill(status=200, body="<html>Sign in to the Wi-Fi</html>"))
    assert import_csv().endswith(f"{stdlib.TARGET_REST.name} is not a zip archive")
    page.unroute(rest)
    assert import_csv() == "['a', 'b']"
    assert len(recorder.fetched(stdlib.TARGET_REST.name)) == 3
    assert recorder.page_errors == []


def every_module() -> list[str]:
    """Every module of Pyodide's standard library as npm ships it, by dotted name."""
    with zipfile.ZipFile(stdlib.SOURCE) as original:
        names = [stdlib.module_name(n) for n in original.namelist() if n.endswith(".py")]
    return sorted(
        name for name in names if not name.endswith("__main__") and name.split(".")[0] not in SIDE_EFFECTS
    )


def import_all(page: Any, url: str, names: list[str]) -> dict[str, Any]:
    boot(page, url)
    add_script(page, EVERY.replace("NAMES", repr(json.dumps(names))))
    page.wait_for_selector("body[data-every]", state="attached", timeout=120_000)
    return json.loads(page.evaluate("document.body.dataset.every"))


@pytest.mark.timeout(300)
def test_every_module_that_imports_on_the_stock_runtime_imports_here(
    context: Any, standin_site: Site
) -> None:
    names = every_module()
    assert len(names) > 400
    ours = import_all(context.new_page(), standin_site.url, names)
    # The same page on npm's single python_stdlib.zip: no bytecode, no second archive.
    stock_page = context.new_page()
    # No brotli copy, so the page falls back to the plain file, which is npm's.
    stock_page.route("**/vendor/pyodide/python_stdlib.zip.br", lambda route: route.fulfill(status=404))
    stock_page.route("**/vendor/pyodide/python_stdlib.zip", lambda route: route.fulfill(path=stdlib.SOURCE))
    stock = import_all(stock_page, standin_site.url, names)
    assert len(ours["imported"]) > 350
    assert ours["imported"] == stock["imported"], set(ours["imported"]) ^ set(stock["imported"])
    assert ours["failed"] == stock["failed"]


PREPARED_IMPORT = """
import asyncio
from js import document
from veritone_auth.browser.stdlib import prepare


async def later():
    ready = await prepare()
    import csv  # from the later archive, now in place
    document.body.dataset.prepared = f"{ready} {next(csv.reader(['3.3,x']))[0]}"


asyncio.ensure_future(later())
"""


@pytest.mark.timing
@pytest.mark.stdlib_later
def test_a_prepared_later_archive_is_imported_without_stalling_the_page(
    page: Any, context: Any, standin_site: Site, recorder: Recorder
) -> None:
    from tests.e2e.test_answers import HEARTBEAT, LONGEST_GAP

    boot(page, standin_site.url)
    # A slow line, so a synchronous fetch of the 2.6 MB archive would show as a stall.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8},
    )
    page.evaluate(HEARTBEAT)
    add_script(page, PREPARED_IMPORT)
    page.wait_for_selector("body[data-prepared]", state="attached", timeout=60_000)
    assert page.evaluate("document.body.dataset.prepared") == "True 3.3"
    longest = page.evaluate(LONGEST_GAP)
    print(f"longest main-thread gap while the later archive was fetched and imported: {longest:.0f} ms")
    assert longest < 200, longest
    assert len(recorder.fetched(stdlib.TARGET_REST.name)) == 1
