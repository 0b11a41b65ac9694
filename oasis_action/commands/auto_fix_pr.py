"""`auto-fix-pr`: auto-fix the checked-out workspace and propose the change as one pull request.

On a failed `workflow_run` whose failed jobs failed on formatting or lint (`lint-format`), it
fixes that pull request's head instead and opens the fix PR into the PR's own branch
(same-repository PRs only: a fork's branch cannot be written with this token).
"""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.commands.format import TOOLS_OPTION, checked_tools
from oasis_action.errors import InputError
from oasis_action.github.client import connect, settings_for
from oasis_action.github.events import EventContext, read_supported_event, skip_ignored_actor
from oasis_action.github.port import FullPort
from oasis_action.healing.fixpr import MARKER, FixOutcome, FixRequest, open_fix_pr, workspace_head
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, Kind, Option
from oasis_action.runner import Reporter
from oasis_action.triage.classifier import classify

EVENTS = ("workflow_dispatch", "schedule", "push", "workflow_run")

BRANCH = Option("branch", default="oasis/auto-fix", help="the branch OASIS owns for its fix PR")
BASE = Option(
    "base",
    default="",
    help="the branch the fix PR targets (default: the repository's default branch)",
)
FIX_PATHS = Option("paths", Kind.LIST, default=(".",), help="files or folders to fix (comma list)")

OPTIONS = (BRANCH, BASE, TOOLS_OPTION, FIX_PATHS, IGNORE_ACTORS, *GITHUB_OPTIONS)


@dataclass(frozen=True)
class Config:
    branch: str
    base: str
    tools: tuple[str, ...]
    paths: tuple[str, ...]
    ignore_actors: tuple[str, ...]
    dry_run: bool
    max_api_calls: int
    repo: str | None


def pushed_branch(event: EventContext, ref: str) -> str:
    """On a push, the fix goes back into the branch that was pushed (its commits are the parent)."""
    return (
        ref.removeprefix("refs/heads/")
        if event.name == "push" and ref.startswith("refs/heads/")
        else ""
    )


def lint_failed_pull(
    port: FullPort, event: EventContext, repository: str
) -> tuple[int, str, str] | FixOutcome:
    """(PR number, head branch, head sha) of a PR whose run failed on lint-format, or why not.

    A fork's run is refused from the event itself, before any request and before the workflow
    checks anything out: a fork's code never reaches a job that holds a write token, and its
    branch is not ours to write (the fork's own, unprivileged CI can run `oasis auto-fix`)."""
    if event.from_fork(repository):
        return FixOutcome(
            "none",
            f"the run is from a fork ({event.head_repository}): its code never runs with "
            "OASIS's write token; run `oasis auto-fix` in the fork's own CI",
        )
    if event.conclusion != "failure" or event.run_id is None:
        return FixOutcome("none", f"the run did not fail (conclusion: {event.conclusion})")
    run = port.workflow_run(event.run_id)
    categories = {classify(port.job_log(job.id)).category for job in run.failed_jobs}
    if "lint-format" not in categories:
        found = ", ".join(sorted(categories)) or "none"
        return FixOutcome(
            "none", f"the failed jobs are not a formatting failure (categories: {found})"
        )
    if not run.pull_numbers:
        return FixOutcome("none", "the failed run belongs to no pull request")
    state = port.pull_request_state(run.pull_numbers[0])
    if state.from_fork:
        return FixOutcome(
            "none",
            f"pull request #{state.number} comes from a fork; its branch is not ours to write",
        )
    return state.number, state.head_ref, state.head_sha


def fix_pull_request(
    port: FullPort, config: Config, reporter: Reporter, event: EventContext
) -> FixOutcome:
    target = lint_failed_pull(port, event, config.repo or reporter.context.repository)
    if isinstance(target, FixOutcome):
        return target
    number, head_ref, head_sha = target
    workspace = reporter.context.workspace
    if workspace_head(workspace) != head_sha:
        raise InputError(
            f"the workspace is not at pull request #{number}'s head {head_sha[:7]}: check it out "
            "first (actions/checkout with ref: the workflow_run's head_sha)"
        )
    request = FixRequest(
        workspace,
        f"{config.branch}-pr{number}",
        head_ref,
        head_sha,
        checked_tools(config.tools),
        config.paths,
        f"OASIS auto-fix for #{number}",
    )
    outcome = open_fix_pr(port, request)
    if outcome.action == "pr-opened" and outcome.pull_number:
        port.create_comment(
            number,
            f"{MARKER}\nCI failed on formatting; OASIS proposes the fix in #{outcome.pull_number} (into `{head_ref}`).",
        )
    return outcome


def run(config: Config, reporter: Reporter) -> int:
    context = reporter.context
    event = read_supported_event(context, EVENTS, "auto-fix-pr")
    if skip_ignored_actor(event, config.ignore_actors, reporter):
        reporter.set_output("action-taken", "none")
        return 0
    tools = checked_tools(config.tools)
    with connect(
        settings_for(context, config.repo, config.max_api_calls, config.dry_run), reporter.info
    ) as (port, budget):
        if event.name == "workflow_run":
            outcome = fix_pull_request(port, config, reporter, event)
        else:
            base = config.base or pushed_branch(event, context.ref) or port.default_branch()
            request = FixRequest(
                context.workspace,
                config.branch,
                base,
                workspace_head(context.workspace),
                tools,
                config.paths,
                "OASIS auto-fix",
            )
            outcome = open_fix_pr(port, request)
        api_calls = budget.used
    report(reporter, outcome, api_calls)
    return 0


def report(reporter: Reporter, outcome: FixOutcome, api_calls: int) -> None:
    reporter.info(outcome.reason)
    for path in outcome.changed_files:
        reporter.result(f"fixed {path}")
    number = f"#{outcome.pull_number}" if outcome.pull_number else "-"
    reporter.summary(
        f"## OASIS auto-fix-pr\n\n| action | pull request | files | why |\n|---|---|---|---|\n"
        f"| {outcome.action} | {number} | {len(outcome.changed_files)} | {outcome.reason} |\n\nAPI calls: {api_calls}\n"
    )
    reporter.set_output("changed-files", list(outcome.changed_files))
    reporter.set_output("pull-number", outcome.pull_number or "")
    reporter.set_output("action-taken", outcome.action)
    reporter.set_output("reason", outcome.reason)
    reporter.set_output("api-calls", api_calls)
