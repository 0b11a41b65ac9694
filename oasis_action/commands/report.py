"""`oasis report`: a weekly digest as Markdown, sent to a Slack incoming webhook and/or by e-mail.

The webhook URL and the SMTP password are secrets: inputs or the environment
(`OASIS_SLACK_WEBHOOK`, `OASIS_SMTP_PASSWORD` read at the edge), masked in every log line.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError, JobFailed
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome

OPTIONS = (
    Option(
        "events",
        metavar="FILE",
        help="the OASIS event store, JSON lines (default: events.jsonl in the state folder)",
    ),
    Option(
        "days", Kind.INT, default=7, minimum=1, maximum=366, help="how far back the digest looks"
    ),
    MODELS,
    Option("slack-webhook", secret=True, help="Slack incoming webhook URL (a secret)"),
    Option("smtp-server", metavar="HOST:PORT", help="SMTP server to send the digest through"),
    Option("mail-from", help="sender address"),
    Option("mail-to", Kind.LIST, default=(), help="comma list of recipients"),
    Option("smtp-user", help="SMTP login (the password comes from OASIS_SMTP_PASSWORD)"),
    Option("output", metavar="FILE", help="also write the digest to this file"),
)


@dataclass(frozen=True)
class Config:
    events: str | None
    days: int
    models: str
    slack_webhook: str | None
    smtp_server: str | None
    mail_from: str | None
    mail_to: tuple[str, ...]
    smtp_user: str | None
    output: str | None


def digest(events: list[dict[str, Any]], history: list[dict[str, Any]], days: int) -> str:
    failures = Counter(str(e.get("category")) for e in events if e.get("event") == "failure")
    total = sum(failures.values())
    counts = Counter(e.get("event") for e in events)
    flaky = Counter(str(e.get("test")) for e in events if e.get("event") == "flaky")
    lines = [
        f"# OASIS weekly digest (last {days} days)",
        "",
        f"**{total} failures classified**, {counts.get('rerun', 0)} reruns (retries saved a human), {counts.get('merge', 0)} merges, {counts.get('close', 0)} closes.",
        "",
    ]
    if failures:
        lines += ["| category | failures | share |", "|---|---|---|"]
        lines += [f"| {c} | {n} | {n / total:.0%} |" for c, n in failures.most_common()]
        lines.append("")
    if flaky:
        lines += [
            "Flakiest tests:",
            *[f"- `{t}` ({n} sightings)" for t, n in flaky.most_common(5)],
            "",
        ]
    if history:
        lines += [
            "Model versions:",
            *[
                f"- {h.get('version')} ({h.get('event')}, {h.get('timestamp', '')[:10]})"
                for h in history[-5:]
            ],
            "",
        ]
    return "\n".join(lines)


def send_slack(url: str, text: str) -> None:
    import requests

    if not url.startswith(("https://", "http://")):
        raise InputError("slack-webhook must be an http(s) URL")
    try:
        answer = requests.post(url, json={"text": text}, timeout=10)
    except requests.RequestException as error:
        raise JobFailed(f"sending to Slack failed: {type(error).__name__}") from None
    if answer.status_code >= 300:
        raise JobFailed(f"Slack answered {answer.status_code}")


def send_mail(config: Config, password: str, text: str) -> None:
    import smtplib
    import ssl
    from email.message import EmailMessage

    if not config.mail_from or not config.mail_to:
        raise InputError("e-mail needs mail-from and mail-to")
    host, _, port = (config.smtp_server or "").partition(":")
    message = EmailMessage()
    message["Subject"] = "OASIS weekly digest"
    message["From"] = config.mail_from
    message["To"] = ", ".join(config.mail_to)
    message.set_content(text)
    try:
        with smtplib.SMTP(host, int(port or 25), timeout=10) as smtp:
            if config.smtp_user:
                smtp.starttls(context=ssl.create_default_context())
                smtp.login(config.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        raise JobFailed(
            f"sending the digest by e-mail failed: {type(error).__name__}: {error}"
        ) from None


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action import events as store
    from oasis_action.fsutil import atomic_write
    from oasis_action.ml.store import ModelStore

    workspace = ctx.runner.workspace
    events = store.read(
        workspace / config.events if config.events else ctx.events_store,
        since=time.time() - config.days * 86400,
    )
    text = digest(events, ModelStore(workspace / config.models).history(), config.days)
    webhook = config.slack_webhook or ctx.runner.secret("OASIS_SLACK_WEBHOOK")
    if webhook:
        ctx.reporter.mask(webhook)
        send_slack(webhook, text)
        ctx.reporter.info("digest sent to Slack")
    if config.smtp_server:
        send_mail(config, ctx.runner.secret("OASIS_SMTP_PASSWORD"), text)
        ctx.reporter.info(f"digest mailed to {', '.join(config.mail_to)}")
    if config.output:
        atomic_write(
            ctx.runner.writable(config.output, "--output"), text + "\n", owner_of=workspace
        )
    ctx.reporter.result(text)
    return Outcome(summary=[text + "\n"])
