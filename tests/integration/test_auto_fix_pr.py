"""auto-fix-pr and nightly-heal end to end: a real checkout, the runner harness, the local GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.repos import git, make_repo
from tests.support.runner import RunnerSandbox, Step, run_inprocess, run_local

FIX_PR = PROJECT_ROOT / "actions" / "auto-fix-pr" / "action.yml"
NIGHTLY = PROJECT_ROOT / "actions" / "nightly-heal" / "action.yml"
MESSY = {
    "app/main.py": "import sys\nimport os\ndef main( ):\n  return os.sep+sys.argv[0]\n",
    "app/clean.py": "VALUE = 1\n",
    "conf/ci.yml": "steps:   \n  - build\n",
    ".github/workflows/ci.yml": "on: push   \njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
}


def step(gh: LocalGitHub, action: Path, event: str, payload: dict, **inputs: str) -> Step:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": event,
    }
    return Step(action, inputs, event=payload, github=github, token=gh.token)


@pytest.fixture
def checkout(local_github: LocalGitHub, tmp_path: Path) -> tuple[LocalGitHub, Path]:
    workspace = make_repo(tmp_path / "workspace", MESSY)
    local_github.state.git.import_repository(
        workspace, local_github.state.repository["default_branch"]
    )
    return local_github, workspace


def dispatch(gh: LocalGitHub, workspace: Path, root: Path, run: object = run_inprocess, action: Path = FIX_PR, **inputs: str):  # type: ignore[no-untyped-def]
    sandbox = RunnerSandbox.create(root, workspace)
    event = "workflow_dispatch" if action == FIX_PR else "schedule"
    payload = load_event("workflow_dispatch", "event.1") if action == FIX_PR else {}
    return run(step(gh, action, event, payload, **inputs), sandbox)  # type: ignore[operator]


def test_opens_one_pr_then_updates_it(checkout: tuple[LocalGitHub, Path], tmp_path: Path) -> None:
    gh, workspace = checkout
    base = gh.state.repository["default_branch"]
    first = dispatch(gh, workspace, tmp_path / "r1", run_local)
    assert first.returncode == 0, first.log
    assert first.outputs["action-taken"] == "pr-opened"
    assert sorted(__import__("json").loads(first.outputs["changed-files"])) == [
        "app/main.py",
        "conf/ci.yml",
    ]
    number = int(first.outputs["pull-number"])
    pull = gh.state.pulls[number]
    assert pull["head"]["ref"] == "oasis/auto-fix" and pull["base"]["ref"] == base
    assert "| black | `app/main.py` |" in pull["body"]
    tip = gh.state.git.commits[gh.state.git.refs["heads/oasis/auto-fix"]]
    assert tip.parents == (git(workspace, "rev-parse", "HEAD").strip(),)
    files = gh.state.git.files(tip.tree)
    assert files["app/main.py"].decode().startswith("import os\nimport sys\n\n\ndef main():")
    assert files[".github/workflows/ci.yml"] == MESSY[".github/workflows/ci.yml"].encode()
    assert (workspace / "app/main.py").read_text() == MESSY["app/main.py"], "workspace untouched"

    again = dispatch(gh, workspace, tmp_path / "r2")
    assert again.outputs["action-taken"] == "pr-updated" and again.outputs["pull-number"] == str(
        number
    )
    assert [r for r in gh.state.ref_updates] == [], "same fix on the same base: branch not moved"

    (workspace / "app/more.py").write_text("x=1\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "more")
    gh.state.git.import_repository(workspace, base)
    third = dispatch(gh, workspace, tmp_path / "r3")
    assert third.outputs["action-taken"] == "pr-updated"
    assert len([p for p in gh.state.pulls.values() if p["state"] == "open"]) == 1
    (update,) = gh.state.ref_updates
    assert (
        update[0] == "heads/oasis/auto-fix" and update[3] is False
    ), "own commit rebuilt on the new base"


def test_human_commit_on_the_branch_is_never_overwritten(
    checkout: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = checkout
    first = dispatch(gh, workspace, tmp_path / "r1")
    number = int(first.outputs["pull-number"])
    ours = gh.state.git.refs["heads/oasis/auto-fix"]
    human = gh.state.git.add_commit(
        gh.state.git.commits[ours].tree,
        (ours,),
        "tweak by hand",
        {"name": "Dev", "email": "dev@x", "date": "2026-11-23T00:00:00Z"},
    )
    gh.state.git.refs["heads/oasis/auto-fix"] = human.sha
    (workspace / "app/clean.py").write_text("VALUE=2\n")
    git(workspace, "commit", "-qam", "change")
    gh.state.git.import_repository(workspace, gh.state.repository["default_branch"])
    second = dispatch(gh, workspace, tmp_path / "r2")
    assert second.returncode == 0
    assert second.outputs["action-taken"] == "none" and "did not make" in second.outputs["reason"]
    assert gh.state.git.refs["heads/oasis/auto-fix"] == human.sha
    assert gh.state.ref_updates == []
    (comment,) = gh.state.comments[number]
    assert "has commits OASIS did not make" in comment["body"]


def test_nothing_to_fix_and_dry_run(local_github: LocalGitHub, tmp_path: Path) -> None:
    workspace = make_repo(tmp_path / "ws", {"a.py": "VALUE = 1\n"})
    local_github.state.git.import_repository(workspace, "master")
    clean = dispatch(local_github, workspace, tmp_path / "r1")
    assert (
        clean.outputs["action-taken"] == "none"
        and clean.outputs["reason"] == "auto-fix found nothing to change"
    )
    (workspace / "a.py").write_text("VALUE=1\n")
    git(workspace, "commit", "-qam", "messy")
    local_github.state.git.import_repository(workspace, "master")
    dry = dispatch(local_github, workspace, tmp_path / "r2", **{"dry-run": "true"})
    assert dry.returncode == 0, dry.log
    assert local_github.writes() == []
    assert "dry-run: would commit files" in dry.log


def failed_lint_run(gh: LocalGitHub, workspace: Path, log: str, fork: bool = False) -> dict:
    head = git(workspace, "rev-parse", "HEAD").strip()
    gh.state.git.import_repository(workspace, "feature-7")
    pull = gh.state.add_pull(7, head)
    if fork:
        pull["head"]["repo"] = {**pull["head"]["repo"], "full_name": "someone/fork"}
    gh.state.add_run(77, head, [("lint", "failure", log)], pulls=(7,))
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"].update(
        id=77, conclusion="failure", head_sha=head, pull_requests=[{"number": 7}]
    )
    if fork:
        payload["workflow_run"]["head_repository"] = {
            **payload["workflow_run"]["head_repository"],
            "full_name": "someone/fork",
        }
    return payload


LINT_LOG = "2026-11-23T10:00:00.0000000Z would reformat app/main.py\nOh no! 1 file would be reformatted.\n##[error]Process completed with exit code 1.\n"


def test_failed_lint_run_gets_a_fix_pr_into_its_branch(
    checkout: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = checkout
    payload = failed_lint_run(gh, workspace, LINT_LOG)
    sandbox = RunnerSandbox.create(tmp_path / "r", workspace)
    result = run_inprocess(step(gh, FIX_PR, "workflow_run", payload), sandbox)
    assert result.returncode == 0, result.log
    assert result.outputs["action-taken"] == "pr-opened"
    fix = gh.state.pulls[int(result.outputs["pull-number"])]
    assert fix["base"]["ref"] == "feature-7" and fix["head"]["ref"] == "oasis/auto-fix-pr7"
    assert "proposes the fix in #" in gh.state.comments[7][0]["body"]


@pytest.mark.parametrize(
    ("log", "fork", "reason"),
    [
        ("FAILED tests/test_a.py::test_b - AssertionError\n", False, "not a formatting failure"),
        (LINT_LOG, True, "is from a fork (someone/fork)"),
    ],
)
def test_other_failures_and_forks_get_nothing(
    checkout: tuple[LocalGitHub, Path], tmp_path: Path, log: str, fork: bool, reason: str
) -> None:
    gh, workspace = checkout
    payload = failed_lint_run(gh, workspace, log, fork)
    result = run_inprocess(
        step(gh, FIX_PR, "workflow_run", payload), RunnerSandbox.create(tmp_path / "r", workspace)
    )
    assert result.outputs["action-taken"] == "none" and reason in result.outputs["reason"]
    assert gh.writes() == []
    if fork:
        assert gh.requests == [], "a fork is refused from the event, before any request"


def test_workspace_not_at_the_pr_head_is_bad_input(
    checkout: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = checkout
    payload = failed_lint_run(gh, workspace, LINT_LOG)
    gh.state.pulls[7]["head"]["sha"] = "f" * 40
    result = run_inprocess(
        step(gh, FIX_PR, "workflow_run", payload), RunnerSandbox.create(tmp_path / "r", workspace)
    )
    assert result.returncode == 2 and "check it out first" in result.stderr


def test_nightly_heal_reports_once_and_closes_when_healthy(
    checkout: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = checkout
    (workspace / "conf/broken.yml").write_text("a: [1\n")
    first = dispatch(gh, workspace, tmp_path / "r1", action=NIGHTLY)
    assert first.returncode == 0, first.log
    assert first.outputs["action-taken"] == "healed"
    number = int(first.outputs["issue-number"])
    issue = gh.state.issues[number]
    assert issue["title"] == "OASIS health report" and issue["state"] == "open"
    assert (
        "conf/broken.yml" in issue["body"] and f"#{first.outputs['pull-number']}" in issue["body"]
    )
    second = dispatch(gh, workspace, tmp_path / "r2", action=NIGHTLY)
    assert second.outputs["issue-number"] == str(number) and len(gh.state.issues) == 1

    (workspace / "conf/broken.yml").unlink()
    gh.state.pulls[int(first.outputs["pull-number"])]["state"] = "closed"
    healthy = dispatch(gh, workspace, tmp_path / "r3", action=NIGHTLY, fix="false")
    assert healthy.outputs["action-taken"] == "reported"
    assert gh.state.issues[number]["state"] == "closed", healthy.outputs["findings"]
    quiet = dispatch(gh, workspace, tmp_path / "r4", action=NIGHTLY, fix="false")
    assert quiet.outputs["action-taken"] == "none"


def test_on_push_the_fix_goes_back_into_the_pushed_branch(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    workspace = make_repo(tmp_path / "ws", {"a.py": "VALUE=1\n"})
    git(workspace, "checkout", "-q", "-b", "release/1.x")
    local_github.state.git.import_repository(workspace, "release/1.x")
    github = {
        "GITHUB_API_URL": local_github.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": "refs/heads/release/1.x",
    }
    step = Step(
        FIX_PR, {}, event=load_event("push", "event.1"), github=github, token=local_github.token
    )
    result = run_inprocess(step, RunnerSandbox.create(tmp_path / "r", workspace))
    assert result.returncode == 0, result.log
    pull = local_github.state.pulls[int(result.outputs["pull-number"])]
    assert pull["base"]["ref"] == "release/1.x"
