"""`nightly-heal` (schedule): doctor, an auto-fix PR when `fix`, and one health issue kept current.

The issue is found by its label, created once, then edited; it is closed when the repository is
healthy again and reopened when it is not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.github.events import read_supported_event
from oasis_action.github.port import FullPort
from oasis_action.healing.fixpr import FixOutcome, FixRequest, open_fix_pr, workspace_head
from oasis_action.healing.options import BASE, BRANCH, FIX_PATHS, TOOLS_OPTION, checked_tools
from oasis_action.health import Finding, run_checks
from oasis_action.health.repo import RepoContext
from oasis_action.health.report import render_table, verdict
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.outcome import Outcome, Output

EVENTS = ("schedule", "workflow_dispatch")
LABEL = "oasis:health"
TITLE = "OASIS health report"

OPTIONS = (
    Option(
        "fix", Kind.BOOL, default=True, help="open or update an auto-fix PR for what can be fixed"
    ),
    Option("report-issue", Kind.BOOL, default=True, help="keep one health issue up to date"),
    Option(
        "learn",
        Kind.BOOL,
        default=True,
        help="also run `oasis learn` (history of reruns and flaky tests, on branch oasis-state)",
    ),
    BRANCH,
    BASE,
    TOOLS_OPTION,
    FIX_PATHS,
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("findings", "JSON list of doctor's findings", []),
    Output("pull-number", "the auto-fix pull request"),
    Output("issue-number", "the health issue"),
)


@dataclass(frozen=True)
class Config:
    fix: bool
    report_issue: bool
    learn: bool
    branch: str
    base: str
    tools: tuple[str, ...]
    paths: tuple[str, ...]
    dry_run: bool
    max_api_calls: int
    repo: str | None


def issue_body(findings: list[Finding], fix: FixOutcome | None) -> str:
    counts = Counter(f.severity for f in findings)
    fix_line = ""
    if fix is not None and fix.pull_number:
        fix_line = (
            f"\n\nAuto-fix pull request: #{fix.pull_number} ({len(fix.changed_files)} file(s))."
        )
    return f"### {TITLE}\n\n**{verdict(counts)}**\n\n{render_table(findings)}{fix_line}\n"


def unhealthy(findings: list[Finding], fix: FixOutcome | None) -> bool:
    return any(f.severity in ("error", "warning") for f in findings) or bool(
        fix and fix.pull_number
    )


def keep_issue(
    port: FullPort, findings: list[Finding], fix: FixOutcome | None
) -> tuple[str, int | None]:
    """Create, edit, reopen or close the one health issue. Returns (what was done, its number)."""
    issue = port.find_issue(LABEL)
    body = issue_body(findings, fix)
    if unhealthy(findings, fix):
        if issue is None:
            return "created", port.create_issue(TITLE, body, [LABEL])
        port.edit_issue(issue.number, TITLE, body, "open")
        return ("reopened" if issue.state == "closed" else "updated"), issue.number
    if issue is not None and issue.state == "open":
        port.edit_issue(
            issue.number, TITLE, body + "\nEverything is healthy again; closing.\n", "closed"
        )
        return "closed", issue.number
    return "none", issue.number if issue else None


NIGHTLY_RUNS = 60
NIGHTLY_TEST_RUNS = 10
"""A nightly pass reads the newest runs only (about 70 requests): the heal's own requests
and the learning fit in the default budget of 300; `oasis learn` reads further back."""


def _learn(port: FullPort, ctx: Context) -> str:
    """One learning pass; a failure there (a token without `actions: read`) is said, never
    the heal's failure."""
    from oasis_action.errors import OasisError
    from oasis_action.learning.loop import LearnRequest, learn

    try:
        result = learn(port, LearnRequest(runs=NIGHTLY_RUNS, test_runs=NIGHTLY_TEST_RUNS), ctx)
    except OasisError as error:
        ctx.reporter.info(f"the learning pass stopped: {error}")
        return f"not run ({error})"
    saved = "saved" if result.written else "not saved"
    return f"{result.read} new run(s), {result.failed} failed, {saved}"


def run(config: Config, ctx: Context) -> Outcome:
    read_supported_event(ctx.runner, EVENTS, "nightly-heal")
    tools = checked_tools(config.tools)
    findings = run_checks(RepoContext(ctx.workspace), ())
    fix: FixOutcome | None = None
    issue_action, issue_number = "none", None
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        if config.fix:
            base = config.base or port.default_branch()
            request = FixRequest(
                ctx.workspace,
                config.branch,
                base,
                workspace_head(ctx.workspace),
                tools,
                config.paths,
                "OASIS auto-fix",
            )
            fix = open_fix_pr(port, request)
            ctx.reporter.info(fix.reason)
        if config.report_issue:
            issue_action, issue_number = keep_issue(port, findings, fix)
        learned = _learn(port, ctx) if config.learn else "off"
    healed = fix is not None and fix.action in ("pr-opened", "pr-updated")
    counts = Counter(f.severity for f in findings)
    reason = (
        f"{verdict(counts)}; fix PR: {fix.action if fix else 'off'}; health issue: {issue_action}; "
        f"learn: {learned}"
    )
    ctx.reporter.info(reason)
    return Outcome(
        action_taken="healed" if healed else "reported" if issue_action != "none" else "none",
        reason=reason,
        outputs={
            "findings": [f.to_json() for f in findings],
            "pull-number": (fix.pull_number if fix else None) or "",
            "issue-number": issue_number or "",
        },
        summary=[
            f"## OASIS nightly-heal\n\n{render_table(findings)}\n\n{reason}\n\nAPI calls: {ctx.api_calls}\n"
        ],
    )
