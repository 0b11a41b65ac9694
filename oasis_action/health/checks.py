"""The built-in doctor checks."""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from oasis_action import gpu
from oasis_action.fsutil import confined_file
from oasis_action.health import Finding, register
from oasis_action.health.repo import RepoContext, git

WORKFLOW_DIRS = (".github/workflows/",)


def newer_target(root: Path) -> str:
    """The project's minimum Python when it is newer than the one running (its syntax cannot
    be judged here), else ''."""
    import sys

    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        wanted = SpecifierSet(str(data.get("project", {}).get("requires-python", "")))
    except (OSError, tomllib.TOMLDecodeError, InvalidSpecifier):
        return ""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not str(wanted) or wanted.contains(running):
        return ""
    return str(wanted)


@register("python-syntax", "every Python file compiles")
def python_syntax(context: RepoContext) -> Iterator[Finding]:
    target = None
    for name in context.files_with_suffix(".py"):
        source = (context.root / name).read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(source, name, "exec", dont_inherit=True)
        except SyntaxError as error:
            target = newer_target(context.root) if target is None else target
            if target:
                message = f"not judged: the project requires Python {target}, newer than this one ({error.msg})"
                yield Finding("python-syntax", "info", message, name, error.lineno)
                continue
            yield Finding(
                "python-syntax", "error", f"{type(error).__name__}: {error.msg}", name, error.lineno
            )
        except ValueError as error:
            yield Finding("python-syntax", "error", f"cannot compile: {error}", name, 1)


def _yaml_error_line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


JINJA = ("{%", "{{", "{#")


@register("yaml", "every YAML file parses; workflow files have the keys a workflow needs")
def yaml_health(context: RepoContext) -> Iterator[Finding]:
    """Parsed as its consumer reads it: a tag such as mkdocs' `!!python/name:` is the
    consumer's business (only the syntax is checked), and a Jinja template (a conda recipe's
    meta.yaml) is YAML only after rendering, so it is noted, not judged."""
    for name in context.files_with_suffix(".yml", ".yaml"):
        text = (context.root / name).read_text(encoding="utf-8", errors="replace")
        try:
            nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError as error:
            if any(marker in text for marker in JINJA):
                yield Finding("yaml", "info", "a Jinja template: checked after rendering", name)
                continue
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            yield Finding(
                "yaml", "error", f"invalid YAML: {problem}", name, _yaml_error_line(error)
            )
            continue
        if name.startswith(WORKFLOW_DIRS) and nodes:
            yield from _workflow_findings(name, nodes[0])


def _mapping_items(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key, value) for key, value in node.value}


def _workflow_findings(name: str, root: yaml.Node | None) -> Iterator[Finding]:
    if not isinstance(root, yaml.MappingNode):
        yield Finding("workflow", "error", "a workflow must be a mapping", name, 1)
        return
    keys = _mapping_items(root)
    if "on" not in keys:
        yield Finding("workflow", "error", "workflow has no `on:` trigger", name, 1)
    if "jobs" not in keys:
        yield Finding("workflow", "error", "workflow has no `jobs:`", name, 1)
        return
    jobs_key, jobs = keys["jobs"]
    if not _mapping_items(jobs):
        yield Finding(
            "workflow",
            "error",
            "`jobs:` must map job ids to jobs",
            name,
            jobs_key.start_mark.line + 1,
        )
        return
    for job_id, (job_key, job) in _mapping_items(jobs).items():
        yield from _job_findings(name, job_id, job_key, job)


def _job_findings(name: str, job_id: str, job_key: yaml.Node, job: yaml.Node) -> Iterator[Finding]:
    fields = _mapping_items(job)
    line = job_key.start_mark.line + 1
    if "runs-on" not in fields and "uses" not in fields:
        yield Finding(
            "workflow", "error", f"job `{job_id}` needs `runs-on` (or `uses`)", name, line
        )
    if "steps" not in fields:
        if "uses" not in fields:
            yield Finding("workflow", "error", f"job `{job_id}` has no `steps`", name, line)
        return
    steps_key, steps = fields["steps"]
    if not isinstance(steps, yaml.SequenceNode):
        yield Finding(
            "workflow",
            "error",
            f"`steps` of job `{job_id}` must be a list",
            name,
            steps_key.start_mark.line + 1,
        )
        return
    for step in steps.value:
        step_fields = _mapping_items(step)
        if "uses" not in step_fields and "run" not in step_fields:
            message = f"a step of job `{job_id}` has neither `uses` nor `run`"
            yield Finding("workflow", "error", message, name, step.start_mark.line + 1)


