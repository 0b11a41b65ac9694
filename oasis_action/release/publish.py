"""Publish the current model as a GitHub Release: tag, notes, assets (re-uploads replace).

Idempotent: an existing release for the tag is updated, never duplicated.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


def released_metrics(port: FullPort) -> tuple[ReleaseInfo | None, dict[str, float] | None]:
    """The latest release and its model's metrics (from its metadata.json asset), if any."""
    release = port.latest_release()
    if release is None:
        return None, None
    asset = release.asset("metadata.json")
    if asset is None:
        return release, None
    try:
        metadata = json.loads(port.download_asset(asset.id))
    except ValueError:
        return release, None
    metrics = metadata.get("metrics")
    return release, metrics if isinstance(metrics, dict) else None


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


def publish(port: FullPort, model: StoredModel, notes: str, target: str) -> Published:
    tag = f"v{model.version}"
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
