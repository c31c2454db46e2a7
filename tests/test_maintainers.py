"""What a maintainer or a reporter looks for first: a changelog, a security policy, the authors.

And the docs agree with the code about reruns: the suite has none.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import veritone_auth

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
SECURITY = ROOT / "SECURITY.md"


def test_the_changelog_has_an_unreleased_section_and_the_current_version() -> None:
    headings = re.findall(r"^## (.+)$", CHANGELOG.read_text(), re.MULTILINE)
    assert headings[0] == "Unreleased"
    versions = [h.split()[0] for h in headings[1:]]
    assert versions[0] == veritone_auth.__version__  # the newest release section is the package's version


def test_security_reports_go_through_the_repository_s_private_reporting() -> None:
    text = SECURITY.read_text()
    assert "private vulnerability reporting" in text and "Report a vulnerability" in text
    # Nothing outside the repository: no address to write to, no link away.
    assert not re.search(r"https?://|\bmailto:|[\w.+-]+@[\w-]+\.[\w.]+", text)
    scope = text[text.index("## Scope") :]
    in_scope, out_of_scope = scope.split("Out of scope:")
    assert "the library" in in_scope and "the demo page" in in_scope
    assert "the stand-in" in out_of_scope and "never be deployed" in out_of_scope


def test_the_authors_are_named_as_the_license_names_them() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    holder = re.search(r"Copyright \(c\) \d{4} (.+)", (ROOT / "LICENSE").read_text()).group(1)
    assert project["authors"] == [{"name": holder}]


def test_no_test_is_rerun_and_the_docs_say_so() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    requirements = (ROOT / "requirements-dev.txt").read_text()
    conftest = (ROOT / "tests" / "conftest.py").read_text()
    assert "rerun" not in pyproject + requirements + conftest
    readme, engines = (ROOT / "README.md").read_text(), (ROOT / "docs" / "engines.md").read_text()
    assert "once more" not in readme
    assert "no reruns" in readme and "no reruns" in engines
