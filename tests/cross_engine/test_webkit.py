"""The whole flow in WebKit (WebKitGTK's MiniBrowser from Debian), driven by Selenium under Xvfb."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from serve import DEMO_CLIENT_ID
from standin.oauth import DEMO_USER
from tests import engines
from tests.cross_engine import COPIES_STEPS, EXAMPLE_STEPS, FLOW_STEPS
from tests.cross_engine.observed import OBSERVER, ObservedSite, observe, observed_site
from tests.cross_engine.popup_handover import POPUPS, hand_over
from tests.cross_engine.webkit import run_webkit, wait, webkit_driver
from tests.harness import Site, registered, serve_with_reports, unpack_starter
from tests.snippet_pages import LATER_STDLIB_RESULT, SNIPPET_STEPS, SNIPPETS, write_snippet_page


@pytest.fixture(scope="module")
def observed() -> Iterator[ObservedSite]:
    if engines.webkit() is None:
        pytest.fail(engines.missing_message("webkit"))
    with observed_site() as site:
        yield site


def test_the_whole_flow_in_webkit(observed: ObservedSite) -> None:
    observed.console.clear()
    report = run_webkit(observed.url, (DEMO_USER.email, DEMO_USER.password))
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0
    assert observed.console == []


def test_the_whole_flow_in_webkit_with_a_login_page_that_sends_coop(observed: ObservedSite) -> None:
    # Its popup sign-in hands the response over on the channel: the opener cannot see it.
    observed.console.clear()
    observed.standin.standin.options.coop = True
    try:
        report = run_webkit(observed.url, (DEMO_USER.email, DEMO_USER.password))
    finally:
        observed.standin.standin.options.coop = False
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert observed.console == []


def test_a_copy_of_the_tab_away_at_sign_out_comes_back_signed_out_in_webkit(observed: ObservedSite) -> None:
    observed.console.clear()
    report = run_webkit(observed.url, (DEMO_USER.email, DEMO_USER.password), copies=True)
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == COPIES_STEPS
    assert observed.console == []


def test_the_example_in_webkit(observed: ObservedSite) -> None:
    observed.console.clear()
    report = run_webkit(observed.url, (DEMO_USER.email, DEMO_USER.password), example=True)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == EXAMPLE_STEPS
    assert report["console"] == []
    assert observed.console == []


def test_the_starter_in_webkit(observed: ObservedSite, starter: Path, tmp_path: Path) -> None:
    # starter.zip unzipped into a folder of another static host, with the observer put in.
    standin_url = f"http://localhost:{observed.standin.server_port}"
    folder = unpack_starter(starter, tmp_path / "host" / "starter", standin_url)
    assert observe(folder) == 1
    shutil.copy(OBSERVER, tmp_path / "host" / "observer.js")
    server, console = serve_with_reports(tmp_path / "host")
    try:
        with registered(observed.standin.standin, f"http://127.0.0.1:{server.server_port}/starter/") as page:
            user = (DEMO_USER.email, DEMO_USER.password)
            report = run_webkit(observed.url, user, example=True, page=page)
    finally:
        server.shutdown()
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == EXAMPLE_STEPS
    assert report["console"] == []
    assert console == []


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_docs_snippets_in_webkit(name: str, observed: ObservedSite) -> None:
    # The page the README (or docs/library.md) tells an adopter to write, observer put in.
    observed.console.clear()
    site = observed.folder / "app"
    standin_url = f"http://localhost:{observed.standin.server_port}"
    folder = write_snippet_page(site, name, standin_url, DEMO_CLIENT_ID)
    assert observe(folder) == 1
    try:
        with registered(observed.standin.standin, f"{observed.url}examples/from-{name}/") as page:
            report = run_webkit(observed.url, (DEMO_USER.email, DEMO_USER.password), snippet=True, page=page)
    finally:
        shutil.rmtree(folder)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == SNIPPET_STEPS
    assert report["later"] == LATER_STDLIB_RESULT  # both later archives, fetched and working
    assert report["console"] == []
    assert observed.console == []


def test_the_observer_reports_what_a_console_would_show(observed: ObservedSite) -> None:
    # The observer is what stands for the console in WebKit: it must see a real error.
    observed.console.clear()
    with webkit_driver() as driver:
        driver.get(observed.url)
        wait(driver, "document.body && document.body.dataset.auth === 'signed-out'")
        driver.execute_script("setTimeout(() => { throw new Error('seen by the observer'); });")
        driver.execute_script("console.error('logged', 'as an error');")
        # A load that fails in a window that stays open (one cancelled by a closing window is not).
        driver.execute_script(
            "const img = document.createElement('img'); img.src = 'missing.png'; document.body.append(img);"
        )
        # Wait for the three reports themselves, while the browser is still up to send them.
        observed.console.wait_for(lambda reports: len(reports) >= 3, timeout=30)
    kinds = {(entry["kind"], entry["text"], entry["page"]) for entry in observed.console}
    assert ("uncaught", "Error: seen by the observer", "/app/") in kinds, observed.console
    assert ("console.error", "logged as an error", "/app/") in kinds, observed.console
    assert ("failed load", observed.url + "missing.png", "/app/") in kinds, observed.console


def test_sign_in_popups_handing_over_never_freeze_the_opener(site: Site) -> None:
    reports = hand_over(site.folder)
    popups = [r for r in reports if "popup" in r]
    assert len(popups) == POPUPS, f"the opener stopped answering after {len(popups)} popups: {reports}"
    assert all(r["taken"] for r in popups), reports
    assert max(r["worstGapMs"] for r in popups) < 1000, reports
