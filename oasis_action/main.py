"""One dispatcher for the `oasis` CLI and the container entrypoint, and the one error boundary.

`main()` parses and dispatches; commands do the work. In Actions (``GITHUB_ACTIONS=true``)
option values come from the ``INPUT_*`` variables, and flags given after the action name win
over them; elsewhere they come from the command line alone.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TextIO

from oasis_action import __version__
from oasis_action.context import Context, PortFactory
from oasis_action.errors import InputError, OasisError, UsageError
from oasis_action.options import Kind, Option, render_default, resolve
from oasis_action.outcome import Outcome, Output, output_values
from oasis_action.registry import COMMANDS, load, options_of
from oasis_action.runner import Reporter, RunnerContext, input_values


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (exit 2) instead of usage + message."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


def top_level_help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: oasis <command> [options]",
        "",
        f"OASIS {__version__}: self-healing, self-releasing ML + DevOps toolkit for GitHub.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {info.summary}" for name, info in sorted(COMMANDS.items())),
        "",
        "Run `oasis <command> --help` for the options of one command.",
        "Exit codes: 0 success, 1 the job's own failure, 2 bad usage or input.",
    ]
    return "\n".join(lines)


def _help_for(option: Option) -> str:
    """The help line with its default said once: booleans say `on` when they are on by default
    (off needs no word), and a help text that already names its default is left as it is."""
    text = option.help
    if "(default" in text or option.default in (None, "", (), False):
        return text
    if option.default is True:
        return f"{text} (default: on)"
    return f"{text} (default: {render_default(option.default)})"


def _metavar(option: Option) -> str:
    if option.kind is Kind.CHOICE:
        return "{" + ",".join(option.choices) + "}"
    named = {Kind.INT: "N", Kind.FLOAT: "X", Kind.LIST: "A,B,..."}
    return named.get(option.kind, option.name.upper().replace("-", "_"))


def build_parser(name: str, options: Sequence[Option]) -> argparse.ArgumentParser:
    """The argparse parser of one command, generated from its option declarations."""
    parser = _Parser(prog=f"oasis {name}", description=COMMANDS[name].summary)
    for option in options:
        if option.positional:
            parser.add_argument(
                option.attr,
                metavar=option.metavar or option.name.upper(),
                nargs="*" if option.many else "?",
                default=None,
                help=_help_for(option),
            )
            continue
        flags = [f"--{option.name}", *option.aliases]
        if option.short:
            flags.insert(0, option.short)
        if option.kind is Kind.BOOL:
            switch: dict[str, Any] = (
                {"action": argparse.BooleanOptionalAction}
                if option.default
                else {"action": "store_const", "const": True}
            )
            parser.add_argument(
                *flags, dest=option.attr, default=None, help=_help_for(option), **switch
            )
        else:
            parser.add_argument(
                *flags,
                dest=option.attr,
                default=None,
                metavar=option.metavar or _metavar(option),
                help=_help_for(option),
            )
    return parser


def _choose_command(args: list[str], env: Mapping[str, str], in_actions: bool) -> str:
    """The command named by the first argument (and a subcommand after it), or the `command`
    input in Actions; the names are taken off `args`."""
    from_input = not args and in_actions
    words = env.get("INPUT_COMMAND", "").split() if from_input else args[:1]
    name = words[0] if words else ""
    if not name:
        raise UsageError("no command given: pass one as the first argument or the `command` input")
    rest = words[1:] if from_input else args[1:2]
    if rest and f"{name} {rest[0]}" in COMMANDS:
        name = f"{name} {rest[0]}"
    elif rest and from_input:
        raise UsageError(f"unknown command `{name} {rest[0]}`; see `oasis --help`")
    if name not in COMMANDS:
        close = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else "; see `oasis --help`"
        raise UsageError(f"unknown command `{name}`{hint}")
    if not from_input:
        del args[: len(name.split())]
    return name


def _raw_values(
    options: Sequence[Option], flags: dict[str, Any], env: Mapping[str, str], in_actions: bool
) -> tuple[dict[str, Any], set[str]]:
    """Values before parsing, and the attrs that came from the command line."""
    raw: dict[str, Any] = input_values(env, options) if in_actions else {}
    from_flags = {attr for attr, value in flags.items() if value is not None}
    raw.update({attr: flags[attr] for attr in from_flags})
    return raw, from_flags


RUNNER_INPUTS = frozenset({"INPUT_COMMAND", "INPUT_GITHUB-TOKEN"})
"""Inputs the entrypoint reads itself, whatever the command."""


def check_unknown_inputs(name: str, options: Sequence[Option], env: Mapping[str, str]) -> None:
    """A non-empty input the command does not read is a mistake (a typo, or an input of another
    command given to the root action): one line, exit 2, instead of being silently ignored."""
    known = RUNNER_INPUTS | {option.env_name for option in options if not option.cli_only}
    stray = sorted(
        key[len("INPUT_") :].lower()
        for key, value in env.items()
        if key.startswith("INPUT_") and key not in known and value.strip()
    )
    if stray:
        raise InputError(
            f"input {', '.join(repr(s) for s in stray)} is not read by `{name}` (see `oasis {name} --help`)"
        )


@dataclass
class _Run:
    """What the dispatcher knows of the command it ran, for the outputs on every path."""

    ctx: Context
    outputs: tuple[Output, ...] = ()
    outcome: Outcome | None = None


def parse_config(
    name: str, args: Sequence[str], env: Mapping[str, str], reporter: Reporter | None = None
) -> Any:
    """The command's Config from its flags and, in Actions, its `INPUT_*` variables: every value
    parsed and checked against its declaration. Secret values are masked on `reporter`."""
    in_actions = env.get("GITHUB_ACTIONS", "") == "true"
    options = options_of(name)
    flags = vars(build_parser(name, options).parse_args(list(args)))
    raw, from_flags = _raw_values(options, flags, env, in_actions)

    def label_for(option: Option) -> str:
        if option.attr in from_flags or not in_actions:
            return f"--{option.name}" if not option.positional else option.name.upper()
        return f"input '{option.name}'"

    for option in options:
        if reporter and option.secret and isinstance(raw.get(option.attr), str):
            reporter.mask(raw[option.attr])
    if in_actions:
        check_unknown_inputs(name, options, env)
    return load(name).Config(**resolve(options, raw, label_for))


def _dispatch(args: list[str], env: Mapping[str, str], run: _Run) -> int:
    reporter = run.ctx.reporter
    if args and args[0] in ("-h", "--help"):
        reporter.result(top_level_help())
        return 0
    if args and args[0] == "--version":
        reporter.result(f"oasis {__version__}")
        return 0
    name = _choose_command(args, env, reporter.actions)
    module = load(name)
    run.outputs = tuple(getattr(module, "OUTPUTS", ()))
    try:
        config = parse_config(name, args, env, reporter)
    except SystemExit as stop:  # --help
        return int(stop.code or 0)
    run.outcome = module.run(config, run.ctx)
    return run.outcome.exit_code


def _write_outcome(run: _Run, failure: str) -> None:
    """Summary sections and every output, on success and on failure alike."""
    reporter = run.ctx.reporter
    for section in run.outcome.summary if run.outcome else ():
        reporter.summary(section)
    if not reporter.actions:
        return
    values = output_values(run.outputs, run.outcome, failure, run.ctx.api_calls)
    for name, value in values.items():
        reporter.set_output(name, value)


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    connector: PortFactory | None = None,
) -> int:
    """Run one command; returns the exit code (0 ok, 1 job failure, 2 bad usage or input).

    `connector` opens the GitHub port (default: `github.client.connect`); tests hand in one
    with another retry policy or an in-memory port.
    """
    env = os.environ if environ is None else environ
    args = list(sys.argv[1:] if argv is None else argv)
    reporter = Reporter(RunnerContext.from_env(env), stdout, stderr)
    reporter.mask(reporter.context.token)
    for value in reporter.context.secrets.values():
        reporter.mask(value)
    run = _Run(Context(reporter, connector))
    failure = ""
    try:
        code = _dispatch(args, env, run)
    except OasisError as error:
        failure, code = str(error), error.exit_code
        run.outcome = error.outcome
    except KeyboardInterrupt:
        failure, code = "interrupted", 130
    except Exception as error:  # a bug: short message, traceback only in debug mode
        failure, code = f"internal error: {type(error).__name__}: {error}", 1
        if reporter.context.debug:
            reporter.info(traceback.format_exc())
    if failure:
        hint = (
            " (set OASIS_DEBUG=1 for the traceback)"
            if failure.startswith("internal") and not reporter.context.debug
            else ""
        )
        reporter.fail(failure + hint)
    try:
        _write_outcome(run, reporter.redact(failure))
        reporter.close()
    except OSError as error:
        reporter.fail(
            f"cannot write the runner's output or summary file: {error.strerror or error}"
        )
        code = code or 1
    return code
