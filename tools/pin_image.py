#!/usr/bin/env python3
"""Point every OASIS action at one published image, by digest (run by the release workflow).

    python tools/pin_image.py ghcr.io/owner/oasis@sha256:<64 hex>

A development checkout's action.yml files build `Dockerfile`; a released tag's files run
`docker://<image>@sha256:...` instead, so a SHA-pinned `uses:` also pins the exact image that
holds the token (nothing is built, nothing unpinned is pulled, no minutes are spent building).
Only the `image:` line under `runs:` changes; the rest of each file stays byte for byte.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST = re.compile(r"^[a-z0-9][a-z0-9./_-]{0,200}@sha256:[0-9a-f]{64}$")
IMAGE_LINE = re.compile(r"^(  image: )(?:\.\./\.\./)?Dockerfile(?P<rest>[ \t]*#.*)?$", re.MULTILINE)


def action_files(root: Path) -> list[Path]:
    return [root / "action.yml", *sorted((root / "actions").glob("*/action.yml"))]


def pin(text: str, image: str) -> str:
    """The action.yml text with its Dockerfile image replaced by the pinned one."""
    pinned, count = IMAGE_LINE.subn(lambda m: f"{m.group(1)}docker://{image}", text)
    if count != 1:
        raise ValueError("expected exactly one `image: Dockerfile` line under runs:")
    return pinned


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not DIGEST.match(argv[0]):
        print("usage: pin_image.py REGISTRY/NAME@sha256:<64 hex digits>", file=sys.stderr)
        return 2
    for path in action_files(ROOT):
        path.write_text(pin(path.read_text(encoding="utf-8"), argv[0]), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: docker://{argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
