"""The static site: exactly the files a host serves, with the page's config applied.

One list of files (``site_files``) serves three uses: ``python -m
publish.site`` copies them into a folder for GitHub Pages or any static
host; ``serve.py`` serves them straight from the working tree; the
end-to-end tests build a folder and serve it under a sub-path. Two files
depend on the config: ``config.json`` itself and ``index.html``, whose CSP
``connect-src`` must name the configured API origin. The build adds what is
generated: ``starter.zip`` and the API reference under ``api/``
(``publish.apidocs``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from publish import testkit, wheel
from veritone_auth.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = ("index.html", "main.py", "pyscript.toml")
# The smallest page that uses the library, served at /examples/minimal/.
EXAMPLE = "examples/minimal"
EXAMPLE_FILES = tuple(f"{EXAMPLE}/{name}" for name in PAGE_FILES)

# starter.zip: the example as a page of its own, with everything it loads beside it.
STARTER = "starter.zip"
STARTER_TEST = "tests/test_sign_in.py"
STARTER_CONFIG = {"environment": "us", "client_id": ""}
STARTER_STATIC = (
    *("static/boot.js", "static/start.js", "static/runtime.js"),
    *("static/framed.html", "static/app.css"),
)

_CONNECT_SRC = re.compile(r"connect-src 'self'[^;\"]*")
_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?")


def site_files(root: Path = ROOT) -> dict[str, Path]:
    """Map each URL path of the site (relative, no leading slash) to its source file."""
    files = {name: root / name for name in PAGE_FILES + EXAMPLE_FILES}
    files["config.json"] = root / "config.json"
    static = root / "static"
    for path in sorted(static.rglob("*")):
        if path.is_file() and path.suffix != ".map":
            files[path.relative_to(root).as_posix()] = path
    if not (static / "vendor" / "pyodide" / "pyodide.asm.wasm").exists():
        raise SystemExit("static/vendor is missing: run `python -m publish.vendor` first.")
    return files


def load_config(path: Path) -> dict[str, Any]:
    """Read and check a config; a bad one stops the build with the reason."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        Settings.from_config(config)  # fail the build, not the page, on a bad config
    except ValueError as problem:  # json's errors are ValueErrors too
        raise SystemExit(f"{path} is not usable: {problem}") from None
    return config


def render_index(html: str, config: dict[str, Any]) -> str:
    """Return index.html with its CSP ``connect-src`` set to the configured API origin."""
    origin = Settings.from_config(config).environment.api_origin
    if not _ORIGIN.fullmatch(origin):  # from_config checked it; the CSP is never spliced unchecked
        raise ValueError(f"API origin {origin!r} cannot go into the CSP")
    directive = f"connect-src 'self' {origin}"
    rendered, count = _CONNECT_SRC.subn(directive, html)
    if count != 1:
        raise ValueError("index.html must have exactly one CSP connect-src directive")
    return rendered


def rendered_files(config: dict[str, Any], root: Path = ROOT) -> dict[str, bytes]:
    """Return the config-dependent files of the site, rendered: the pages' CSPs and the config."""
    rendered = {"config.json": (json.dumps(config, indent=2) + "\n").encode()}
    for page in ("index.html", f"{EXAMPLE}/index.html"):
        rendered[page] = render_index((root / page).read_text(encoding="utf-8"), config).encode()
    return rendered


def starter_config(config: dict[str, Any]) -> dict[str, Any]:
    """The starter's config: the site's Veritone environment, and no client yet."""
    kept = {key: config[key] for key in ("environment", "base_url") if key in config}
    return {**STARTER_CONFIG, **kept, "client_id": ""}


def starter_files(root: Path = ROOT, config: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The starter page's files by their path in the zip: the minimal example, made standalone.

    Its paths are rewritten from the example's place in this site (two folders
    down) to its own folder; the runtime and the wheels come along under
    ``static/``. Its config names the site's environment and no client yet, and
    its CSP's connect-src is derived from that environment.
    """
    chosen = starter_config(config or STARTER_CONFIG)

    def standalone(text: str) -> bytes:
        return (
            text.replace("../../static/", "static/")
            .replace('"../../config.json"', '"./config.json"')
            .encode()
        )

    example = root / EXAMPLE
    files = {
        "index.html": standalone(render_index((example / "index.html").read_text(), chosen)),
        "pyscript.toml": standalone((example / "pyscript.toml").read_text()),
        "main.py": (example / "main.py").read_bytes(),
        STARTER_TEST: (example / STARTER_TEST).read_bytes(),  # signs in through the test kit
        "config.json": (json.dumps(chosen, indent=2) + "\n").encode(),
    }
    for name, source in site_files(root).items():
        if name in STARTER_STATIC or name.startswith("static/vendor/"):
            files[name] = source.read_bytes()
    return files


def write_starter(path: Path, root: Path = ROOT, config: dict[str, Any] | None = None) -> Path:
    """Write ``starter.zip``: unzip it into any folder of any static host, set client_id, sign in."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(starter_files(root, config).items()):
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return path


# Where the site holds the API reference.
API = "api"


def build(
    out: Path, config: dict[str, Any], root: Path = ROOT, *, starter: bool = True, api: bool = True
) -> Path:
    """Write the site into ``out`` (emptied first), with ``starter.zip`` and the API reference.

    The tests' many sites leave both out (``starter=False, api=False``): the
    reference takes about a second of CPU to render (with pdoc imported), and one test
    builds it.
    """
    if out.exists():
        shutil.rmtree(out)
    wheel.build(root, root / "static" / "vendor" / "wheels")  # the library as its sources are now
    wheel.build_views(root, root / "static" / "vendor" / "wheels")
    testkit.build(root, root / "static" / "vendor" / "wheels")
    overrides = rendered_files(config, root)
    for name, source in site_files(root).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in overrides:
            target.write_bytes(overrides[name])
        else:
            shutil.copy2(source, target)
    # GitHub Pages: serve files as they are, without Jekyll.
    (out / ".nojekyll").write_bytes(b"")
    if starter:
        write_starter(out / STARTER, root, config)
    if api:
        from publish import apidocs  # pdoc: imported by the builds that use it, not by serve.py

        apidocs.build(out / API, root)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder")
    parser.add_argument("--config", type=Path, default=ROOT / "config.json", help="config file")
    args = parser.parse_args()
    out = build(args.out, load_config(args.config))
    print(f"site built in {out} ({sum(1 for p in out.rglob('*') if p.is_file())} files)")


if __name__ == "__main__":
    main()
