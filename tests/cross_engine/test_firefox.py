"""The whole flow in Firefox (Debian's firefox-esr), driven by puppeteer-core over WebDriver BiDi."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from serve import DEMO_CLIENT_ID
from tests import engines
from tests.cross_engine import COPIES_STEPS, EXAMPLE_STEPS, FLOW_STEPS
from tests.cross_engine.firefox import run_firefox
from tests.harness import Site, registered, serve_folder, unpack_starter
from tests.snippet_pages import LATER_STDLIB_RESULT, SNIPPET_STEPS, SNIPPETS, write_snippet_page


def test_the_whole_flow_in_firefox(standin_site: Site) -> None:
    if engines.firefox() is None:
        pytest.fail(engines.missing_message("firefox"))
    report = run_firefox(standin_site.url)
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0


def test_the_whole_flow_in_firefox_with_a_login_page_that_sends_coop(standin_site: Site) -> None:
    # Its popup sign-in hands the response over on the channel: the opener cannot see it.
    standin_site.standin.options.coop = True
    report = run_firefox(standin_site.url)
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []


def test_a_copy_of_the_tab_away_at_sign_out_comes_back_signed_out_in_firefox(standin_site: Site) -> None:
    report = run_firefox(standin_site.url, flow=False, copies=True)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == COPIES_STEPS
    assert report["console"] == []


def test_the_example_in_firefox(standin_site: Site) -> None:
    report = run_firefox(standin_site.url, example=True)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == EXAMPLE_STEPS
    assert report["console"] == []


def test_the_starter_in_firefox(starter: Path, standin_site: Site, tmp_path: Path) -> None:
    # starter.zip unzipped into a folder of another static host, as an adopter would.
    unpack_starter(starter, tmp_path / "host" / "starter", standin_site.standin_url)
    server = serve_folder(tmp_path / "host")
    try:
        with registered(standin_site.standin, f"http://127.0.0.1:{server.server_port}/starter/") as page:
            report = run_firefox(standin_site.url, example=True, page=page)
    finally:
        server.shutdown()
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == EXAMPLE_STEPS
    assert report["console"] == []


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_docs_snippets_in_firefox(name: str, standin_site: Site) -> None:
    # The page the README (or docs/library.md) tells an adopter to write, as written.
    folder = write_snippet_page(standin_site.folder, name, standin_site.standin_url, DEMO_CLIENT_ID)
    try:
        with registered(standin_site.standin, f"{standin_site.url}examples/from-{name}/") as page:
            report = run_firefox(standin_site.url, snippet=True, page=page)
    finally:
        shutil.rmtree(folder)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == SNIPPET_STEPS
    assert report["later"] == LATER_STDLIB_RESULT  # both later archives, fetched and working
    assert report["console"] == []
    # What each snippet's listener prints: the README's every event, library.md's a sign-out.
    assert "signed_out user" in report["logs"] or "signed out: user" in report["logs"], report["logs"]
