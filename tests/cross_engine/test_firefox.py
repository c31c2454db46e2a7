"""The whole flow in Firefox (Debian's firefox-esr), driven by puppeteer-core over WebDriver BiDi."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from publish.node import node
from publish.site import ROOT
from standin.oauth import DEMO_USER
from tests import engines
from tests.cross_engine.conftest import FLOW_STEPS
from tests.harness import Site

SCRIPT = ROOT / "tests" / "cross_engine" / "firefox.mjs"


def run_firefox(url: str, *, flow: bool = True, tokens: list[str] | None = None) -> dict[str, Any]:
    """Run firefox.mjs against ``url`` and return its report."""
    firefox = engines.firefox()
    if firefox is None:
        pytest.fail(engines.missing_message("firefox"))
    job = {
        "firefox": firefox,
        "url": url,
        "user": [DEMO_USER.email, DEMO_USER.password],
        "flow": flow,
        "tokens": tokens or [],
    }
    result = subprocess.run(
        [node(), str(SCRIPT), json.dumps(job)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_whole_flow_in_firefox(standin_site: Site) -> None:
    report = run_firefox(standin_site.url)
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0
