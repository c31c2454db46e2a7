"""Run firefox.mjs: the page's whole flow in Firefox (Debian's firefox-esr) over WebDriver BiDi.

Used by tests/cross_engine/test_firefox.py and benchmarks/engines.py.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from publish.node import node
from publish.site import ROOT
from standin.oauth import DEMO_USER
from tests import engines
from tests.snippet_pages import LATER_STDLIB

SCRIPT = ROOT / "tests" / "cross_engine" / "firefox.mjs"


def run_firefox(
    url: str,
    *,
    flow: bool = True,
    example: bool = False,
    snippet: bool = False,
    page: str | None = None,
    tokens: list[str] | None = None,
    copies: bool = False,
    boots: list[str] | None = None,
) -> dict[str, Any]:
    """Run firefox.mjs against ``url``; return its report.

    ``example``: the example's steps on examples/minimal under ``url``, or on ``page``, a page
    with the same ids (the starter). ``snippet``: the steps of a page built from the docs'
    snippets (tests/snippet_pages.py), at ``page``. ``copies``: a copy of the tab, away at
    sign-out, comes back signed out (``COPIES_STEPS``). ``boots``: only a load of each of these
    URLs, each to ready or a failed boot; the report's ``boots`` says what each ended in.
    """
    firefox = engines.firefox()
    if firefox is None:
        raise RuntimeError(engines.missing_message("firefox"))
    job = {
        "firefox": firefox,
        "url": url,
        "user": [DEMO_USER.email, DEMO_USER.password],
        "flow": flow,
        "example": example,
        "snippet": snippet,
        "later": LATER_STDLIB,
        "page": page,
        "tokens": tokens or [],
        "copies": copies,
        "boots": boots,
    }
    result = subprocess.run(
        [node(), str(SCRIPT), json.dumps(job)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"firefox.mjs failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
