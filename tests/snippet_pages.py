"""Pages built from the docs' own code blocks, as an adopter would write them.

docs/library.md gives the lines of ``index.html`` (its ``<head>`` part, ``...``, then the
``<body>`` part) and the smallest ``main.py``; the README gives a shorter ``main.py``. Each
page is those blocks as written, beside examples/minimal's ``pyscript.toml`` (the docs say
to start from that page), two folders down from a site's ``static/`` as the docs' paths
assume. Only what the snippets leave to a page is added: the stand-in's origin in
``connect-src`` (as the docs say to do for it), and two buttons wired to
``auth.sign_in()`` and ``auth.sign_out()``, appended to ``main.py``.

Used by tests/e2e/test_doc_snippets.py (Chromium) and the cross-engine group.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from publish.site import ROOT

README = ROOT / "README.md"
LIBRARY = ROOT / "docs" / "library.md"

# Where each page's main.py comes from: file#language[#section].
SNIPPETS = {
    "readme": f"{README}#python#Add Sign in with Veritone to your own PyScript page",
    "library": f"{LIBRARY}#python",
}

# The buttons, and main.py's lines that wire them: the only code of the tests' own.
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

# The steps each engine takes on such a page. The last runs LATER_STDLIB in it, as a
# <script type="py"> added to the page: modules of both later archives of the standard
# library, which the finder in sitecustomize fetches synchronously (publish/stdlib_rest.py).
SNIPPET_STEPS = ["boot", "redirect sign-in", "sign-out", "later stdlib"]
LATER_STDLIB = """
import csv, io, json
from email.parser import Parser
from js import document
rows = list(csv.reader(io.StringIO("a,\u00e9\\n1,2")))
subject = Parser().parsestr("Subject: h\u00e9\\n\\nbody")["subject"]
document.body.dataset.later = json.dumps([rows, subject])
"""
LATER_STDLIB_RESULT = [[["a", "\u00e9"], ["1", "2"]], "h\u00e9"]


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


def main_py(name: str) -> str:
    """The one ``main.py`` block of snippet ``name`` (the one that makes the auth), wired."""
    path, language, *section = SNIPPETS[name].split("#")
    blocks = [b for b in code_blocks(Path(path), language, *section) if "BrowserAuth.from_config" in b]
    assert len(blocks) == 1, blocks
    return blocks[0] + WIRING


def write_snippet_page(site: Path, name: str, standin_url: str, client_id: str) -> Path:
    """Write snippet ``name``'s page into ``site``/examples/from-``name``/; return its folder."""
    folder = site / "examples" / f"from-{name}"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(index_html(standin_url))
    (folder / "main.py").write_text(main_py(name))
    shutil.copy(ROOT / "examples" / "minimal" / "pyscript.toml", folder)
    config = {"environment": "standin", "base_url": standin_url, "client_id": client_id}
    (folder / "config.json").write_text(json.dumps(config))
    return folder
