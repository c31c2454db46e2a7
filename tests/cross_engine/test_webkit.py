"""The whole flow in WebKit (WebKitGTK's MiniBrowser from Debian), driven by Selenium under Xvfb."""

from __future__ import annotations

import pytest

from standin.oauth import DEMO_USER
from tests import engines
from tests.cross_engine import FLOW_STEPS
from tests.cross_engine.popup_handover import POPUPS, hand_over
from tests.cross_engine.webkit import run_webkit
from tests.harness import Site


def test_the_whole_flow_in_webkit(standin_site: Site) -> None:
    if engines.webkit() is None:
        pytest.fail(engines.missing_message("webkit"))
    report = run_webkit(standin_site.url, (DEMO_USER.email, DEMO_USER.password))
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == FLOW_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0


def test_sign_in_popups_handing_over_never_freeze_the_opener(site: Site) -> None:
    reports = hand_over(site.folder)
    popups = [r for r in reports if "popup" in r]
    assert len(popups) == POPUPS, f"the opener stopped answering after {len(popups)} popups: {reports}"
    assert all(r["taken"] for r in popups), reports
    assert max(r["worstGapMs"] for r in popups) < 1000, reports
