"""MkDocs hook: action pages and the CLI reference are generated at build time, from the
action.yml files and the CLI's own parsers, so the site cannot drift from the code."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = re.compile(r"\{\{ action: ([\w-]+) \}\}")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def action_page(name: str) -> str:
    path = ROOT / "action.yml" if name == "oasis" else ROOT / "actions" / name / "action.yml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    uses = "octo-org/oasis@<sha>" if name == "oasis" else f"octo-org/oasis/actions/{name}@<sha>"
    lines = [spec["description"], "", "```yaml", f"- uses: {uses}", "```", "", "## Inputs", ""]
    lines += ["| input | default | required | description |", "|---|---|---|---|"]
    for key, item in spec.get("inputs", {}).items():
        default = item.get("default", "")
        lines.append(
            f"| `{key}` | `{_cell(default)}` | {'yes' if item.get('required') else 'no'} | {_cell(item['description'])} |"
        )
    lines += ["", "## Outputs", "", "| output | description |", "|---|---|"]
    lines += [
        f"| `{key}` | {_cell(item['description'])} |"
        for key, item in spec.get("outputs", {}).items()
    ]
    lines += [
        "",
        f"Runs `python -m oasis_action {' '.join(spec['runs'].get('args', []))}` in the OASIS image (`{spec['runs']['image']}`).",
    ]
    return "\n".join(lines)


def cli_reference() -> str:
    sys.path.insert(0, str(ROOT))
    from oasis_action.main import build_parser, top_level_help
    from oasis_action.registry import COMMANDS, load

    parts = ["```text", top_level_help().rstrip(), "```"]
    for name in COMMANDS:
        parts += [
            f"## oasis {name}",
            "",
            "```text",
            build_parser(name, load(name).OPTIONS).format_help().rstrip(),
            "```",
            "",
        ]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    markdown = ACTION.sub(lambda m: action_page(m.group(1)), markdown)
    return markdown.replace("{{ cli }}", cli_reference()) if "{{ cli }}" in markdown else markdown