@register("gpu", "GPU availability for training (reported, never required)")
def gpu_availability(context: RepoContext) -> Iterator[Finding]:
    report = gpu.detect()
    if report.opencl_platforms:
        yield Finding("gpu", "info", "OpenCL platforms: " + ", ".join(report.opencl_platforms))
    if report.nvidia_devices:
        yield Finding("gpu", "info", "NVIDIA GPUs: " + "; ".join(report.nvidia_devices))
    if not report.gpu_available:
        notes = "; ".join(report.notes)
        yield Finding("gpu", "info", f"no GPU for LightGBM ({notes}); training uses the CPU")


def declared_requirements(root: Path) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, requirement text) for pyproject's [project].dependencies and requirements*.txt."""
    pyproject = root / "pyproject.toml"
    if confined_file(root, pyproject):
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError:
            data = {}
        for text in data.get("project", {}).get("dependencies", []):
            yield "pyproject.toml", _line_of(pyproject, text), text
    for requirements in sorted(root.glob("requirements*.txt")):
        if not confined_file(root, requirements):
            continue
        lines = requirements.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, text in _logical_lines(lines):
            if text and not text.startswith(("-", "git+", "http")):
                yield requirements.name, number, text


def _logical_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """pip's view of a requirements file: `\\` continues a line, `--hash=...` and other
    options after a requirement are pip's, comments are dropped."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(lines, start=1):
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        if not parts:
            start = number
        parts.append(line.rstrip().removesuffix("\\"))
        if line.rstrip().endswith("\\"):
            continue
        words = " ".join(parts).split()
        kept = (
            [w for w in words if not w.startswith("--")]
            if words and not words[0].startswith("-")
            else words
        )
        parts = []
        yield start, " ".join(kept).strip()


def _line_of(path: Path, needle: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    return None


def _requirement_finding(file: str, line: int | None, text: str) -> Finding | None:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        return Finding(
            "dependencies",
            "error",
            f"invalid requirement {text[:80]!r}: {str(error)[:160]}",
            file,
            line,
        )
    if requirement.marker is not None and not requirement.marker.evaluate():
        return None
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return Finding(
            "dependencies", "warning", f"`{requirement.name}` is not installed", file, line
        )
    if requirement.specifier and not requirement.specifier.contains(installed, prereleases=True):
        message = f"`{requirement.name}` {installed} is installed; {text!r} is required"
        return Finding("dependencies", "warning", message, file, line)
    return None


@register("dependencies", "declared requirements are installed at fitting versions")
def dependencies(context: RepoContext) -> Iterable[Finding]:
    found = (_requirement_finding(*entry) for entry in declared_requirements(context.root))
    return [finding for finding in found if finding is not None]


@register("git", "git state: uncommitted changes, untracked files, detached HEAD")
def git_state(context: RepoContext) -> Iterator[Finding]:
    if not context.is_git:
        yield Finding("git", "info", "not a git repository")
        return
    status = git(context.root, "status", "--porcelain=v2", "--branch")
    if status.returncode != 0:
        yield Finding("git", "warning", f"git status failed: {status.stderr.strip()}")
        return
    changed = [line for line in status.stdout.splitlines() if line[:2] in ("1 ", "2 ", "u ")]
    untracked = [line[2:] for line in status.stdout.splitlines() if line.startswith("? ")]
    if "# branch.head (detached)" in status.stdout:
        yield Finding("git", "info", "HEAD is detached (normal in a CI checkout of a pull request)")
    if changed:
        yield Finding("git", "warning", f"{len(changed)} file(s) with uncommitted changes")
    if untracked:
        shown = ", ".join(untracked[:5]) + (" ..." if len(untracked) > 5 else "")
        yield Finding("git", "info", f"{len(untracked)} untracked file(s): {shown}")
