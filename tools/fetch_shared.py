"""Build the shared test data outside this workplace (the project's own GitHub CI).

    python tools/fetch_shared.py DEST

The test suite reads `$OASIS_SHARED` (default `../shared`): GitHub's OpenAPI description
(`github/openapi/api.github.com.json.gz`, from github/rest-api-description) and real webhook
payloads (`github/events/<event>/<action>.<n>.json`, from octokit/webhooks'
payload-examples). This script fetches both (network needed) and lays them out that way.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

OPENAPI = "https://raw.githubusercontent.com/github/rest-api-description/main/descriptions/api.github.com/api.github.com.json"
WEBHOOKS = "https://github.com/octokit/webhooks.git"
EXAMPLES = "payload-examples/api.github.com"


def event_name(file: Path) -> str:
    """`completed.payload.json` -> `completed`; `payload.json` / `1.payload.json` -> `event`."""
    stem = file.name.removesuffix(".json").removesuffix("payload").rstrip(".")
    action = stem.split(".")[0] if stem else ""
    return "event" if not action or action.isdigit() else action


def lay_out_events(source: Path, target: Path) -> int:
    """Copy every example as `<event>/<action>.<n>.json`, numbering variants from 1."""
    count = 0
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        numbers: dict[str, int] = {}
        for file in sorted(folder.glob("*.json")):
            name = event_name(file)
            numbers[name] = numbers.get(name, 0) + 1
            destination = target / folder.name / f"{name}.{numbers[name]}.json"
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)
            count += 1
    return count


def main() -> None:
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")
    (dest / "github" / "openapi").mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(OPENAPI, timeout=120) as answer:  # noqa: S310 - a fixed https URL
        data = answer.read()
    with gzip.open(dest / "github" / "openapi" / "api.github.com.json.gz", "wb") as handle:
        handle.write(data)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                "git",
                "clone",
                "-q",
                "--depth",
                "1",
                "--filter=blob:none",
                "--sparse",
                WEBHOOKS,
                scratch,
            ],
            check=True,
        )
        subprocess.run(["git", "-C", scratch, "sparse-checkout", "set", EXAMPLES], check=True)
        count = lay_out_events(Path(scratch) / EXAMPLES, dest / "github" / "events")
    print(f"{count} webhook payloads and the OpenAPI description in {dest}")


if __name__ == "__main__":
    main()
