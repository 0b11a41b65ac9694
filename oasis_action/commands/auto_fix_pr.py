"""`auto-fix-pr`: auto-fix the checked-out workspace and propose the change as one pull request.

On a failed `workflow_run` whose failed jobs failed on formatting or lint (`lint-format`), it
fixes that pull request's head instead and opens the fix PR into the PR's own branch
(same-repository PRs only: a fork's branch cannot be written with this token).
"""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.github.events import EventContext, ignored_actor, read_supported_event
from oasis_action.github.port import FullPort
from oasis_action.healing.fixpr import MARKER, FixOutcome, FixRequest, open_fix_pr, workspace_head
from oasis_action.healing.options import BASE, BRANCH, FIX_PATHS, TOOLS_OPTION, checked_tools
from oasis_action.markdown import cell, table
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS
from oasis_action.outcome import Outcome, Output
from oasis_action.triage.classifier import classify

EVENTS = ("workflow_dispatch", "schedule", "push", "workflow_run")

OPTIONS = (BRANCH, BASE, TOOLS_OPTION, FIX_PATHS, IGNORE_ACTORS, *GITHUB_OPTIONS)

OUTPUTS = (
    Output("changed-files", "JSON list of the files the fix changed", []),
    Output("pull-number", "the fix pull request"),
)


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
    port: FullPort, config: Config, ctx: Context, event: EventContext
) -> FixOutcome:
    target = lint_failed_pull(port, event, config.repo or ctx.runner.repository)
    if isinstance(target, FixOutcome):
        return target
    number, head_ref, head_sha = target
    workspace = ctx.runner.workspace
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


def run(config: Config, ctx: Context) -> Outcome:
    event = read_supported_event(ctx.runner, EVENTS, "auto-fix-pr")
    ignored = ignored_actor(event, config.ignore_actors)
    if ignored:
        ctx.reporter.info(ignored)
        return Outcome(reason=ignored)
    tools = checked_tools(config.tools)
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        if event.name == "workflow_run":
            fixed = fix_pull_request(port, config, ctx, event)
        else:
            base = config.base or pushed_branch(event, ctx.runner.ref) or port.default_branch()
            request = FixRequest(
                ctx.workspace,
                config.branch,
                base,
                workspace_head(ctx.workspace),
                tools,
                config.paths,
                "OASIS auto-fix",
            )
            fixed = open_fix_pr(port, request)
    return report(ctx, fixed)


def report(ctx: Context, fixed: FixOutcome) -> Outcome:
    ctx.reporter.info(fixed.reason)
    for path in fixed.changed_files:
        ctx.reporter.result(f"fixed {path}")
    number = f"#{fixed.pull_number}" if fixed.pull_number else "-"
    row = (fixed.action, number, len(fixed.changed_files), cell(fixed.reason))
    summary = table(("action", "pull request", "files", "why"), [row])
    return Outcome(
        action_taken=fixed.action,
        reason=fixed.reason,
        outputs={
            "changed-files": list(fixed.changed_files),
            "pull-number": fixed.pull_number or "",
        },
        summary=[f"## OASIS auto-fix-pr\n\n{summary}\n\nAPI calls: {ctx.api_calls}\n"],
    )
