"""Runner I/O at the edge: the only module that knows how the GitHub runner talks to an action.

Everything here works from a ``Mapping[str, str]`` (the process environment in production, a
dict in tests). Rendering is pure (``render_*`` functions return text); the :class:`Reporter`
writes. Outside Actions (no ``GITHUB_ACTIONS=true``) the same calls print plain human output,
so the CLI and the action share every line of logic.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from oasis_action.options import Option

SUMMARY_LIMIT_BYTES = 1024 * 1024
SUMMARY_TRUNCATION_NOTE = (
    "\n\n> **Note:** this summary was truncated to stay under GitHub's 1 MiB limit.\n"
)
MASK = "***"


def escape_data(text: str) -> str:
    """Escape a workflow-command message (`%` first, then CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)
"""Where the runner would read a workflow command (`::add-mask::x`, `::stop-commands::t`, or the
legacy `##[set-output ...]`) at the start of a line."""


def neutralise(text: str) -> str:
    """Untrusted text (a log excerpt, a job or file name) that cannot act as a workflow command:
    a zero-width space after the first character of every command start. It reads the same."""
    return COMMAND_START.sub(lambda m: f"{m.group(1)}{m.group(2)[0]}\u200b{m.group(2)[1:]}", text)


def escape_property(text: str) -> str:
    """Escape a workflow-command property value: as data, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_command(command: str, message: str, properties: Mapping[str, Any] | None = None) -> str:
    """One workflow command line, e.g. ``::error file=a.py,line=3::boom``."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (properties or {}).items()
        if value is not None and value != ""
    )
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{escape_data(message)}"


def render_output(name: str, value: str, delimiter: str | None = None) -> str:
    """A `$GITHUB_OUTPUT` entry in heredoc form, with a delimiter that cannot occur in the value."""
    if "\n" in name or "\r" in name or "=" in name or "<<" in name:
        raise ValueError(f"output name {name!r} is not a valid name")
    delimiter = delimiter or f"ghadelimiter_{uuid.uuid4()}"
    if delimiter in value or delimiter in name:
        raise ValueError("output delimiter occurs in the value")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def truncate_summary(markdown: str, limit: int = SUMMARY_LIMIT_BYTES) -> str:
    """The summary, cut at a line boundary with a note when it would reach `limit` bytes."""
    data = markdown.encode("utf-8")
    if len(data) < limit:
        return markdown
    room = limit - len(SUMMARY_TRUNCATION_NOTE.encode("utf-8")) - 1
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + SUMMARY_TRUNCATION_NOTE


def input_values(env: Mapping[str, str], options: Sequence[Option]) -> dict[str, str]:
    """Raw input strings as the runner passes them (`INPUT_MAX-ATTEMPTS`), keyed by attr."""
    return {
        option.attr: env[option.env_name]
        for option in options
        if not option.cli_only and option.env_name in env
    }


SECRET_VARIABLES = ("OASIS_SLACK_WEBHOOK", "OASIS_SMTP_PASSWORD")
"""Secrets OASIS reads from the environment; masked like the token."""


@dataclass(frozen=True)
class RunnerContext:
    """What the runner tells an action about where it runs. Built once, from the environment."""

    in_actions: bool
    workspace: Path
    event_name: str = ""
    event_path: Path | None = None
    repository: str = ""
    api_url: str = "https://api.github.com"
    sha: str = ""
    ref: str = ""
    run_id: str = ""
    run_attempt: str = ""
    actor: str = ""
    output_path: Path | None = None
    summary_path: Path | None = None
    token: str = field(default="", repr=False)
    debug: bool = False
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    state_dir: str = ".oasis"
    """OASIS's own folder, relative to the workspace (OASIS_STATE_DIR)."""
    server_url: str = "https://github.com"

    @property
    def repository_url(self) -> str:
        """The repository's web address (commit and pull request links), '' without one."""
        return self.url_of(self.repository)

    def url_of(self, repository: str | None) -> str:
        """The web address of `repository` (owner/name) on this run's GitHub."""
        return f"{self.server_url.rstrip('/')}/{repository}" if repository else ""

    def secret(self, name: str) -> str:
        """A secret passed through the environment (one of SECRET_VARIABLES), or ''."""
        return self.secrets.get(name, "")

    def writable(self, given: str | Path, what: str) -> Path:
        """A path OASIS will write to: never through a link, and inside the workspace in Actions
        (on the command line the user's own absolute path is theirs to choose)."""
        from oasis_action.fsutil import writable_path

        return writable_path(self.workspace, given, self.in_actions, what)

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: Path | None = None) -> RunnerContext:
        """Read the context; the token comes from the `github-token` input, else GITHUB_TOKEN."""
        in_actions = env.get("GITHUB_ACTIONS", "") == "true"
        here = cwd or Path.cwd()
        workspace = (
            Path(env["GITHUB_WORKSPACE"]) if in_actions and env.get("GITHUB_WORKSPACE") else here
        )
        token = env.get("INPUT_GITHUB-TOKEN", "").strip() or env.get("GITHUB_TOKEN", "").strip()
        return cls(
            in_actions=in_actions,
            workspace=workspace,
            event_name=env.get("GITHUB_EVENT_NAME", ""),
            event_path=_path_or_none(env.get("GITHUB_EVENT_PATH")),
            repository=env.get("GITHUB_REPOSITORY", ""),
            api_url=env.get("GITHUB_API_URL", "") or "https://api.github.com",
            sha=env.get("GITHUB_SHA", ""),
            ref=env.get("GITHUB_REF", ""),
            run_id=env.get("GITHUB_RUN_ID", ""),
            run_attempt=env.get("GITHUB_RUN_ATTEMPT", ""),
            actor=env.get("GITHUB_ACTOR", ""),
            output_path=_path_or_none(env.get("GITHUB_OUTPUT")) if in_actions else None,
            summary_path=_path_or_none(env.get("GITHUB_STEP_SUMMARY")) if in_actions else None,
            token=token,
            debug=env.get("RUNNER_DEBUG") == "1" or env.get("OASIS_DEBUG", "") not in ("", "0"),
            secrets={name: env[name] for name in SECRET_VARIABLES if env.get(name)},
            state_dir=env.get("OASIS_STATE_DIR", "").strip() or ".oasis",
            server_url=env.get("GITHUB_SERVER_URL", "").strip() or "https://github.com",
        )


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


