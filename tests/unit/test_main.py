from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from oasis_action import __version__, registry
from oasis_action.main import main
from tests.support.repos import BROKEN_REPO, make_repo
from tests.support.runner import parse_file_command, read_exact


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, env or {}, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def actions_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    (tmp_path / "output").write_text("")
    (tmp_path / "summary").write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        **extra,
    }


def test_help_lists_the_commands_that_exist() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    for name in registry.COMMANDS:
        assert f"  {name}" in out


def test_version() -> None:
    assert run(["--version"]) == (0, f"oasis {__version__}\n", "")


def test_each_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name in registry.COMMANDS:
        code, _, _ = run([*name.split(), "--help"])
        assert code == 0
        assert f"usage: oasis {name}" in capsys.readouterr().out


def test_unknown_command_is_one_line_exit_2() -> None:
    code, out, err = run(["docter"])
    assert code == 2
    assert out == ""
    assert err == "oasis: error: unknown command `docter`; did you mean `doctor`?\n"


def test_no_command_is_a_usage_error() -> None:
    code, _, err = run([])
    assert code == 2
    assert "no command given" in err


def test_unknown_flag_is_one_line() -> None:
    code, _, err = run(["doctor", "--frobnicate"])
    assert code == 2
    assert err.count("\n") == 1
    assert "unrecognized arguments: --frobnicate" in err


def test_bad_input_value_names_the_input_in_actions(tmp_path: Path) -> None:
    env = actions_env(tmp_path, **{"INPUT_COMMAND": "doctor", "INPUT_FAIL-ON": "sometimes"})
    code, out, err = run([], env)
    assert code == 2
    assert err == "::error::input 'fail-on' must be one of error, warning, never, got 'sometimes'\n"
    outputs = parse_file_command(read_exact(tmp_path / "output"))
    assert outputs["action-taken"] == "none"
    assert outputs["reason"].startswith("input 'fail-on' must be")


def test_flags_after_the_action_name_win_over_inputs(tmp_path: Path) -> None:
    make_repo(tmp_path, {"ok.py": "x = 1\n"})
    env = actions_env(tmp_path, **{"INPUT_FAIL-ON": "bogus"})
    code, _, err = run(["doctor", "--fail-on", "never", "--checks", "python-syntax"], env)
    assert (code, err) == (0, "")


def test_token_masked_before_anything_else(tmp_path: Path) -> None:
    token = "ghs_abcdefghijklmnop"
    env = actions_env(
        tmp_path, **{"INPUT_COMMAND": "doctor", "INPUT_GITHUB-TOKEN": token, "INPUT_CHECKS": "yaml"}
    )
    code, out, err = run([], env)
    assert code == 0
    assert out.splitlines()[0] == f"::add-mask::{token}"
    assert token not in "\n".join(out.splitlines()[1:]) + err


def test_unexpected_exception_is_short_and_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        registry.COMMANDS, "boom", registry.CommandInfo("tests.support.boom", "fails")
    )
    code, out, err = run(["boom"], {"GITHUB_TOKEN": "ghs_leakyleaky"})
    assert code == 1
    assert (
        err
        == "oasis: error: internal error: RuntimeError: unexpected state token=*** (set OASIS_DEBUG=1 for the traceback)\n"
    )
    assert "Traceback" not in out + err
    code, out, err = run(["boom"], {"GITHUB_TOKEN": "ghs_leakyleaky", "OASIS_DEBUG": "1"})
    assert "Traceback" in out
    assert "ghs_leakyleaky" not in out + err


def test_doctor_json_reports_syntax_and_yaml_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", BROKEN_REPO)
    monkeypatch.chdir(repo)
    code, out, _ = run(["doctor", "--json"])
    findings = json.loads(out)
    assert code == 1
    errors = {(f["check"], f["file"], f["line"]) for f in findings if f["severity"] == "error"}
    assert errors == {("python-syntax", "pkg/bad.py", 4), ("yaml", "config/settings.yml", 3)}


def test_doctor_output_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", {"ok.py": "x = 1\n"})
    monkeypatch.chdir(repo)
    code, out, _ = run(
        ["doctor", "--checks", "python-syntax,yaml", "--output", "reports/doctor.json"]
    )
    assert code == 0
    assert json.loads((repo / "reports" / "doctor.json").read_text()) == []
    assert out == "0 error(s), 0 warning(s), 0 note(s)\n"


def test_doctor_bad_path_and_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["doctor", "missing"])[2] == "oasis: error: path 'missing' is not a directory\n"
    code, _, err = run(["doctor", "--checks", "python-syntax,astrology"])
    assert code == 2
    assert "unknown check(s) astrology" in err
