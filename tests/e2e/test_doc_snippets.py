"""The pages the docs tell an adopter to write sign in, built from the docs' own code blocks.

docs/library.md gives the lines of ``index.html`` (its ``<head>`` part, ``...``, then the
``<body>`` part) and the smallest ``main.py``; the README gives a shorter ``main.py``. Each
page here is those blocks as written, beside examples/minimal's ``pyscript.toml`` (the
docs say to start from that page), two folders down from the site's ``static/`` as the
docs' paths assume. The test adds only what the snippets leave to a page: the stand-in's
origin in ``connect-src`` (as the docs say to do for it), and two buttons wired to
``auth.sign_in()`` and ``auth.sign_out()``, appended to ``main.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publish.site import ROOT
from serve import DEMO_CLIENT_ID
from tests.e2e.actions import log_in
from tests.e2e.conftest import Recorder
from tests.harness import BOOT_TIMEOUT_MS, Site, registered

README = ROOT / "README.md"
LIBRARY = ROOT / "docs" / "library.md"

# The buttons, and main.py's lines that wire them: the only code of the test's own.
BUTTONS = (
    '<button id="go" type="button" disabled>Sign in</button><button id="stop" type="button">Sign out</button>'
)
WIRING = """

# Added by the test: the buttons a page would have.
from pyscript import document as _document, when as _when
_when("click", "#go")(lambda event: auth.sign_in())
_when("click", "#stop")(lambda event: auth.sign_out())
_document.getElementById("go").disabled = False
"""


def code_blocks(markdown: Path, language: str, section: str | None = None) -> list[str]:
    """The fenced ``language`` blocks of ``markdown``, or of its ``## section`` only."""
    text = markdown.read_text()
    if section is not None:
        text = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def index_html(standin_url: str) -> str:
    """docs/library.md's ``index.html`` lines as a page: the ``...`` line splits head from body."""
    (block,) = code_blocks(LIBRARY, "html")
    head, body = block.split("\n...\n")
    head = head.replace("https://api.veritone.com", standin_url)
    body = body.replace('<body data-auth="booting">', f'<body data-auth="booting">{BUTTONS}', 1)
    assert BUTTONS in body
    page = (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>snippet</title>\n{head}'
    )
    return f"{page}\n</head>\n{body}\n</body>\n</html>\n"


SNIPPETS = {
    "readme": f"{README}#python#Add Sign in with Veritone to your own PyScript page",
    "library": f"{LIBRARY}#python",
}


def code_blocks_of(source: str) -> list[str]:
    path, language, *section = source.split("#")
    return code_blocks(Path(path), language, *section)


@pytest.fixture(params=sorted(SNIPPETS))
def snippet_page(request: pytest.FixtureRequest, standin_site: Site) -> Iterator[str]:
    name = request.param
    blocks = [block for block in code_blocks_of(SNIPPETS[name]) if "BrowserAuth.from_config" in block]
    assert len(blocks) == 1, blocks
    folder = standin_site.folder / "examples" / f"from-{name}"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(index_html(standin_site.standin_url))
    (folder / "main.py").write_text(blocks[0] + WIRING)
    shutil.copy(ROOT / "examples" / "minimal" / "pyscript.toml", folder)
    config = {"environment": "standin", "base_url": standin_site.standin_url, "client_id": DEMO_CLIENT_ID}
    (folder / "config.json").write_text(json.dumps(config))
    with registered(standin_site.standin, f"{standin_site.url}examples/from-{name}/") as url:
        yield url
    shutil.rmtree(folder)


def token_stored(page: Any) -> bool:
    return page.evaluate("() => sessionStorage.getItem('veritone.token') !== null")


def test_the_docs_snippets_make_a_page_that_signs_in_and_out(
    page: Any, snippet_page: str, recorder: Recorder
) -> None:
    page.goto(snippet_page)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)  # main.py ran to its end
    assert not token_stored(page)
    page.click("#go")
    log_in(page)
    page.wait_for_function("() => sessionStorage.getItem('veritone.token') !== null", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("location.href") == snippet_page  # the response left the address bar
    page.click("#stop")
    page.wait_for_function("() => sessionStorage.getItem('veritone.token') === null")
    # What each snippet's listener prints: the README's every event, library.md's a sign-out.
    said = [line for kind, line in recorder.console if kind == "log"]
    assert "signed_out user" in said or "signed out: user" in said, said
    if "readme" in snippet_page:
        assert "signed_in None" in said, said
    assert recorder.errors() == []


def test_the_watchdog_stands_down_once_python_runs_on_a_page_that_never_sets_data_auth(
    browser: Any, snippet_page: str
) -> None:
    # The snippets leave body[data-auth] at "booting"; boot.js must still know Python started.
    # A context of its own: Playwright's clock is the whole context's, and would stay.
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    page.goto(snippet_page)
    page.wait_for_selector("#go:enabled", timeout=BOOT_TIMEOUT_MS)
    page.clock.fast_forward(61_000)  # past boot.js's 60-s limit
    assert page.evaluate("() => document.body.dataset.boot") is None
    assert page.locator("#boot-error").count() == 0
    context.close()