@dataclass
class Annotation:
    """A problem pinned to a file and line (an `::error` in Actions, `file:line:` elsewhere)."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    end_line: int | None = None
    col: int | None = None
    title: str | None = None

    def properties(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "endLine": self.end_line,
            "col": self.col,
            "title": self.title,
        }

    def render_plain(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        return f"{where + ': ' if where else ''}{self.level}: {self.message}"


class Reporter:
    """Every line an OASIS command shows, in Actions form or plain form, with secrets masked."""

    def __init__(
        self,
        context: RunnerContext,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.context = context
        self.actions = context.in_actions
        self._stdout = stdout or sys.stdout
        self._stderr = stderr or sys.stderr
        self._secrets: list[str] = []
        self._summary: list[str] = []
        self.outputs: dict[str, str] = {}
        self.annotations: list[Annotation] = []

    def mask(self, secret: str) -> None:
        """Hide `secret` from every later line; in Actions also tell the runner to mask it."""
        if not secret or secret in self._secrets:
            return
        self._secrets.append(secret)
        self._secrets.sort(key=len, reverse=True)
        if self.actions:
            self._emit(
                self._stdout, f"::add-mask::{escape_data(secret)}", masked=False, command=True
            )

    def redact(self, text: str) -> str:
        """`text` with every registered secret replaced by `***`."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _emit(self, stream: TextIO, line: str, masked: bool = True, command: bool = False) -> None:
        text = self.redact(line) if masked else line
        if self.actions and not command:
            text = neutralise(text)
        stream.write(text + "\n")
        stream.flush()

    def info(self, message: str) -> None:
        """A progress or log line."""
        self._emit(self._stdout, message)

    @property
    def interactive(self) -> bool:
        """A person watches a terminal (not Actions, stderr a TTY): a progress bar fits."""
        return not self.actions and bool(getattr(self._stderr, "isatty", lambda: False)())

    def progress_bar(self, total: int, unit: str) -> Any:
        """A tqdm bar on stderr (call only when interactive)."""
        from tqdm import tqdm

        return tqdm(total=total, unit=unit, file=self._stderr, leave=False, dynamic_ncols=True)

    def progress(self, message: str) -> None:
        """Progress of long work: in the log in Actions, on stderr in a terminal (stdout stays data)."""
        self._emit(self._stdout if self.actions else self._stderr, message)

    def result(self, text: str) -> None:
        """The command's result on stdout (a table, JSON)."""
        self._emit(self._stdout, text)

    def debug(self, message: str) -> None:
        if self.actions:
            self._emit(self._stdout, render_command("debug", message), command=True)
        elif self.context.debug:
            self._emit(self._stderr, f"debug: {message}")

    def annotate(self, annotation: Annotation) -> None:
        """An error/warning/notice, pinned to a file and line when known."""
        self.annotations.append(annotation)
        if self.actions:
            line = render_command(annotation.level, annotation.message, annotation.properties())
            self._emit(self._stdout, line, command=True)
        else:
            self._emit(self._stderr, annotation.render_plain())

    def fail(self, message: str) -> None:
        """The one line that explains a failed run, on stderr."""
        if self.actions:
            self._emit(self._stderr, render_command("error", message), command=True)
        else:
            self._emit(self._stderr, f"oasis: error: {message}")

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        """A foldable log group in Actions; a heading elsewhere."""
        self._emit(
            self._stdout,
            f"::group::{escape_data(title)}" if self.actions else f"== {title}",
            command=True,
        )
        try:
            yield
        finally:
            if self.actions:
                self._emit(self._stdout, "::endgroup::", command=True)

    def set_output(self, name: str, value: object) -> None:
        """Record an output; in Actions append it to `$GITHUB_OUTPUT` (heredoc form)."""
        text = self.redact(value if isinstance(value, str) else _to_text(value))
        self.outputs[name] = text
        if self.actions and self.context.output_path is not None:
            with open(self.context.output_path, "a", encoding="utf-8", newline="\n") as handle:
                handle.write(render_output(name, text))

    def summary(self, markdown: str) -> None:
        """Add Markdown to the step summary (written once, at close)."""
        self._summary.append(markdown)

    def summary_text(self) -> str:
        return truncate_summary(self.redact("\n".join(self._summary)))

    def close(self) -> None:
        """Flush the step summary, truncated below GitHub's 1 MiB limit."""
        if not (self._summary and self.actions and self.context.summary_path is not None):
            return
        with open(self.context.summary_path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(self.summary_text() + "\n")


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, sort_keys=True)
    return str(value)
