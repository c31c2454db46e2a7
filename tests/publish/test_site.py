"""The site build: exactly the page's files, the config applied, nothing else."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from publish import wheel
from publish.site import ROOT, build, render_index, site_files

STANDIN = {"environment": "standin", "base_url": "http://localhost:9999", "client_id": "abc"}


def test_pyscript_toml_brings_the_library_as_its_current_wheel_and_no_source() -> None:
    config = tomllib.loads((ROOT / "pyscript.toml").read_text())
    assert config["files"][f"./static/vendor/wheels/{wheel.wheel_name()}"] == "./*"
    mapped = {source.removeprefix("./") for source in config["files"]}
    assert not any(source.endswith(".py") for source in mapped)
    for source in mapped:
        assert (ROOT / source).exists(), source


def test_the_example_brings_the_current_wheel_and_files_that_exist() -> None:
    folder = ROOT / "examples" / "minimal"
    config = tomllib.loads((folder / "pyscript.toml").read_text())
    assert config["files"][f"../../static/vendor/wheels/{wheel.wheel_name()}"] == "./*"
    for source in [*config["files"], config["interpreter"]]:
        assert (folder / source).resolve().is_file(), source
    html = (folder / "index.html").read_text()
    for script in re.findall(r'<script (?:type="module" )?src="([^"]+)"', html):
        assert (folder / script).resolve().is_file(), script


def test_index_preloads_main_py_and_the_files_pyscript_toml_maps_and_nothing_missing() -> None:
    config = tomllib.loads((ROOT / "pyscript.toml").read_text())
    wanted = {"main.py"} | {source.removeprefix("./") for source in config["files"]}
    html = (ROOT / "index.html").read_text()
    hints = re.findall(r"<link rel=\"(preload|modulepreload)\" href=\"([^\"]+)\"([^>]*)>", html)
    assert wanted <= {href for _rel, href, _rest in hints}
    for rel, href, rest in hints:
        assert href in site_files(), f"{href} is not in the site"
        # fetch() asks in CORS mode; a preload without crossorigin would not be reused.
        assert rel == "modulepreload" or rest.startswith(' as="fetch" crossorigin'), href


def test_index_hints_pyscripts_chain_as_the_vendored_core_js_imports_it() -> None:
    # start.js -> core.js -> its chunk -> pyscript.toml; a PyScript upgrade renames the chunk.
    core = (ROOT / "static" / "vendor" / "pyscript" / "core.js").read_text()
    chunk = re.search(r'from"\./(core-[\w-]+\.js)"', core)
    assert chunk is not None
    html = (ROOT / "index.html").read_text()
    for hint in (
        '<link rel="modulepreload" href="static/vendor/pyscript/core.js">',
        f'<link rel="modulepreload" href="static/vendor/pyscript/{chunk.group(1)}">',
        '<link rel="preload" href="pyscript.toml" as="fetch" crossorigin>',
    ):
        assert hint in html


def test_pyscript_toml_loads_nothing_from_another_origin() -> None:
    text = (ROOT / "pyscript.toml").read_text() + (ROOT / "index.html").read_text()
    assert not re.search(r"(src|href|interpreter)\s*=\s*\"https?://", text)
    assert "packages" not in tomllib.loads((ROOT / "pyscript.toml").read_text())


def test_build_writes_the_site_and_only_the_site(tmp_path: Path) -> None:
    out = build(tmp_path / "site", STANDIN, api=False)  # the reference: tests/publish/test_apidocs.py
    built = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert built == set(site_files()) | {".nojekyll", "starter.zip"}
    assert not any(name.startswith(("tests/", "standin/", ".git", "serve.py")) for name in built)
    assert json.loads((out / "config.json").read_text()) == STANDIN
    assert "connect-src 'self' http://localhost:9999;" in (out / "index.html").read_text()


def test_build_with_the_committed_config_targets_veritone(tmp_path: Path) -> None:
    config = json.loads((ROOT / "config.json").read_text())
    out = build(tmp_path / "site", config, api=False)
    assert "connect-src 'self' https://api.veritone.com;" in (out / "index.html").read_text()


def test_render_index_refuses_a_page_without_one_connect_src() -> None:
    with pytest.raises(ValueError):
        render_index("<meta content=\"default-src 'self'\">", STANDIN)


def test_index_has_the_security_metas() -> None:
    html = (ROOT / "index.html").read_text()
    assert '<meta name="referrer" content="no-referrer">' in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'none'"


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"environment": "us", "base_url": "https://api.veritone.com; script-src *"}, "base_url"),
        ({"environment": "us", "base_url": "https://api.veritone.com 'unsafe-inline'"}, "base_url"),
        ({"environment": "us", "base_url": "http://api.veritone.com"}, "base_url"),
        ({"environment": "us", "require_state": "no"}, "require_state"),
        ({"environment": "us", "redirect_uri": "https://x.example/#f"}, "redirect_uri"),
    ],
)
def test_a_bad_config_fails_the_build_with_the_reason(tmp_path: Path, config: dict, reason: str) -> None:
    import subprocess
    import sys

    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "publish.site", "--config", str(path), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()  # no broken or widened site is left behind


def test_the_first_script_comes_before_anything_else_loads() -> None:
    head = (ROOT / "index.html").read_text().split("</head>", 1)[0]
    loads = re.findall(r"<(script|link)\b[^>]*>", head)
    first = re.search(r"<(?:script|link)\b[^>]*>", head).group(0)
    assert first == '<script src="static/boot.js">', loads
    assert head.index('http-equiv="Content-Security-Policy"') < head.index(first)  # the CSP covers it


@pytest.mark.parametrize(("module", "name"), [("authorize", "POPUP_NAME_PREFIX"), ("store", "PENDING_KEY")])
def test_boot_js_knows_the_sign_in_popup_as_the_library_does(module: str, name: str) -> None:
    # boot.js holds Python back in the popup that veritone_auth.browser opens: the one whose
    # random name is in the tab's pending sign-in.
    tree = ast.parse((ROOT / "veritone_auth" / f"{module}.py").read_text())
    assigned = [node for node in tree.body if isinstance(node, ast.Assign)]
    names = {ast.unparse(node.targets[0]): node.value for node in assigned}
    assert isinstance(names[name], ast.Constant)
    assert f'const {name} = "{names[name].value}";' in (ROOT / "static" / "boot.js").read_text()


def test_the_starter_s_csp_and_config_follow_the_site_s_environment() -> None:
    from publish.site import starter_files

    files = starter_files(config=STANDIN)
    assert "connect-src 'self' http://localhost:9999;" in files["index.html"].decode()
    config = json.loads(files["config.json"])
    assert config == {"environment": "standin", "base_url": "http://localhost:9999", "client_id": ""}
    us = starter_files()  # the default: Veritone (US)
    assert "connect-src 'self' https://api.veritone.com;" in us["index.html"].decode()


def test_the_query_worker_unpacks_the_vendored_wheels() -> None:
    # static/query-worker.js names the wheels it unpacks; an upgrade renames them.
    script = (ROOT / "static" / "query-worker.js").read_text()
    (names,) = re.findall(r"const WHEELS = \[([^\]]*)\];", script)
    wheels = re.findall(r'"([^"]+\.whl)"', names)
    assert wheel.wheel_name() in wheels and any(name.startswith("pyodide_http-") for name in wheels)
    for name in wheels:
        assert (ROOT / "static" / "vendor" / "wheels" / name).is_file(), name
