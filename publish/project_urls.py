"""Add the project's links to ``pyproject.toml`` for a release, from the repository it runs in.

PyPI lists a project's links from its metadata (``Project-URL``), and each must be an
absolute address. This repository does not know its own address: every fork has another,
and nothing in it may point outside itself. The release workflow does know it, so it runs

    python -m publish.project_urls "$GITHUB_SERVER_URL" "$GITHUB_REPOSITORY" "$GITHUB_REF_NAME"

just before it builds, and the wheel and sdist carry the links of the repository and tag
they were built from.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_urls(server: str, repository: str, tag: str) -> dict[str, str]:
    """The links of release ``tag`` of ``repository`` (``owner/name``) on ``server``."""
    owner, name = repository.split("/")
    home = f"{server.rstrip('/')}/{repository}"
    urls = {
        "Source": home,
        "Documentation": f"{home}/blob/{tag}/docs/library.md",  # the docs of this very version
        "Issues": f"{home}/issues",
        "Changelog": f"{home}/releases/tag/{tag}",
    }
    if server.rstrip("/") == "https://github.com":
        # The demo, as .github/workflows/pages.yml deploys it (a project site).
        urls["Demo"] = f"https://{owner.lower()}.github.io/{name}/"
    return urls


def with_urls(pyproject: str, urls: dict[str, str]) -> str:
    """``pyproject``'s text with a ``[project.urls]`` table of ``urls`` added at its end."""
    if "urls" in tomllib.loads(pyproject)["project"]:
        raise ValueError("pyproject.toml already has [project.urls]")
    table = "".join(f'{key} = "{value}"\n' for key, value in urls.items())
    header = "# Added by publish/project_urls.py for this release.\n[project.urls]\n"
    return f"{pyproject.rstrip()}\n\n{header}{table}"


def main(argv: list[str]) -> None:
    server, repository, tag = argv
    path = ROOT / "pyproject.toml"
    path.write_text(with_urls(path.read_text(), project_urls(server, repository, tag)))
    print(f"pyproject.toml: [project.urls] of {repository} at {tag}")


if __name__ == "__main__":
    main(sys.argv[1:])
