"""The learning loop against the local GitHub (#19): a recorded history of runs, attempts, logs
and JUnit artifacts; `oasis learn` twice in fresh workspaces (the state survives on its branch,
the second read costs only what is new); ci-retry deciding differently for a job whose reruns
never pass; per-test parameters for the pytest plugin."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import ActionResult, RunnerSandbox, Step, run_inprocess

ROOT_ACTION = PROJECT_ROOT / "action.yml"
CI_RETRY = PROJECT_ROOT / "actions" / "ci-retry" / "action.yml"
RESET = "2026-11-20T10:00:00.0000000Z curl: (56) Recv failure: Connection reset by peer\n"
REFUSED = (
    "2026-11-20T10:00:00.0000000Z curl: (7) Failed to connect to deploy.example.com port 443 "
    "after 2 ms: Connection refused\n"
)
OK = "all good\n"


def sha(n: int) -> str:
    return f"{n:040x}"


def junit(cases: dict[str, bool], seconds: float = 0.5) -> bytes:
    """A zip holding one JUnit report: test id (classname::name) -> passed."""
    rows = []
    for test, passed in cases.items():
        classname, name = test.split("::")
        failure = "" if passed else "<failure message='boom'>assert 0</failure>"
        rows.append(
            f"<testcase classname='{classname}' name='{name}' time='{seconds}'>{failure}</testcase>"
        )
    xml = f"<testsuites><testsuite name='pytest' tests='{len(rows)}'>{''.join(rows)}</testsuite></testsuites>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("junit.xml", xml)
    return buffer.getvalue()


def record_history(gh: LocalGitHub) -> None:
    """`build` fails on a network hiccup and passes when rerun (4 times); `deploy` fails on a
    network error that reruns never fix (3 times); `tests.test_api::test_flaky` flips on one
    commit; a fork's run is there too and must be ignored."""
    for n in range(4):
        gh.state.add_run(
            100 + n, sha(n), [("build", "success", OK), ("deploy", "success", OK)],
            earlier=([("build", "failure", RESET), ("deploy", "success", OK)],),
        )  # fmt: skip
    for n in range(3):
        gh.state.add_run(
            110 + n, sha(10 + n), [("build", "success", OK), ("deploy", "failure", REFUSED)],
            earlier=([("build", "success", OK), ("deploy", "failure", REFUSED)],),
        )  # fmt: skip
    for run_id, passed in ((120, True), (121, False), (122, True)):
        gh.state.add_run(run_id, sha(20), [("unit", "success" if passed else "failure", OK)])
        gh.state.add_artifact(
            run_id,
            "junit-results",
            junit({"tests.test_api::test_flaky": passed, "tests.test_api::test_ok": True}),
        )
    fork = gh.state.add_run(130, sha(30), [("build", "failure", RESET)], attempt=2)
    fork["head_repository"] = {**fork["head_repository"], "full_name": "mallory/octo-repo"}


def learn(gh: LocalGitHub, root: Path, **inputs: str) -> ActionResult:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "schedule",
    }
    step = Step(
        ROOT_ACTION, {"command": "learn", **inputs}, event={}, github=github, token=gh.token
    )
    root.mkdir(parents=True)
    return run_inprocess(step, RunnerSandbox.create(root))


def test_learn_twice_in_fresh_workspaces(local_github: LocalGitHub, tmp_path: Path) -> None:
    record_history(local_github)
    first = learn(local_github, tmp_path / "one")
    assert first.returncode == 0, first.log
    assert first.outputs["runs-read"] == "10", "the fork's run is not this repository's history"
    assert first.outputs["failed-runs"] == "8"
    assert json.loads(first.outputs["flaky-tests"]) == ["tests.test_api::test_flaky"]
    assert first.outputs["action-taken"] == "learned"
    assert "heads/oasis-state" in local_github.state.git.refs
    calls_first = int(first.outputs["api-calls"])

    local_github.requests.clear()
    second = learn(local_github, tmp_path / "two")
    assert second.returncode == 0, second.log
    assert second.outputs["runs-read"] == "0" and second.outputs["failed-runs"] == "8"
    assert int(second.outputs["api-calls"]) <= 8 < calls_first
    assert not any("/attempts/" in r.path or "/logs" in r.path for r in local_github.requests)

    local_github.state.add_run(
        140, sha(40), [("build", "success", OK)], earlier=([("build", "failure", RESET)],)
    )
    third = learn(local_github, tmp_path / "three")
    assert third.outputs["runs-read"] == "1" and third.outputs["failed-runs"] == "9"


