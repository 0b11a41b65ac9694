from __future__ import annotations

import io
from pathlib import Path

import pytest

from oasis_action.options import Kind, Option
from oasis_action.runner import (
    SUMMARY_LIMIT_BYTES,
    Annotation,
    Reporter,
    RunnerContext,
    escape_data,
    escape_property,
    input_values,
    render_command,
    render_output,
    truncate_summary,
)
from tests.support.runner import FileCommandError, parse_commands, parse_file_command, read_exact

HOSTILE = [
    "plain",
    "100% done",
    "line one\nline two\n",
    "carriage\rreturn\r\n",
    "::error::not a command",
    "a,b:c",
    "EOF",
    "first\nEOF\nlast",
    "ghadelimiter_0000\n",
    "%0A literally",
    "",
    "ünïcødé ✓",
]


def actions_context(tmp_path: Path, **extra: str) -> RunnerContext:
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        **extra,
    }
    (tmp_path / "out").write_text("")
    (tmp_path / "summary").write_text("")
    return RunnerContext.from_env(env)


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50%\r\n") == "50%25%0D%0A"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert render_command("error", "x\ny", {"file": "a,b.py", "line": 3, "col": None}) == (
        "::error file=a%2Cb.py,line=3::x%0Ay"
    )
    assert render_command("endgroup", "") == "::endgroup::"


def test_fixed_delimiter_in_value_is_refused() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        render_output("x", "a\nEOF\nb", delimiter="EOF")
    with pytest.raises(ValueError, match="not a valid name"):
        render_output("x=y", "v")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_outputs_round_trip_through_github_output(tmp_path: Path, value: str) -> None:
    reporter = Reporter(actions_context(tmp_path), io.StringIO(), io.StringIO())
    reporter.set_output("value", value)
    reporter.set_output("after", "still here")
    parsed = parse_file_command(read_exact(tmp_path / "out"))
    assert parsed == {"value": value, "after": "still here"}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_annotations_round_trip(tmp_path: Path, value: str) -> None:
    stdout = io.StringIO()
    reporter = Reporter(actions_context(tmp_path), stdout, io.StringIO())
    reporter.annotate(
        Annotation("error", value or "empty", file=f"dir/{value}.py", line=7, title=value)
    )
    (parsed,) = parse_commands(stdout.getvalue(), "error")
    assert parsed["message"] == (value or "empty")
    assert parsed["file"] == f"dir/{value}.py"
    assert parsed["line"] == "7"
    assert len(stdout.getvalue().splitlines()) == 1


def test_harness_parser_is_as_strict_as_the_runner() -> None:
    assert parse_file_command("a=1\nb=x=y\n") == {"a": "1", "b": "x=y"}
    with pytest.raises(FileCommandError, match="newline"):
        parse_file_command("a=1")
    with pytest.raises(FileCommandError, match="closing delimiter"):
        parse_file_command("a<<D\nvalue\n")


def test_inputs_read_with_hyphens_kept() -> None:
    options = (Option("max-attempts", Kind.INT), Option("json", Kind.BOOL, cli_only=True))
    env = {"INPUT_MAX-ATTEMPTS": "4", "INPUT_MAX_ATTEMPTS": "9", "INPUT_JSON": "true"}
    assert input_values(env, options) == {"max_attempts": "4"}


def test_token_is_masked_first_and_never_printed(tmp_path: Path) -> None:
    token = "ghs_secretvalue123"
    context = actions_context(tmp_path, **{"INPUT_GITHUB-TOKEN": token})
    stdout, stderr = io.StringIO(), io.StringIO()
    reporter = Reporter(context, stdout, stderr)
    reporter.mask(context.token)
    reporter.info(f"calling with {token}")
    reporter.fail(f"auth failed for {token}")
    reporter.set_output("echo", token)
    reporter.summary(f"token {token}")
    reporter.close()
    lines = stdout.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{token}"
    assert token not in "\n".join(lines[1:]) + stderr.getvalue()
    assert token not in (tmp_path / "out").read_text()
    assert token not in (tmp_path / "summary").read_text()
    assert "***" in (tmp_path / "summary").read_text()


