"""oasis triage (files, run, train, flaky, cluster), metrics and report, end to end."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oasis_action import events
from tests.support.cli import oasis
from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import RunnerSandbox, Step, run_inprocess

ACTION = PROJECT_ROOT / "actions" / "triage" / "action.yml"
PYTEST_LOG = "2026-11-20T10:00:00.0000000Z FAILED tests/test_x.py::test_y - assert 1 == 2\n"
DNS_LOG = "curl: (6) Could not resolve host: pypi.internal.example\n##[error]Process completed with exit code 6.\n"


def test_classifies_files_as_json_lines(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text(PYTEST_LOG)
    (tmp_path / "b.log").write_text(DNS_LOG)
    code, out, _ = oasis(tmp_path, "triage", "a.log", "b.log", "--json")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert (
        first["file"] == "a.log" and first["category"] == "test-failure" and not first["retryable"]
    )
    assert second["category"] == "network" and second["retryable"] and second["confidence"] >= 0.6
    assert set(second) == {
        "file",
        "category",
        "retryable",
        "confidence",
        "excerpt",
        "signature",
        "step",
    }
    assert (
        "<n>" in second["signature"]
        or "<path>" in second["signature"]
        or "host" in second["signature"]
    )
    assert not (tmp_path / ".oasis").exists(), "classifying logs only reads them"
    code, out, _ = oasis(tmp_path, "triage", "a.log", "b.log", "--events", "ev.jsonl")
    recorded = events.read(tmp_path / "ev.jsonl")
    assert [e["category"] for e in recorded] == ["test-failure", "network"]
    code, out, _ = oasis(tmp_path, "triage", "a.log")
    assert code == 0 and out.startswith("test-failure (retryable: no")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["triage", "missing.log"], "log missing.log does not exist"),
        (["triage"], "nothing to classify"),
        (["triage", "flaky"], "needs JUnit XML"),
        (["triage", "cluster"], "needs log files"),
        (["triage", "train", "x"], "unrecognized arguments: x"),
        (["triage", "train", "--from", "nope"], "is not a directory"),
        (["metrics", "--pushgateway", "ftp://x"], "must be an http(s) URL"),
    ],
)
def test_bad_input(tmp_path: Path, argv: list[str], message: str) -> None:
    code, _, err = oasis(tmp_path, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_triage_action_classifies_a_runs_failed_jobs(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    local_github.state.add_run(
        501,
        "a" * 40,
        [("unit", "failure", PYTEST_LOG), ("deps", "failure", DNS_LOG), ("lint", "success", "")],
    )
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"]["id"] = 501
    github = {
        "GITHUB_API_URL": local_github.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "workflow_run",
    }
    result = run_inprocess(
        Step(ACTION, {}, event=payload, github=github, token=local_github.token),
        RunnerSandbox.create(tmp_path),
    )
    assert result.returncode == 0, result.log
    assert result.outputs["category"] == "test-failure", "a real bug decides over a hiccup"
    assert result.outputs["retryable"] == "false" and result.outputs["action-taken"] == "classified"
    assert "| deps | network | yes |" in result.summary


def test_retraining_learns_the_users_own_logs(tmp_path: Path) -> None:
    odd = "frobnicator flux capacitor desync on quantum bus\nstage aborted\n"
    (tmp_path / "mine/config").mkdir(parents=True)
    for i in range(6):
        (tmp_path / f"mine/config/{i}.log").write_text(odd.replace("bus", f"bus {i}"))
    (tmp_path / "history.jsonl").write_text(
        json.dumps({"event": "rerun", "passed": True, "text": "agent vanished mid job\n"})
        + "\n"
        + json.dumps({"category": "config", "text": odd})
        + "\n"
    )
    (tmp_path / "x.log").write_text(odd)
    _, before, _ = oasis(tmp_path, "triage", "x.log", "--json")
    assert json.loads(before)["category"] != "config"
    code, out, err = oasis(
        tmp_path, "triage", "train", "--from", "mine", "--history", "history.jsonl"
    )
    assert code == 0, err
    assert out.startswith("triage model 1 in use: on your 8 logs")
    assert (tmp_path / ".oasis/triage-model.npz").is_file()
    _, after, _ = oasis(tmp_path, "triage", "x.log", "--json")
    learned = json.loads(after)
    assert (learned["category"], learned["retryable"]) == ("config", False)


def junit(path: Path, sha: str, results: dict[str, bool], stamp: str) -> None:
    failure = '<failure message="boom"/>'
    cases = "".join(
        f'<testcase classname="tests.test_api" name="{name}">{"" if ok else failure}</testcase>'
        for name, ok in results.items()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<testsuites><testsuite name="t" timestamp="{stamp}"><properties><property name="sha" value="{sha}"/></properties>{cases}</testsuite></testsuites>'
    )


def test_flaky_tests_across_attempts(tmp_path: Path) -> None:
    junit(
        tmp_path / "r/1-1/report.xml",
        "abc",
        {"test_a": False, "test_b": True, "test_c": False},
        "2026-11-20T10:00:00",
    )
    junit(
        tmp_path / "r/1-2/report.xml",
        "abc",
        {"test_a": True, "test_b": True, "test_c": False},
        "2026-11-20T10:05:00",
    )
    junit(
        tmp_path / "r/2-1/report.xml",
        "def",
        {"test_a": False, "test_b": True, "test_c": False},
        "2026-11-21T09:00:00",
    )
    junit(
        tmp_path / "r/2-2/report.xml",
        "def",
        {"test_a": True, "test_b": True, "test_c": True},
        "2026-11-21T09:04:00",
    )
    code, out, _ = oasis(
        tmp_path, "triage", "flaky", "r", "--json", "--quarantine", "quarantine.txt"
    )
    assert code == 0
    report = json.loads(out)
    tests = {t["test"]: t for t in report["flaky"]}
    assert set(tests) == {"tests.test_api::test_a", "tests.test_api::test_c"}
    assert tests["tests.test_api::test_a"]["flaky_shas"] == ["abc", "def"]
    assert tests["tests.test_api::test_a"]["flip_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert tests["tests.test_api::test_a"]["last_seen"] == "2026-11-21T09:04:00"
    assert report["retry_budget"]["test-failure (flaky tests)"] >= 2
    assert (tmp_path / "quarantine.txt").read_text().splitlines() == sorted(
        tests, key=lambda t: -tests[t]["flip_rate"]
    )
    (tmp_path / "bad.xml").write_text("<testsuite><unclosed>")
    code, _, err = oasis(tmp_path, "triage", "flaky", "bad.xml")
    assert code == 2 and "not valid JUnit XML" in err


def test_cluster_groups_the_same_failure(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"dns{i}.log").write_text(DNS_LOG.replace("pypi", f"mirror{i}"))
    (tmp_path / "bug.log").write_text(PYTEST_LOG)
    code, out, _ = oasis(
        tmp_path, "triage", "cluster", "dns0.log", "dns1.log", "dns2.log", "bug.log", "--json"
    )
    assert code == 0
    clusters = json.loads(out)
    assert [(c["count"], c["category"]) for c in clusters] == [(3, "network"), (1, "test-failure")]


class Receiver(BaseHTTPRequestHandler):
    bodies: list[tuple[str, str, bytes]] = []

    def _take(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        Receiver.bodies.append((self.command, self.path, self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST = _take

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> object:
    Receiver.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def seed_events(root: Path) -> None:
    store = root / ".oasis/events.jsonl"
    for category in ("network", "network", "test-failure"):
        events.record(store, "failure", category=category)
    events.record(store, "rerun", category="network")
    events.record(store, "merge", pull=3)
    events.record(store, "flaky", test="t::a")
    events.record(store, "train", version="0.2.0", duration=1.5, metrics={"auc": 0.99})


def test_metrics_textfile_and_pushgateway(tmp_path: Path, receiver: str) -> None:
    seed_events(tmp_path)
    code, _, _ = oasis(tmp_path, "metrics", "--textfile", "oasis.prom")
    text = (tmp_path / "oasis.prom").read_text()
    assert code == 0
    assert 'oasis_failures_total{category="network"} 2.0' in text
    assert "oasis_retries_total 1.0" in text and "oasis_merges_total 1.0" in text
    assert 'oasis_model_metric{metric="auc",version="0.2.0"} 0.99' in text
    assert "oasis_training_duration_seconds 1.5" in text
    code, out, _ = oasis(tmp_path, "metrics", "--pushgateway", receiver, "--job", "ci")
    assert code == 0 and "pushed" in out
    ((method, path, body),) = Receiver.bodies
    assert method == "PUT" and path == "/metrics/job/ci" and b"oasis_flaky_tests 1.0" in body
    code, _, err = oasis(tmp_path, "metrics", "--pushgateway", "http://127.0.0.1:9")
    assert code == 1 and "failed" in err


def test_grafana_dashboard_uses_exported_metrics(tmp_path: Path) -> None:
    seed_events(tmp_path)
    _, out, _ = oasis(tmp_path, "metrics")
    exported = {line.split()[2] for line in out.splitlines() if line.startswith("# TYPE")}
    dashboard = json.loads((PROJECT_ROOT / "docs/grafana/oasis-dashboard.json").read_text())
    used = {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in exported
        if name in target["expr"]
    }
    assert used == exported


def test_report_to_slack_and_smtp(tmp_path: Path, receiver: str) -> None:
    from aiosmtpd.controller import Controller

    class Inbox:
        messages: list[bytes] = []

        async def handle_DATA(
            self, server: object, session: object, envelope: object
        ) -> str:  # noqa: N802
            Inbox.messages.append(envelope.content)  # type: ignore[attr-defined]
            return "250 OK"

    seed_events(tmp_path)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        hook = f"{receiver}/services/T000/B000/secretpart"
        code, out, err = oasis(
            tmp_path,
            "report",
            "--slack-webhook",
            hook,
            "--smtp-server",
            f"127.0.0.1:{port}",
            "--mail-from",
            "oasis@example.invalid",
            "--mail-to",
            "team@example.invalid",
            "--output",
            "digest.md",
        )
    finally:
        smtp.stop()
    assert code == 0, err
    ((_, path, body),) = Receiver.bodies
    assert path == "/services/T000/B000/secretpart"
    assert "| network | 2 | 67% |" in json.loads(body)["text"]
    (mail,) = Inbox.messages
    assert b"Subject: OASIS weekly digest" in mail and b"t::a" in mail
    assert "secretpart" not in out + err
    assert (tmp_path / "digest.md").read_text().startswith("# OASIS weekly digest")


def zipped(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_flaky_tests_from_the_artifacts_of_recent_runs(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    def report(ok: bool) -> str:
        failure = "" if ok else '<failure message="boom"/>'
        return f'<testsuite name="t"><testcase classname="api" name="test_flip">{failure}</testcase><testcase classname="api" name="test_ok"/></testsuite>'

    for run_id, ok in ((601, False), (602, True)):
        local_github.state.add_run(run_id, "c" * 40, [("unit", "success", "")])
        local_github.state.add_artifact(
            run_id, "junit-results", zipped({"reports/junit.xml": report(ok), "../evil.txt": "x"})
        )
        local_github.state.add_artifact(run_id, "coverage", zipped({"cov.xml": "<coverage/>"}))
    env = {"GITHUB_API_URL": local_github.url, "GITHUB_TOKEN": local_github.token}
    code, out, err = oasis(
        tmp_path,
        "triage",
        "flaky",
        "--runs",
        "5",
        "--repo",
        "octo-org/octo-repo",
        "--json",
        env=env,
    )
    assert code == 0, err
    flaky = json.loads(out)["flaky"]
    assert [f["test"] for f in flaky] == ["api::test_flip"] and flaky[0]["flaky_shas"] == ["c" * 40]
    downloads = [r.path for r in local_github.requests if r.path.endswith("/zip")]
    assert len(downloads) == 2, "only the artifacts whose names match"
    assert not list(tmp_path.rglob("evil.txt"))


def test_smtp_starttls_verifies_the_servers_certificate(tmp_path: Path) -> None:
    """A server with a self-signed certificate (a man in the middle) never gets the password."""
    import socket
    import ssl
    import subprocess

    from aiosmtpd.controller import Controller

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[object] = []

    class Inbox:
        async def handle_DATA(
            self, server: object, session: object, envelope: object
        ) -> str:  # noqa: N802
            return "250 OK"

    def authenticate(
        server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> object:
        from aiosmtpd.smtp import AuthResult

        logins.append(data)
        return AuthResult(success=True)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(
        Inbox(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=authenticate, auth_require_tls=True,
    )  # fmt: skip
    seed_events(tmp_path)
    smtp.start()
    try:
        code, _, err = oasis(
            tmp_path, "report", "--smtp-server", f"127.0.0.1:{port}", "--smtp-user", "bot",
            "--mail-from", "oasis@example.invalid", "--mail-to", "team@example.invalid",
            env={"OASIS_SMTP_PASSWORD": "hunter2-smtp"},
        )  # fmt: skip
    finally:
        smtp.stop()
    assert code == 1 and "CERTIFICATE_VERIFY_FAILED" in err
    assert logins == [] and "hunter2" not in err


def flaky_from_github(local_github: LocalGitHub, tmp_path: Path) -> tuple[int, str, str]:
    env = {"GITHUB_API_URL": local_github.url, "GITHUB_TOKEN": local_github.token}
    argv = ["triage", "flaky", "--runs", "9", "--repo", "octo-org/octo-repo", "--json"]
    return oasis(tmp_path, *argv, env=env)


def junit_xml(ok: bool, sha_property: str = "") -> str:
    failure = "" if ok else '<failure message="boom"/>'
    prop = (
        f'<properties><property name="sha" value="{sha_property}"/></properties>'
        if sha_property
        else ""
    )
    return f'<testsuite name="t">{prop}<testcase classname="api" name="test_flip">{failure}</testcase><testcase classname="api" name="test_ok"/></testsuite>'


def test_fork_runs_and_forged_shas_cannot_quarantine_a_test(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """A fork's artifact claims `api::test_ok` failed on the SHA where it passed: it must not
    make a real test "flaky" (and so quarantined)."""
    local_github.state.add_run(701, "d" * 40, [("unit", "success", "")])
    local_github.state.add_artifact(701, "junit-results", zipped({"r.xml": junit_xml(True)}))
    fork = local_github.state.add_run(702, "e" * 40, [("unit", "failure", "")])
    fork["head_repository"] = {**fork["head_repository"], "full_name": "evil/octo-repo", "id": 666}
    forged = junit_xml(True).replace(
        'name="test_ok"/>', 'name="test_ok"><failure message="x"/></testcase>'
    )
    forged = forged.replace(
        '<testsuite name="t">',
        f'<testsuite name="t"><properties><property name="sha" value="{"d" * 40}"/></properties>',
    )
    local_github.state.add_artifact(702, "junit-results", zipped({"r.xml": forged}))
    same_repo = local_github.state.add_run(703, "f" * 40, [("unit", "failure", "")])
    local_github.state.add_artifact(703, "junit-results", zipped({"r.xml": forged}))
    code, out, err = flaky_from_github(local_github, tmp_path)
    assert code == 0, err
    assert json.loads(out)["flaky"] == [], "a run's report speaks for the run's own SHA only"
    assert not any(
        r.path.endswith("/702/artifacts") for r in local_github.requests
    ), "fork runs are not read"
    assert same_repo["id"] == 703


def test_zip_bombs_and_bad_reports_are_skipped_with_a_warning(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.xml", b"<" + b"a" * (200 * 1024 * 1024))
    local_github.state.add_run(711, "a" * 40, [("unit", "failure", "")])
    local_github.state.add_artifact(711, "junit-bomb", bomb.getvalue())
    local_github.state.add_run(712, "a" * 40, [("unit", "success", "")])
    local_github.state.add_artifact(712, "junit-bad", zipped({"bad.xml": "<testsuite><testcase"}))
    for run_id, ok in ((713, False), (714, True)):
        local_github.state.add_run(run_id, "b" * 40, [("unit", "success", "")])
        local_github.state.add_artifact(run_id, "junit-ok", zipped({"r.xml": junit_xml(ok)}))
    code, out, err = flaky_from_github(local_github, tmp_path)
    assert code == 0, err
    assert [f["test"] for f in json.loads(out)["flaky"]] == ["api::test_flip"]
    assert "huge.xml" in err and "bad.xml" in err, "each skipped report is named"
