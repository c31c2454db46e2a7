"""The API reference: every module's page, the public names with their docstrings, nothing from elsewhere.

The reference is rendered by this module's one site build (the suite's other
sites leave it out: ``build(..., api=False)``).
"""

from __future__ import annotations

import ast
import html
import importlib
import re
import sys
import types
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

import veritone_auth
import veritone_auth.browser
from publish import apidocs
from publish.site import API, build, site_files
from tests.harness import SUBPATH, serve_folder

STANDIN = {"environment": "standin", "base_url": "http://localhost:9999", "client_id": "abc"}


class Page(HTMLParser):
    """One page of the reference: its ids, what it links to or loads, its scripts and CSP."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []  # each link, and each address it loads
        self.tags: list[str] = []
        self.csp: str | None = None
        self.refresh: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        if "id" in found:
            self.ids.add(found["id"])
        for name in ("href", "src", "action", "srcset", "poster", "data"):
            if name in found:
                self.urls.append(found[name])
        equiv = found.get("http-equiv", "").lower()
        if tag == "meta" and equiv == "content-security-policy":
            self.csp = found["content"]
        if tag == "meta" and equiv == "refresh":
            self.refresh = found["content"].split("url=", 1)[1]


def text_of(page: str) -> str:
    """A page's text, as a reader sees it: no tags, entities read, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def docstring_of(name: str) -> str:
    """The first paragraph of a public name's docstring, read from its source (no import)."""
    package, module = veritone_auth, veritone_auth._PUBLIC[name]
    if module == "browser":  # BrowserAuth: it needs a browser to import
        package, module = veritone_auth.browser, veritone_auth.browser._PUBLIC[name]
    source = Path(package.__file__).with_name(f"{module}.py")
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name == name:
            doc = ast.get_docstring(node)
            assert doc, f"{name} has no docstring"
            return " ".join(doc.split("\n\n")[0].replace("``", "").split())
    raise AssertionError(f"{name} is not defined in {source}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, with its API reference: the only build in the suite that renders it.

    It sits under a sub-path, as GitHub Pages serves a project's site (/<repo>/).
    """
    return build(tmp_path_factory.mktemp("with-api") / SUBPATH.strip("/"), STANDIN, starter=False)


@pytest.fixture(scope="module")
def api(site: Path) -> Path:
    return site / API


@pytest.fixture(scope="module")
def pages(api: Path) -> dict[str, Page]:
    return {path.relative_to(api).as_posix(): Page(path.read_text()) for path in sorted(api.rglob("*.html"))}


def test_the_site_holds_the_reference_beside_its_own_files(site: Path) -> None:
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {name for name in built if not name.startswith(f"{API}/")} == set(site_files()) | {".nojekyll"}
    assert {f"{API}/index.html", f"{API}/veritone_auth.html"} <= built


def test_every_module_has_its_page_the_browser_adapter_s_too(api: Path) -> None:
    names = apidocs.modules()
    assert "veritone_auth.browser.auth" in names and "veritone_auth.tokens" in names
    written = {p.relative_to(api).with_suffix("").as_posix() for p in api.rglob("*.html")}
    assert written == {name.replace(".", "/") for name in names} | {"index"}


def test_the_index_opens_the_package_s_page(pages: dict[str, Page]) -> None:
    assert pages["index.html"].refresh == "./veritone_auth.html"


def test_the_package_page_documents_each_public_name_with_its_docstring(api: Path) -> None:
    page = (api / "veritone_auth.html").read_text()
    names = veritone_auth.__all__
    wanted = {"authorization_url", "parse_callback", "AuthorizationError", "TokenStore", "BrowserAuth"}
    assert wanted <= set(names)
    assert [name for name in names if f'id="{name}"' not in page] == []
    assert [name for name in names if docstring_of(name) not in text_of(page)] == []


def test_the_browser_adapter_is_documented_from_its_own_code(api: Path) -> None:
    text = text_of((api / "veritone_auth" / "browser" / "auth.html").read_text())
    assert "class BrowserAuth" in text
    assert "async def sign_in_popup(self) -> veritone_auth.Token | None" in text
    assert docstring_of("BrowserAuth") in text
    # No stand-in shows: no signature or value holds what the adapter imported from js.
    for page in api.rglob("*.html"):
        assert "a render's stand-in" not in text_of(page.read_text()), page.name


def test_a_public_class_s_private_base_is_documented_with_what_it_gives(pages: dict[str, Page]) -> None:
    # VeritoneClient's api_url, timeout and last_status come from client._Operations.
    client = pages["veritone_auth/client.html"]
    assert {"_Operations", "_Operations.api_url", "_Operations.timeout"} <= client.ids


def test_a_literal_block_s_double_colon_reads_as_one(api: Path) -> None:
    # reStructuredText's "send::" before a code block, as Sphinx would show it.
    text = text_of((api / "veritone_auth" / "client.html").read_text())
    assert "differ only in how they wait for their injected send: from veritone_auth.client" in text


def test_each_package_lists_its_submodules(api: Path) -> None:
    for page, child in (("veritone_auth.html", "tokens"), ("veritone_auth/browser.html", "popup")):
        nav = (api / page).read_text().split("<h2>Submodules</h2>", 1)[1].split("</ul>", 1)[0]
        assert f">{child}</a>" in nav, page


def test_the_reference_runs_no_script_and_loads_nothing_from_elsewhere(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        assert "script" not in page.tags, name
        for url in page.urls:  # relative, or data: (no scheme, no leading /)
            assert url.startswith("data:") or not re.match(r"[a-z][a-z0-9+.-]*:|/", url, re.I), (name, url)
        if name == "index.html":  # a redirect: no content to protect
            continue
        assert page.csp is not None, name
        directives = dict(d.strip().split(" ", 1) for d in page.csp.split(";"))
        assert directives["default-src"] == "'none'", name  # so no script-src: no script
        assert set(directives) == {"default-src", "style-src", "img-src", "base-uri", "form-action"}
        assert directives["img-src"] == "data:", name


def test_the_csp_comes_before_any_style(api: Path) -> None:
    head = (api / "veritone_auth.html").read_text().split("</head>", 1)[0]
    assert head.index('http-equiv="Content-Security-Policy"') < head.index("<style")


def test_served_under_a_sub_path_every_page_is_reached_and_every_link_resolves_inside(
    site: Path, pages: dict[str, Page]
) -> None:
    # From api/, as a static host serves it under /<repo>/: every link followed, anchors checked.
    server = serve_folder(site.parent)
    base = f"http://127.0.0.1:{server.server_port}{SUBPATH}{API}/"
    try:
        reached, queue, missing = set(), [("index.html", base)], []
        while queue:
            name, url = queue.pop()
            if name in reached:
                continue
            reached.add(name)
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert answer.status == 200, url
            page = pages[name]  # as parsed from the disk: the same bytes
            for link in [page.refresh or "", *page.urls]:
                if link.startswith("data:"):
                    continue
                target, anchor = urldefrag(urljoin(url, link))
                assert target.startswith(base), (name, link)  # never off the reference
                target_name = target.removeprefix(base) or "index.html"
                assert target_name in pages, (name, link)
                queue.append((target_name, target))
                if anchor and anchor not in pages[target_name].ids:
                    missing.append((name, link))
        assert reached == set(pages)
        assert missing == []
    finally:
        server.shutdown()


def test_the_stand_ins_are_gone_after_the_render(api: Path) -> None:
    assert api.is_dir()  # rendered in this process
    assert not set(apidocs.BROWSER_ONLY) & set(sys.modules)
    assert "BrowserAuth" not in vars(veritone_auth)
    with pytest.raises(ImportError, match="js"):  # under CPython it needs js, as before
        importlib.import_module("veritone_auth.browser.auth")


def test_the_stand_ins_never_replace_a_module_already_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "js", types.ModuleType("js"))
    with pytest.raises(RuntimeError, match="js"), apidocs.browser_stand_ins():
        pass


def test_the_stand_ins_are_inert_and_taken_out_on_error() -> None:
    with pytest.raises(ValueError), apidocs.browser_stand_ins():
        from js import window

        assert repr(window) == "<js.window: a render's stand-in>"
        raise ValueError
    assert "js" not in sys.modules


def test_the_footer_says_what_made_it(api: Path) -> None:
    text = text_of((api / "veritone_auth.html").read_text())
    assert f"veritone_auth {veritone_auth.__version__}, built with pdoc" in text
