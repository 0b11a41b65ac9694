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
from typing import Any, NoReturn, TextIO

from oasis_action import __version__
from oasis_action.errors import OasisError, UsageError
from oasis_action.options import Kind, Option, resolve
from oasis_action.registry import COMMANDS, load
from oasis_action.runner import Reporter, RunnerContext, input_values

COMMON_OUTPUTS = {"action-taken": "none", "reason": "", "api-calls": "0"}


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
    text = option.help
    if option.default not in (None, "", ()):
        shown = ",".join(option.default) if isinstance(option.default, tuple) else option.default
        text += f" (default: {shown})"
    return text


def _metavar(option: Option) -> str:
    if option.kind is Kind.CHOICE:
        return "{" + ",".join(option.choices) + "}"
    return {Kind.INT: "N", Kind.FLOAT: "X", Kind.LIST: "A,B,..."}.get(option.kind, "TEXT")


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
            parser.add_argument(
                *flags,
                dest=option.attr,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=_help_for(option),
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
    name = args.pop(0) if args else (env.get("INPUT_COMMAND", "").strip() if in_actions else "")
    if not name:
        raise UsageError("no command given: pass one as the first argument or the `command` input")
    if name not in COMMANDS:
        close = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else "; see `oasis --help`"
        raise UsageError(f"unknown command `{name}`{hint}")
    return name


def _raw_values(
    options: Sequence[Option], flags: dict[str, Any], env: Mapping[str, str], in_actions: bool
) -> tuple[dict[str, Any], set[str]]:
    """Values before parsing, and the attrs that came from the command line."""
    raw: dict[str, Any] = input_values(env, options) if in_actions else {}
    from_flags = {attr for attr, value in flags.items() if value is not None}
    raw.update({attr: flags[attr] for attr in from_flags})
    return raw, from_flags


def _dispatch(args: list[str], env: Mapping[str, str], reporter: Reporter) -> int:
    in_actions = reporter.actions
    if args and args[0] in ("-h", "--help"):
        reporter.result(top_level_help())
        return 0
    if args and args[0] == "--version":
        reporter.result(f"oasis {__version__}")
        return 0
    name = _choose_command(args, env, in_actions)
    module = load(name)
    parser = build_parser(name, module.OPTIONS)
    try:
        flags = vars(parser.parse_args(args))
    except SystemExit as stop:  # --help
        return int(stop.code or 0)
    raw, from_flags = _raw_values(module.OPTIONS, flags, env, in_actions)

    def label_for(option: Option) -> str:
        if option.attr in from_flags or not in_actions:
            return f"--{option.name}" if not option.positional else option.name.upper()
        return f"input '{option.name}'"

    for option in module.OPTIONS:
        if option.secret and isinstance(raw.get(option.attr), str):
            reporter.mask(raw[option.attr])
    config = module.Config(**resolve(module.OPTIONS, raw, label_for))
    return int(module.run(config, reporter))


def _set_common_outputs(reporter: Reporter, failure: str) -> None:
    defaults = {**COMMON_OUTPUTS, "reason": failure} if failure else COMMON_OUTPUTS
    for name, default in defaults.items():
        if name not in reporter.outputs:
            reporter.set_output(name, default)


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command; returns the exit code (0 ok, 1 job failure, 2 bad usage or input)."""
    env = os.environ if environ is None else environ
    args = list(sys.argv[1:] if argv is None else argv)
    reporter = Reporter(RunnerContext.from_env(env), stdout, stderr)
    reporter.mask(reporter.context.token)
    for value in reporter.context.secrets.values():
        reporter.mask(value)
    failure = ""
    try:
        code = _dispatch(args, env, reporter)
    except OasisError as error:
        failure, code = str(error), error.exit_code
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
    if reporter.actions:
        _set_common_outputs(reporter, reporter.redact(failure))
    reporter.close()
    return code
