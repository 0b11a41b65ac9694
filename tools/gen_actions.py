"""Write the inputs and outputs of every action.yml from the commands' declarations.

python tools/gen_actions.py          rewrite the files
python tools/gen_actions.py --check  exit 1 naming the files that differ
"""

from __future__ import annotations

import sys
from pathlib import Path

from oasis_action.actionspec import render

ROOT = Path(__file__).resolve().parents[1]


def action_files() -> list[tuple[Path, str | None]]:
    files: list[tuple[Path, str | None]] = [(ROOT / "action.yml", None)]
    files += [(path, path.parent.name) for path in sorted(ROOT.glob("actions/*/action.yml"))]
    return files


def main(argv: list[str]) -> int:
    stale = []
    for path, command in action_files():
        text = path.read_text(encoding="utf-8")
        wanted = render(text, command)
        if wanted != text:
            stale.append(path.relative_to(ROOT).as_posix())
            if "--check" not in argv:
                path.write_text(wanted, encoding="utf-8")
    verb = "differ from their declarations" if "--check" in argv else "rewritten"
    if stale:
        print(f"{', '.join(stale)}: {verb}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
