"""One declaration per option: every action.yml input and output is what the command declares
(name, type, default, description), and the root action runs each command on its own defaults."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from oasis_action import registry
from oasis_action.actionspec import action_inputs, input_description, render, sentence
from oasis_action.main import main, parse_config
from oasis_action.options import render_default
from oasis_action.outcome import COMMON_OUTPUTS
from tests.support.paths import PROJECT_ROOT
from tests.support.repos import make_repo
from tests.support.runner import RunnerSandbox, Step, run_local

ROOT_ACTION = PROJECT_ROOT / "action.yml"
ACTIONS = sorted(PROJECT_ROOT.glob("actions/*/action.yml"))


@pytest.mark.parametrize("path", [ROOT_ACTION, *ACTIONS], ids=lambda p: p.parent.name)
def test_action_yml_is_what_the_declarations_render(path: Path) -> None:
    command = None if path == ROOT_ACTION else path.parent.name
    text = path.read_text(encoding="utf-8")
    assert render(text, command) == text, "run `python tools/gen_actions.py`"


@pytest.mark.parametrize("path", ACTIONS, ids=lambda p: p.parent.name)
def test_each_input_and_output_equals_its_declaration(path: Path) -> None:
    name = path.parent.name
    spec = yaml.safe_load(path.read_text())
    declared = {option.name: option for option in action_inputs(registry.options_of(name))}
    inputs = dict(spec["inputs"])
    inputs.pop("github-token")
    assert list(inputs) == list(declared)
    for input_name, option in declared.items():
        given = inputs[input_name]
        assert given["default"] == render_default(option.default), input_name
        assert given["description"] == input_description(option), input_name
        assert given["required"] is option.required, input_name
    module = registry.load(name)
    outputs = {o.name: sentence(o.help) for o in (*module.OUTPUTS, *COMMON_OUTPUTS)}
    assert {k: v["description"] for k, v in spec["outputs"].items()} == outputs


def test_a_type_change_is_caught() -> None:
    (option,) = [o for o in registry.options_of("ci-retry") if o.name == "max-attempts"]
    assert "An integer from 1 to 10." in input_description(option)


def runner_env(command: str) -> dict[str, str]:
    """What the runner sets for `uses: org/oasis@v1` with only `command:`: every input, empty."""
    spec = yaml.safe_load(ROOT_ACTION.read_text())
    env = {f"INPUT_{name.upper()}": "" for name in spec["inputs"]}
    return {**env, "INPUT_COMMAND": command, "GITHUB_ACTIONS": "true"}


@pytest.mark.parametrize("command", sorted(registry.COMMANDS))
def test_root_action_runs_each_command_on_its_own_defaults(command: str) -> None:
    try:
        expected = parse_config(command, [], {})
    except Exception as error:  # a required positional (predict's input, evaluate's data)
        with pytest.raises(type(error), match="is required"):
            parse_config(command, [], runner_env(command))
        return
    assert parse_config(command, [], runner_env(command)) == expected


def test_an_input_of_another_command_is_refused_in_one_line() -> None:
    env = {**runner_env("train"), "INPUT_MAX-API-CALLS": "lots"}
    err = io.StringIO()
    assert main([], env, io.StringIO(), err) == 2
    assert (
        err.getvalue()
        == "::error::input 'max-api-calls' is not read by `train` (see `oasis train --help`)\n"
    )


def test_clean_through_the_root_action_on_its_defaults(tmp_path: Path) -> None:
    """The seed's root action gave `clean` the `models` folder name as its boolean: exit 2."""
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(sandbox.workspace, {"pkg/a.py": "A = 1\n"})
    (sandbox.workspace / "pkg" / "__pycache__").mkdir()
    result = run_local(Step(ROOT_ACTION, {"command": "clean"}), sandbox)
    assert result.returncode == 0, result.log
    assert json.loads(result.outputs["removed"]) == ["pkg/__pycache__"]
    assert result.outputs["action-taken"] == "none" and result.outputs["api-calls"] == "0"


def test_a_subcommand_through_the_command_input(tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    (sandbox.workspace / "a.log").write_text("curl: (6) Could not resolve host: pypi.org\n")
    result = run_local(Step(ROOT_ACTION, {"command": "triage cluster"}), sandbox)
    assert result.returncode == 2 and "needs log files" in result.stderr