def test_token_falls_back_to_github_token_env() -> None:
    context = RunnerContext.from_env({"GITHUB_TOKEN": "abc", "INPUT_GITHUB-TOKEN": " "})
    assert context.token == "abc"
    assert not context.in_actions


def test_summary_is_truncated_below_one_mebibyte() -> None:
    text = "\n".join("| row | " + "x" * 100 + " |" for _ in range(20000))
    cut = truncate_summary(text)
    assert len(cut.encode()) < SUMMARY_LIMIT_BYTES
    assert "truncated" in cut
    assert truncate_summary("short") == "short"


def test_summary_written_once_at_close(tmp_path: Path) -> None:
    reporter = Reporter(actions_context(tmp_path), io.StringIO(), io.StringIO())
    reporter.summary("## one")
    reporter.summary("two")
    assert (tmp_path / "summary").read_text() == ""
    reporter.close()
    assert (tmp_path / "summary").read_text() == "## one\ntwo\n"


def test_plain_mode_prints_human_lines(tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    reporter = Reporter(RunnerContext.from_env({}, cwd=tmp_path), stdout, stderr)
    with reporter.group("Checks"):
        reporter.info("hello")
    reporter.annotate(Annotation("error", "boom", "a.py", 3))
    reporter.set_output("x", "1")
    reporter.debug("hidden")
    reporter.close()
    assert stdout.getvalue() == "== Checks\nhello\n"
    assert stderr.getvalue() == "a.py:3: error: boom\n"
    assert reporter.outputs == {"x": "1"}


def test_actions_mode_groups_and_debug(tmp_path: Path) -> None:
    stdout = io.StringIO()
    reporter = Reporter(actions_context(tmp_path), stdout, io.StringIO())
    with reporter.group("Fetch: logs"):
        reporter.debug("50%")
    assert stdout.getvalue().splitlines() == [
        "::group::Fetch: logs",
        "::debug::50%25",
        "::endgroup::",
    ]


def test_outputs_of_plain_values(tmp_path: Path) -> None:
    reporter = Reporter(actions_context(tmp_path), io.StringIO(), io.StringIO())
    reporter.set_output("flag", True)
    reporter.set_output("none", None)
    reporter.set_output("data", {"b": 1, "a": [1, 2]})
    reporter.set_output("count", 3)
    assert parse_file_command(read_exact(tmp_path / "out")) == {
        "flag": "true",
        "none": "",
        "data": '{"a": [1, 2], "b": 1}',
        "count": "3",
    }


@pytest.mark.parametrize(
    "untrusted",
    [
        "::add-mask::Connection",
        "  ::stop-commands::x",
        "job ok\n::error file=a.py::forged",
        "##[set-output name=merged;]true",
    ],
)
def test_untrusted_text_cannot_become_a_workflow_command(tmp_path: Path, untrusted: str) -> None:
    """A log excerpt or a job name printed by OASIS is shown, never obeyed by the runner."""
    stdout = io.StringIO()
    reporter = Reporter(actions_context(tmp_path), stdout, io.StringIO())
    reporter.info(untrusted)
    reporter.result(untrusted)
    reporter.progress(untrusted)
    with reporter.group("triage"):
        reporter.info("x")
    commands = [c["command"] for c in parse_commands(stdout.getvalue())]
    assert commands == ["group", "endgroup"]
    assert not any(
        line.lstrip().startswith(("::", "##[")) and "group::" not in line
        for line in stdout.getvalue().splitlines()
    )
    assert untrusted.replace("\u200b", "") in stdout.getvalue().replace("\u200b", "")


def test_markdown_fences_and_spans_cannot_be_closed_by_their_content() -> None:
    from oasis_action.markdown import cell, code_span, fence_for

    excerpt = "````\n**pwned** @octo-org/admins <img src=x>\n````"
    fence = fence_for(excerpt)
    assert len(fence) == 5 and fence not in excerpt
    assert code_span("a`b|c\nd") == "`a'b\u2502c d`"
    assert cell("x | @team <b>") == "x \\| \\@team \\<b\\>"
