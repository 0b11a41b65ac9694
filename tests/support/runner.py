"""Run an action the way the GitHub runner does (../shared/spec/runner.md), in two modes.

- ``run_local``: ``python -m oasis_action`` in a subprocess, with the runner's exact environment
  and temp folders standing for /github/workspace, /github/workflow and /github/file_commands.
- ``run_docker``: the real image, ``docker run`` with the runner's flags, mounts and env, the
  workspace owned by uid 1001 like a hosted runner's.

Both read ``$GITHUB_OUTPUT`` back with the runner's rules and collect annotations.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import PROJECT_ROOT

RUNNER_UID = 1001
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


class FileCommandError(ValueError):
    """The file would make the runner fail the step."""


def parse_file_command(text: str) -> dict[str, str]:
    """`NAME=VALUE` and `NAME<<DELIM` heredocs, exactly as the runner reads $GITHUB_OUTPUT."""
    values: dict[str, str] = {}
    if text and not text.endswith("\n"):
        raise FileCommandError("last line does not end with a newline")
    lines = text.split("\n")[:-1] if text else []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if heredoc != -1 and (equals == -1 or heredoc < equals):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            if not name or not delimiter:
                raise FileCommandError(f"invalid heredoc header {line!r}")
            try:
                end = lines.index(delimiter, index)
            except ValueError:
                raise FileCommandError(f"no closing delimiter for {name!r}") from None
            values[name] = "\n".join(lines[index:end])
            index = end + 1
        elif equals > 0:
            values[line[:equals]] = line[equals + 1 :]
        else:
            raise FileCommandError(f"invalid line {line!r}")
    return values


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


COMMAND_LINE = re.compile(r"^::(?P<command>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def parse_commands(stdout: str, command: str | None = None) -> list[dict[str, Any]]:
    """Workflow commands in a log, with properties and message unescaped as the runner does."""
    found = []
    for line in stdout.splitlines():
        match = COMMAND_LINE.match(line)
        if not match or (command and match["command"] != command):
            continue
        props = {}
        for pair in filter(None, (match["props"] or "").split(",")):
            key, _, value = pair.partition("=")
            props[key] = unescape_property(value)
        found.append(
            {"command": match["command"], "message": unescape_data(match["message"]), **props}
        )
    return found


def annotations(stdout: str) -> list[dict[str, Any]]:
    return [c for c in parse_commands(stdout) if c["command"] in ("error", "warning", "notice")]


@dataclass
class ActionSpec:
    """An action.yml as the runner reads it."""

    path: Path
    inputs: dict[str, dict[str, Any]]
    args: list[str]
    runs_env: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> ActionSpec:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        runs = data["runs"]
        return cls(
            path,
            data.get("inputs") or {},
            [str(a) for a in runs.get("args", [])],
            runs.get("env") or {},
        )

    def input_env(self, given: dict[str, str], github_token: str) -> dict[str, str]:
        """Every declared input present: the given value, else its default (expressions evaluated)."""
        unknown = set(given) - set(self.inputs)
        if unknown:
            raise ValueError(f"inputs not declared in {self.path}: {sorted(unknown)}")
        env = {}
        for name, spec in self.inputs.items():
            value = given.get(name, str(spec.get("default", "")) if spec else "")
            value = EXPRESSION.sub(lambda m: _evaluate(m.group(1), github_token), value)
            env["INPUT_" + name.replace(" ", "_").upper()] = value
        return env

    def resolved_args(self, input_env: dict[str, str]) -> list[str]:
        def substitute(match: re.Match[str]) -> str:
            expression = match.group(1)
            if not expression.startswith("inputs."):
                raise ValueError(f"runs.args may only use inputs: {expression}")
            return input_env["INPUT_" + expression[len("inputs.") :].upper()]

        return [EXPRESSION.sub(substitute, arg) for arg in self.args]


def _evaluate(expression: str, github_token: str) -> str:
    if expression == "github.token":
        return github_token
    raise ValueError(f"the harness cannot evaluate ${{{{ {expression} }}}}")


@dataclass
class ActionResult:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    annotations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    @property
    def shown_log(self) -> str:
        """The log as the runner shows it: `::add-mask::` commands are consumed, not shown."""
        return "\n".join(
            line for line in self.log.splitlines() if not line.startswith("::add-mask::")
        )


@dataclass
class RunnerSandbox:
    """The folders the runner makes for one step: workspace, runner temp, home, workflow, file commands."""

    root: Path
    workspace: Path

    @classmethod
    def create(cls, root: Path, workspace: Path | None = None) -> RunnerSandbox:
        temp = root / "runner_temp"
        for sub in ("_github_home", "_github_workflow", "_runner_file_commands"):
            (temp / sub).mkdir(parents=True, exist_ok=True)
        workspace = workspace or root / "workspace"
        workspace.mkdir(parents=True, exist_ok=True)
        return cls(temp, workspace)

    @property
    def file_commands(self) -> Path:
        return self.root / "_runner_file_commands"

    def new_step_files(self) -> dict[str, Path]:
        """Fresh empty file-command files, as the runner makes for every step."""
        step = uuid.uuid4()
        names = {
            "GITHUB_OUTPUT": f"set_output_{step}",
            "GITHUB_ENV": f"set_env_{step}",
            "GITHUB_PATH": f"add_path_{step}",
            "GITHUB_STEP_SUMMARY": f"step_summary_{step}",
            "GITHUB_STATE": f"save_state_{step}",
        }
        files = {key: self.file_commands / name for key, name in names.items()}
        for path in files.values():
            path.write_text("")
        return files


def runner_env(
    *,
    container_paths: bool,
    sandbox: RunnerSandbox,
    step_files: dict[str, Path],
    input_env: dict[str, str],
    runs_env: dict[str, str],
    github: dict[str, str],
    step_env: dict[str, str] | None = None,
) -> dict[str, str]:
    """The step's environment with the runner's precedence, low to high:
    step `env:` < INPUT_* < runs.env (fills missing keys only) < HOME < GITHUB_*, RUNNER_* < ACTIONS_*.
    """
    env: dict[str, str] = dict(step_env or {})
    env.update(input_env)
    for key, value in runs_env.items():
        env.setdefault(key, value)
    if container_paths:
        paths = {
            "HOME": "/github/home",
            "GITHUB_WORKSPACE": "/github/workspace",
            "RUNNER_TEMP": "/github/runner_temp",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        }
        files = {key: f"/github/file_commands/{path.name}" for key, path in step_files.items()}
    else:
        paths = {
            "HOME": str(sandbox.root / "_github_home"),
            "GITHUB_WORKSPACE": str(sandbox.workspace),
            "RUNNER_TEMP": str(sandbox.root),
            "GITHUB_EVENT_PATH": str(sandbox.root / "_github_workflow" / "event.json"),
        }
        files = {key: str(path) for key, path in step_files.items()}
    env["HOME"] = paths.pop("HOME")
    env.update(paths)
    env.update(files)
    env.update({"GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_OS": "Linux"})
    env.update(github)
    return env


DEFAULT_GITHUB = {
    "GITHUB_API_URL": "http://127.0.0.1:9/api/v3",
    "GITHUB_REPOSITORY": "octo-org/octo-repo",
    "GITHUB_EVENT_NAME": "workflow_dispatch",
    "GITHUB_SHA": "0" * 40,
    "GITHUB_REF": "refs/heads/main",
    "GITHUB_RUN_ID": "1",
    "GITHUB_RUN_ATTEMPT": "1",
    "GITHUB_ACTOR": "octocat",
}


@dataclass
class Step:
    """One `uses:` step: which action, its `with:` inputs, the event, the token."""

    action: Path
    inputs: dict[str, str] = field(default_factory=dict)
    event: dict[str, Any] = field(default_factory=dict)
    github: dict[str, str] = field(default_factory=dict)
    token: str = "ghs_" + "t0kEn" * 7
    step_env: dict[str, str] = field(default_factory=dict)


def _prepare(
    step: Step, sandbox: RunnerSandbox, container_paths: bool
) -> tuple[dict[str, str], list[str], dict[str, Path]]:
    spec = ActionSpec.load(step.action)
    input_env = spec.input_env(step.inputs, step.token)
    (sandbox.root / "_github_workflow" / "event.json").write_text(json.dumps(step.event))
    step_files = sandbox.new_step_files()
    env = runner_env(
        container_paths=container_paths,
        sandbox=sandbox,
        step_files=step_files,
        input_env=input_env,
        runs_env=spec.runs_env,
        github={**DEFAULT_GITHUB, **step.github},
        step_env=step.step_env,
    )
    return env, spec.resolved_args(input_env), step_files


def read_exact(path: Path) -> str:
    """The file's text with no newline translation (the runner keeps a lone `\r`)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _result(
    completed: subprocess.CompletedProcess[str], step_files: dict[str, Path]
) -> ActionResult:
    return ActionResult(
        returncode=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
        outputs=parse_file_command(read_exact(step_files["GITHUB_OUTPUT"])),
        summary=read_exact(step_files["GITHUB_STEP_SUMMARY"]),
        annotations=annotations(completed.stdout + "\n" + completed.stderr),
    )


