"""The whole flow in Firefox (Debian's firefox-esr), driven by puppeteer-core over WebDriver BiDi."""

from __future__ import annotations

import pytest

from tests import engines
from tests.cross_engine import EXAMPLE_STEPS, FLOW_STEPS
from tests.cross_engine.firefox import run_firefox
from tests.harness import Site


def test_the_whole_flow_in_firefox(standin_site: Site) -> None:
    if engines.firefox() is None:
        pytest.fail(engines.missing_message("firefox"))
    report = run_firefox(standin_site.url)
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0


def test_the_example_in_firefox(standin_site: Site) -> None:
    report = run_firefox(standin_site.url, example=True)
    assert report["failure"] is None, (report["failure"], report["steps"])
    assert report["steps"] == EXAMPLE_STEPS
    assert report["console"] == []
