"""A checked-out repository is data, never code: modules planted in the workspace do not run.

The image used to run `python -m oasis_action` with the workspace as working directory, so the
workspace came first on `sys.path`: a committed `argparse.py`, `yaml.py`, `github.py` or
`oasis_action/` ran inside every action with the token in its environment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import RunnerSandbox, Step, run_docker

pytestmark = pytest.mark.docker

PAYLOAD = (
    "import os, pathlib\n"
    "pathlib.Path('/github/workspace/PWNED-{name}').write_text(os.environ.get('INPUT_GITHUB-TOKEN', '?'))\n"
)
PLANTED = ("argparse", "yaml", "github", "json", "oasis_action")
ACTIONS = {
    "doctor (root action)": (PROJECT_ROOT / "action.yml", {"command": "doctor"}),
    **{
        path.parent.name: (path, {})
        for path in sorted((PROJECT_ROOT / "actions").glob("*/action.yml"))
    },
}


def plant(workspace: Path) -> None:
    for name in PLANTED:
        if name == "oasis_action":
            (workspace / name).mkdir()
            (workspace / name / "__init__.py").write_text(PAYLOAD.format(name=name))
            (workspace / name / "__main__.py").write_text(PAYLOAD.format(name=name + "-main"))
        else:
            (workspace / f"{name}.py").write_text(PAYLOAD.format(name=name))


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_modules_planted_in_the_workspace_never_run(
    oasis_image: str, tmp_path: Path, action: str
) -> None:
    path, inputs = ACTIONS[action]
    sandbox = RunnerSandbox.create(tmp_path)
    plant(sandbox.workspace)
    step = Step(path, inputs, event=load_event("push", "event.1"), token="ghs_planted000000000000")
    result = run_docker(step, sandbox, oasis_image, timeout=300)
    ran = sorted(p.name for p in sandbox.workspace.glob("PWNED-*"))
    assert ran == [], f"{action}: workspace code ran: {ran}\n{result.log}"
    assert "internal error" not in result.log


def test_a_committed_repository_with_an_fsmonitor_hook_never_runs_it(
    oasis_image: str, tmp_path: Path
) -> None:
    """`safe.directory '*'` let git use a committed repository's config: its `core.fsmonitor`
    is a command git runs on `git status`."""
    sandbox = RunnerSandbox.create(tmp_path)
    evil = sandbox.workspace / "vendored"
    (evil / ".git").mkdir(parents=True)
    (evil / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (evil / ".git" / "objects").mkdir()
    (evil / ".git" / "refs" / "heads").mkdir(parents=True)
    (evil / ".git" / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
        "\tfsmonitor = touch /github/workspace/PWNED-fsmonitor; echo\n"
    )
    step = Step(
        PROJECT_ROOT / "action.yml",
        {"command": "doctor", "path": "vendored"},
        event=load_event("push", "event.1"),
    )
    result = run_docker(step, sandbox, oasis_image, timeout=300)
    assert not (sandbox.workspace / "PWNED-fsmonitor").exists(), result.log
    assert "internal error" not in result.log