def run_local(step: Step, sandbox: RunnerSandbox, timeout: float = 300) -> ActionResult:
    """`python -m oasis_action <args>` with the runner's environment, in the workspace."""
    env, args, step_files = _prepare(step, sandbox, container_paths=False)
    passthrough = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "PYTHONPATH", "LANG", "SYSTEMROOT") or k.startswith("COVERAGE")
    }
    completed = subprocess.run(
        [sys.executable, "-m", "oasis_action", *args],
        cwd=sandbox.workspace,
        env={**passthrough, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return _result(completed, step_files)


def run_inprocess(step: Step, sandbox: RunnerSandbox, connector: Any = None) -> ActionResult:
    """The same step through `oasis_action.main.main` in this process (fast; for fault scenarios)."""
    import io

    from oasis_action.main import main

    env, args, step_files = _prepare(step, sandbox, container_paths=False)
    stdout, stderr = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(sandbox.workspace)
    try:
        code = main(args, env, stdout, stderr, connector)
    finally:
        os.chdir(here)
    return _result(
        subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue()), step_files
    )


def give_to_runner_user(path: Path) -> None:
    """chown -R to uid 1001, as the workspace of a hosted runner is (needs root here)."""
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.lchown(name, RUNNER_UID, RUNNER_UID)


def docker_run_command(
    image: str,
    env: dict[str, str],
    args: list[str],
    sandbox: RunnerSandbox,
    network: str | None = None,
) -> list[str]:
    """The runner's `docker run`, flag for flag (runner.md)."""
    name = f"oasis_{uuid.uuid4().hex[:12]}"
    command = [
        "docker",
        "run",
        "--name",
        name,
        "--label",
        "oasis-test-harness",
        "--workdir",
        "/github/workspace",
        "--rm",
    ]
    for key in env:
        command += ["-e", key]
    if network:
        command += ["--network", network]
    command += [
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock",
        "-v",
        f"{sandbox.root}:/github/runner_temp",
        "-v",
        f"{sandbox.root / '_github_home'}:/github/home",
        "-v",
        f"{sandbox.root / '_github_workflow'}:/github/workflow",
        "-v",
        f"{sandbox.file_commands}:/github/file_commands",
        "-v",
        f"{sandbox.workspace}:/github/workspace",
        image,
        *args,
    ]
    return command


def run_docker(
    step: Step, sandbox: RunnerSandbox, image: str, network: str | None = None, timeout: float = 600
) -> ActionResult:
    """Run the step in the real image exactly as the runner does (values passed through -e KEY)."""
    env, args, step_files = _prepare(step, sandbox, container_paths=True)
    if os.geteuid() == 0:
        give_to_runner_user(sandbox.workspace)
    docker_env = {"PATH": os.environ.get("PATH", ""), **env}
    completed = subprocess.run(
        docker_run_command(image, env, args, sandbox, network),
        env=docker_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return _result(completed, step_files)


def docker_available() -> tuple[bool, str]:
    if shutil.which("docker") is None:
        return False, "the docker CLI is not installed"
    probe = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return False, "no Docker engine answers (`docker info` failed)"
    return True, ""


def build_image(base_image: str, tag: str) -> None:
    """`docker build` the way the runner does: -f <abs Dockerfile> <dir of Dockerfile>."""
    dockerfile = PROJECT_ROOT / "Dockerfile"
    subprocess.run(
        [
            "docker",
            "build",
            "-q",
            "--build-arg",
            f"BASE_IMAGE={base_image}",
            "-t",
            tag,
            "-f",
            str(dockerfile),
            str(dockerfile.parent),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
