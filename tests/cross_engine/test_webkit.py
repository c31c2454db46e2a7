"""The whole flow in WebKit (WebKitGTK's MiniBrowser from Debian), driven by Selenium under Xvfb."""

from __future__ import annotations

import pytest

from standin.oauth import DEMO_USER
from tests import engines
from tests.cross_engine.webkit import WEBKIT_STEPS, run_webkit
from tests.harness import Site


def test_the_whole_flow_in_webkit(standin_site: Site) -> None:
    if engines.webkit() is None:
        pytest.fail(engines.missing_message("webkit"))
    report = run_webkit(
        standin_site.url,
        (DEMO_USER.email, DEMO_USER.password),
        forget_login=standin_site.standin.sessions.clear,
    )
    assert report["failure"] is None, (report["failure"], report.get("page"), report["steps"])
    assert report["steps"] == WEBKIT_STEPS
    assert report["console"] == []
    assert report["times"]["boot"][0] > 0