def test_a_damaged_state_is_rebuilt(local_github: LocalGitHub, tmp_path: Path) -> None:
    from tests.support.github import more_routes

    record_history(local_github)
    assert learn(local_github, tmp_path / "one").returncode == 0
    git = local_github.state.git
    head = git.refs["heads/oasis-state"]
    forged = {"path": "state.json", "mode": "100644", "content": '{"format": 1, "sha256": "x"}'}
    _, tree = more_routes.create_tree(
        local_github, {}, {}, {"base_tree": git.commits[head].tree, "tree": [forged]}
    )
    _, commit = more_routes.create_commit(
        local_github, {}, {}, {"tree": tree["sha"], "parents": [head], "message": "tamper"}
    )
    git.refs["heads/oasis-state"] = commit["sha"]
    rebuilt = learn(local_github, tmp_path / "two")
    assert rebuilt.returncode == 0, rebuilt.log
    assert "failed its checksum" in rebuilt.stdout and rebuilt.outputs["runs-read"] == "10"


def ci_retry(gh: LocalGitHub, root: Path, run_id: int) -> ActionResult:
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"].update(id=run_id, run_attempt=1, conclusion="failure")
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "workflow_run",
    }
    step = Step(CI_RETRY, {"comment": "false"}, event=payload, github=github, token=gh.token)
    root.mkdir(parents=True)
    return run_inprocess(step, RunnerSandbox.create(root))


def test_ci_retry_decides_from_what_reruns_did_here(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    record_history(local_github)
    local_github.state.add_run(200, sha(50), [("deploy", "failure", REFUSED)])
    local_github.state.add_run(201, sha(51), [("build", "failure", RESET)])
    before = ci_retry(local_github, tmp_path / "before", 200)
    assert before.outputs["retried"] == "true", "without history a network error is retried"
    local_github.state.runs[200].update(run_attempt=1, status="completed", conclusion="failure")
    assert learn(local_github, tmp_path / "learn").returncode == 0
    after = ci_retry(local_github, tmp_path / "after", 200)
    assert after.outputs["retried"] == "false"
    assert "reruns of job deploy never pass here (0 of 3 reruns passed)" in after.outputs["reason"]
    build = ci_retry(local_github, tmp_path / "build", 201)
    assert build.outputs["retried"] == "true"
    assert "job build: 4 of 4 reruns passed" in build.outputs["reason"]


def test_export_writes_parameters_for_the_test_runner(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    record_history(local_github)
    result = learn(
        local_github, tmp_path / "one", export="oasis-tests.json", **{"write-state": "false"}
    )
    assert result.returncode == 0, result.log
    assert "heads/oasis-state" not in local_github.state.git.refs
    params = json.loads((tmp_path / "one" / "workspace" / "oasis-tests.json").read_text())
    assert params["format"] == 1
    assert params["tests"]["tests.test_api::test_flaky"]["quarantined"] is True
    assert params["tests"]["tests.test_api::test_ok"] == {"timeout": 30}


def test_labels_from_reruns_retrain_the_triage_model_behind_a_gate(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    from tests.support.cli import oasis

    record_history(local_github)
    result = learn(local_github, tmp_path / "one", labels="labels.jsonl")
    assert result.returncode == 0, result.log
    workspace = tmp_path / "one" / "workspace"
    lines = [json.loads(line) for line in (workspace / "labels.jsonl").read_text().splitlines()]
    assert {(line["job"], line.get("category")) for line in lines} == {("build", "network")}
    assert len(lines) == 4, "deploy's reruns never passed and triage called it network: no label"
    code, out, err = oasis(workspace, "triage", "train", "--history", "labels.jsonl")
    assert code == 0, err
    assert out.startswith("triage model 1 in use: on your 4 logs: accuracy 1.000 (in use: 1.000)")
    metrics = json.loads((workspace / ".oasis/triage-models/1/metrics.json").read_text())
    assert metrics["accepted"] is True and (workspace / ".oasis/triage-model.npz").is_file()
    code, out, _ = oasis(workspace, "triage", "train", "--revert")
    assert code == 0 and out.strip() == "using the shipped triage model"
    assert not (workspace / ".oasis/triage-model.npz").exists()
    code, _, err = oasis(workspace, "triage", "train", "--revert")
    assert code == 2 and "nothing to revert" in err


def test_without_permission_to_read_history_the_guardians_go_on(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """A token without `contents: read` (ci-retry) or `actions: read` (nightly-heal's learning
    pass): the decision is made as without history, and the heal still reports."""
    from tests.support.github.server import Fault

    local_github.state.add_run(201, sha(51), [("build", "failure", RESET)])
    local_github.inject(Fault("GET", r".*/contents/.*", status=403, times=10))
    retry = ci_retry(local_github, tmp_path / "retry", 201)
    assert retry.returncode == 0 and retry.outputs["retried"] == "true", retry.log
    assert "the learned state could not be read" in retry.stdout
    local_github.inject(Fault("GET", r".*/actions/runs", status=403, times=10))
    github = {
        "GITHUB_API_URL": local_github.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "schedule",
    }
    step = Step(
        PROJECT_ROOT / "actions" / "nightly-heal" / "action.yml",
        {"fix": "false"},
        event={},
        github=github,
        token=local_github.token,
    )
    (tmp_path / "heal").mkdir()
    heal = run_inprocess(step, RunnerSandbox.create(tmp_path / "heal"))
    assert heal.returncode == 0, heal.log
    assert "learn: not run (GitHub answered 403" in heal.outputs["reason"]
