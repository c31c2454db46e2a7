"""The page's start path stays light: what a signed-out boot imports, under CPython."""

from __future__ import annotations

import subprocess
import sys

from publish.site import ROOT

START = """
import sys
from veritone_auth.flow_log import FlowLog
from veritone_auth.flow import ImplicitFlow
from veritone_auth.callback import looks_like_response as is_callback
from veritone_auth.settings import Settings
from veritone_auth.store import TokenStore
storage = {}
settings = Settings.from_config({"client_id": "c"})
flow = ImplicitFlow(settings, TokenStore(storage), log=FlowLog(storage))
flow.current()
flow.store.pending
slow = ("urllib.parse", "urllib.request", "hmac", "secrets", "ipaddress")
print(sorted(m for m in slow if m in sys.modules))
"""


def test_a_signed_out_boot_imports_nothing_slow() -> None:
    # urllib.parse (with ipaddress) costs ~30 ms in Pyodide as bytecode (~160 ms as source);
    # the client's urllib.request 50-100 ms more.
    result = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
