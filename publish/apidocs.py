"""The API reference: ``veritone_auth``'s docstrings as HTML pages, rendered by pdoc.

The site build writes it to ``api/`` (``api/index.html`` opens the package's
page, ``api/veritone_auth.html``, which documents every public name);
``python -m publish.apidocs --out DIR`` writes it alone. Made from the
docstrings and signatures, it is as current as the code; the tests build it.

Every module is documented, the browser adapter (``veritone_auth.browser``)
too. pdoc documents a module by importing it, and the adapter's modules
import ``js`` and ``pyodide``, which only Pyodide has. For the render,
``browser_stand_ins`` puts inert modules under those names: what the adapter
imports from them is a placeholder nothing calls, since it touches the
browser only when called, never on import. Afterwards they are taken out,
with every adapter module imported over them, so the rest of the process
never sees them: ``veritone_auth.browser.auth`` still fails to import under
CPython, as it should.

The package's public names are imported on first use (PEP 562), and its
``__all__`` lists those names, not its modules; pdoc reads a package's
``__dict__`` for the one and its ``__all__`` for the other. So
``public_names_resolved`` puts the names in the ``__dict__`` for the render
(and takes them out after), each module is named to pdoc, and the template
(``apidocs_templates/``) lists a package's modules itself.

The pages load nothing from anywhere else and run no script. pdoc's search is
off (an inline script, and a 1.5 MB index pdoc compiles with whatever
``node`` is on the PATH), so their CSP forbids scripts outright; pdoc inlines
its CSS, its pictures are ``data:`` URLs, and so is the favicon, as on the
app's pages, so a browser does not ask the host's root for one. Every link
is relative: the reference works under any sub-path, or from the disk. The
pages show no source: it is the repository's, and copying it in would make
the reference three times the size (3.6 MB) and twice as slow to render.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import pdoc
import pdoc.render

import veritone_auth

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "veritone_auth"
TEMPLATES = Path(__file__).with_name("apidocs_templates")
# What the browser adapter imports that only Pyodide has.
BROWSER_ONLY = ("js", "pyodide", "pyodide.ffi", "pyodide_js", "pyodide_http", "pyodide_http._core")
# The packages whose public names are imported on first use.
LAZY_PACKAGES = (PACKAGE, f"{PACKAGE}.browser")


class StandIn:
    """A name imported from a browser-only module, for the render: it does nothing."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:  # as it would show in a signature, if one ever held it
        return f"<{self.name}: a render's stand-in>"


def stand_in_module(name: str) -> types.ModuleType:
    """An inert module: any name imported from it is a ``StandIn``."""
    module = types.ModuleType(name, "A stand-in for the API reference's render (publish.apidocs).")

    def __getattr__(attribute: str) -> StandIn:  # noqa: N807 (PEP 562's name)
        if attribute.startswith("__"):  # not a module's dunder: inspect and pdoc ask for those
            raise AttributeError(attribute)
        return StandIn(f"{name}.{attribute}")

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


@contextmanager
def browser_stand_ins() -> Iterator[None]:
    """Make the browser adapter importable, inertly, for as long as the block runs."""
    before = set(sys.modules)
    taken = [name for name in BROWSER_ONLY if name in sys.modules]
    if taken:  # a real one, or a test's fake: never replaced
        raise RuntimeError(f"{', '.join(taken)} already imported: the stand-ins would not be used")
    sys.modules.update({name: stand_in_module(name) for name in BROWSER_ONLY})
    try:
        yield
    finally:
        for name in sorted(set(sys.modules) - before, reverse=True):
            if name in BROWSER_ONLY or name.startswith(f"{PACKAGE}.browser."):
                forget_module(name)


def forget_module(name: str) -> None:
    """Take a module out of ``sys.modules`` and off its package."""
    module = sys.modules.pop(name)
    package, _, child = name.rpartition(".")
    if package in sys.modules and getattr(sys.modules[package], child, None) is module:
        delattr(sys.modules[package], child)


@contextmanager
def public_names_resolved(packages: tuple[str, ...] = LAZY_PACKAGES) -> Iterator[None]:
    """Put each name of a package's ``__all__`` in its ``__dict__`` while the block runs."""
    added: list[tuple[types.ModuleType, str]] = []
    try:
        for name in packages:
            package = import_module(name)
            for public in package.__all__:
                if public not in vars(package):
                    setattr(package, public, getattr(package, public))
                    added.append((package, public))
        yield
    finally:
        for package, public in added:
            delattr(package, public)


def modules(root: Path = ROOT) -> list[str]:
    """The name of each module of the package, found by file: none is imported to find them."""
    names = []
    for path in (root / PACKAGE).rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(names)


def configure() -> None:
    """pdoc's options for this reference: see the module's docstring for why."""
    pdoc.render.configure(
        docformat="restructuredtext",  # as the docstrings are written: ``code``
        favicon="data:,",
        footer_text=f"{PACKAGE} {veritone_auth.__version__}, built with pdoc {pdoc.__version__}",
        search=False,
        show_source=False,
        template_directory=TEMPLATES,
    )


def build(out: Path, root: Path = ROOT) -> Path:
    """Write the reference into ``out`` (emptied first): ``index.html`` and one page per module."""
    if (root / PACKAGE).resolve() != Path(veritone_auth.__file__).resolve().parent:
        raise SystemExit(f"{PACKAGE} is imported from {veritone_auth.__file__}, not from {root}.")
    if out.exists():
        shutil.rmtree(out)
    configure()
    with browser_stand_ins(), public_names_resolved():
        pdoc.pdoc(*modules(root), output_directory=out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site" / "api", help="output folder")
    args = parser.parse_args()
    out = build(args.out)
    print(f"API reference built in {out} (open {out / 'index.html'})")


if __name__ == "__main__":
    main()
