"""The `inputs:` and `outputs:` of every action.yml, generated from the commands' declarations.

An option or output is declared once, in its command; `tools/gen_actions.py` writes these
sections and a test fails when a checked-in action.yml differs from what this module renders.
The name, description, branding and `runs:` of each file stay as written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from oasis_action.options import Kind, Option, render_default
from oasis_action.outcome import COMMON_OUTPUTS, Output
from oasis_action.registry import COMMANDS, load, options_of

RUNNER_INPUT = "github-token"


def sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and a full stop."""
    text = text.strip()
    if not text.startswith(("true ", "false ")):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def kind_note(option: Option) -> str:
    """The input's type in words, which action.yml has no field for."""
    if option.kind is Kind.CHOICE:
        return "One of " + ", ".join(option.choices) + "."
    if option.kind is Kind.STR:
        return ""
    names = {Kind.BOOL: "A boolean", Kind.INT: "An integer", Kind.FLOAT: "A number"}
    note = names.get(option.kind, "A comma list")
    if option.minimum is not None and option.maximum is not None:
        note += f" from {option.minimum:g} to {option.maximum:g}"
    elif option.minimum is not None:
        note += f", at least {option.minimum:g}"
    return note + "."


def input_description(option: Option) -> str:
    return " ".join(part for part in (sentence(option.help), kind_note(option)) if part)


def action_inputs(options: Iterable[Option]) -> list[Option]:
    return [option for option in options if not option.cli_only]


def uses_github(options: Iterable[Option]) -> bool:
    return any(option.name == "max-api-calls" for option in options)


def command_inputs(name: str, token_help: str) -> dict[str, Any]:
    """A per-command action's inputs: the token when it talks to GitHub, then its options."""
    options = options_of(name)
    inputs: dict[str, Any] = {}
    if uses_github(options):
        inputs[RUNNER_INPUT] = _token(token_help)
    for option in action_inputs(options):
        inputs[option.name] = {
            "description": input_description(option),
            "required": option.required,
            "default": render_default(option.default),
        }
    return inputs


def command_outputs(name: str) -> dict[str, Any]:
    declared = (*getattr(load(name), "OUTPUTS", ()), *COMMON_OUTPUTS)
    return {output.name: {"description": sentence(output.help)} for output in declared}


def _token(help_text: str) -> dict[str, Any]:
    return {"description": help_text, "required": False, "default": "${{ github.token }}"}


def _grouped(entries: Sequence[tuple[str, str]]) -> str:
    """`(a, b) text. (c) other text.`: commands that say the same thing share one entry."""
    by_text: dict[str, list[str]] = {}
    for command, text in entries:
        by_text.setdefault(text, []).append(command)
    return " ".join(f"({', '.join(names)}) {text}" for text, names in by_text.items())


def root_inputs(token_help: str) -> dict[str, Any]:
    """The root action's inputs: every command's, empty by default so each command applies its
    own default (two commands may read the same name differently)."""
    said: dict[str, list[tuple[str, str]]] = {}
    for name in COMMANDS:
        for option in action_inputs(options_of(name)):
            shown = render_default(option.default)
            text = input_description(option) + (f" Default: {shown}." if shown else "")
            said.setdefault(option.name, []).append((name, text))
    inputs: dict[str, Any] = {
        "command": {"description": "The OASIS command to run, e.g. `doctor`.", "required": True},
        RUNNER_INPUT: _token(token_help),
    }
    for input_name in sorted(said):
        inputs[input_name] = {
            "description": _grouped(said[input_name]),
            "required": False,
            "default": "",
        }
    return inputs


def root_outputs() -> dict[str, Any]:
    said: dict[str, list[tuple[str, str]]] = {}
    for name in COMMANDS:
        for output in getattr(load(name), "OUTPUTS", ()):
            said.setdefault(output.name, []).append((name, sentence(output.help)))
    outputs = {o.name: {"description": sentence(o.help)} for o in COMMON_OUTPUTS}
    outputs.update({n: {"description": _grouped(said[n])} for n in sorted(said)})
    return outputs


def render(text: str, command: str | None) -> str:
    """The action.yml `text` with its inputs and outputs generated (`command` None: the root)."""
    head, _, rest = text.partition("\ninputs:\n")
    runs = rest[rest.index("\nruns:\n") + 1 :]
    token_help = yaml.safe_load(text)["inputs"][RUNNER_INPUT]["description"]
    if command is None:
        generated = {"inputs": root_inputs(token_help), "outputs": root_outputs()}
    else:
        generated = {
            "inputs": command_inputs(command, token_help),
            "outputs": command_outputs(command),
        }
    body = yaml.safe_dump(generated, sort_keys=False, width=10_000, allow_unicode=True)
    return f"{head}\n{body}{runs}"


def declared_output_names(command: str) -> list[str]:
    outputs: Sequence[Output] = (*getattr(load(command), "OUTPUTS", ()), *COMMON_OUTPUTS)
    return [output.name for output in outputs]
