"""Publish the current model as a GitHub Release: tag, notes, assets (re-uploads replace).

Idempotent: an existing release for the tag is updated, never duplicated.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import semver

from oasis_action.github.port import FullPort, ReleaseInfo
from oasis_action.ml.store import StoredModel

ASSET_TYPES = {
    ".txt": "text/plain",
    ".json": "application/json",
    ".png": "image/png",
    ".md": "text/markdown",
}


@dataclass(frozen=True)
class Published:
    tag: str
    url: str
    created: bool
    assets: tuple[str, ...]


MARKER = "<!-- oasis:release -->"
"""Every release OASIS makes carries this in its notes: it only ever edits releases that do."""


@dataclass(frozen=True)
class Released:
    """A model release OASIS made: its tag, version and the metadata.json it shipped."""

    tag: str
    version: semver.Version
    metadata: dict[str, Any]


def refuse_foreign(release: ReleaseInfo | None, tag: str) -> None:
    """A release for `tag` that OASIS did not make (a person's, a code release) is theirs."""
    from oasis_action.errors import JobFailed

    if release is not None and MARKER not in release.body:
        raise JobFailed(
            f"release {release.tag} exists and was not made by OASIS: it is left as it is "
            "(choose another tag-prefix, or delete that release)"
        )


def latest_oasis_release(port: FullPort, prefix: str, exclude: str = "") -> Released | None:
    """The highest-versioned release that OASIS made under `prefix` and that has a readable
    metadata.json: a code release or a person's release is never the "previous model"."""
    candidates = []
    for release in port.releases():
        text = release.tag[len(prefix) :]
        if (
            release.tag.startswith(prefix)
            and release.tag != exclude
            and semver.Version.is_valid(text)
            and MARKER in release.body
        ):
            candidates.append((semver.Version.parse(text), release))
    for version, release in sorted(candidates, key=lambda pair: pair[0], reverse=True):
        asset = release.asset("metadata.json")
        if asset is None:
            continue
        try:
            metadata = json.loads(port.download_asset(asset.id))
        except ValueError:
            continue
        if isinstance(metadata, dict) and isinstance(metadata.get("metrics"), dict):
            return Released(release.tag, version, metadata)
    return None


def reconcile_tags(port: FullPort, root: Path, tag: str, target: str) -> None:
    """Local and remote tags must name the same commit (and, for a new release, the commit
    being released); otherwise stop before anything is written."""
    from oasis_action.errors import JobFailed
    from oasis_action.release.changelog import tag_commit

    local = tag_commit(root, tag)
    remote = port.tag_sha(tag)
    if local and remote and local != remote:
        raise JobFailed(
            f"tag {tag} is {local[:7]} here and {remote[:7]} on GitHub: "
            "delete the wrong one (git tag -d / git push --delete) and run again"
        )
    if remote is None and local and local != target:
        raise JobFailed(
            f"tag {tag} here names {local[:7]}, not the commit being released ({target[:7]}): "
            "delete it (git tag -d) or release from that commit"
        )


def local_tag(root: Path, tag: str) -> bool:
    """Tag HEAD locally (when the workspace is a git checkout and the tag is new)."""
    inside = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True)
    exists = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
        capture_output=True,
    )
    if inside.returncode != 0 or exists.returncode == 0:
        return False
    return subprocess.run(["git", "-C", str(root), "tag", tag], capture_output=True).returncode == 0


def publish(port: FullPort, model: StoredModel, notes: str, target: str, tag: str) -> Published:
    notes = f"{notes.rstrip()}\n\n{MARKER}\n"
    existing = port.release(tag)
    created = existing is None
    release = port.create_release(tag, tag, notes, target) if existing is None else existing
    if release is None:  # dry run
        return Published(tag, "", created, ())
    if not created:
        port.update_release(release.id, tag, notes)
    files = release_files(model)
    for file in files:
        replace_asset(port, release, file)
    return Published(tag, release.html_url, created, tuple(f.name for f in files))


def replace_asset(port: FullPort, release: ReleaseInfo, file: Path) -> None:
    """Upload, then swap: the new file goes up under a temporary name, and only once it is
    there is the old one deleted and the new one renamed. A failed upload leaves the release
    with its old asset, never without its model."""
    content_type = ASSET_TYPES.get(file.suffix, "application/octet-stream")
    old = release.asset(file.name)
    if old is None:
        port.upload_asset(release.id, str(file), file.name, content_type)
        return
    temporary = f"{file.stem}.new{file.suffix}"
    stale = release.asset(temporary)
    if stale is not None:
        port.delete_asset(stale.id)
    new_id = port.upload_asset(release.id, str(file), temporary, content_type)
    port.delete_asset(old.id)
    if new_id is not None:
        port.rename_asset(new_id, file.name)


def release_files(model: StoredModel) -> list[Path]:
    """Exactly the files training wrote for this version: the model, its metadata, and the
    plots its metadata lists, each a regular file (never a link) whose sha256 is the one
    recorded. Anything else in the folder (`x.png -> ../../.git/config`) is never published."""
    from oasis_action.errors import JobFailed
    from oasis_action.ml.store import sha256_of

    recorded: dict[str, str] = model.metadata.get("files", {})
    expected = {"model.txt": model.metadata.get("sha256"), "metadata.json": None}
    expected.update({n: h for n, h in sorted(recorded.items()) if n.endswith(".png")})
    files = []
    for name, digest in expected.items():
        path = model.path / name
        if path.is_symlink() or not path.is_file():
            raise JobFailed(
                f"refusing to release {name}: not a regular file of version {model.version}"
            )
        if digest is not None and sha256_of(path.read_bytes()) != digest:
            raise JobFailed(f"refusing to release {name}: it is not the file training wrote")
        files.append(path)
    return files


def smoke_test(port: FullPort, tag: str, model: StoredModel, rows: object) -> str:
    """Load the released model asset back and predict: '' when fine, else what went wrong."""
    import hashlib

    import lightgbm as lgb

    release = port.release(tag)
    asset = release.asset("model.txt") if release else None
    if asset is None:
        return f"release {tag} has no model.txt asset"
    text = port.download_asset(asset.id)
    if hashlib.sha256(text).hexdigest() != model.metadata.get("sha256"):
        return "released model.txt does not match the stored model's sha256"
    booster = lgb.Booster(model_str=text.decode())
    predictions = booster.predict(rows)
    if len(predictions) == 0:
        return "the released model predicted nothing"
    return ""
