"""What a maintainer or a reporter looks for first, and the docs agreeing with the code.

The suite has no reruns, and the docs say so.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_test_is_rerun_and_the_docs_say_so() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    requirements = (ROOT / "requirements-dev.txt").read_text()
    conftest = (ROOT / "tests" / "conftest.py").read_text()
    assert "rerun" not in pyproject + requirements + conftest
    readme, engines = (ROOT / "README.md").read_text(), (ROOT / "docs" / "engines.md").read_text()
    assert "once more" not in readme
    assert "no reruns" in readme and "no reruns" in engines
