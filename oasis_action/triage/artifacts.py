"""JUnit reports from the artifacts of recent runs, read under caps a pull request cannot blow.

An artifact is shaped by whoever's tests ran: its download, its members' number, each member's
and all members' unpacked bytes, and its compression ratio are all capped while streaming.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError

MAX_ARTIFACT_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
"""Caps on what an artifact (which a pull request's tests can fill) may cost: its download, its
members' number, each member's and all members' unpacked bytes, and the compression ratio."""


def fetch_reports(config: Any, ctx: Context, target: Path) -> Path:
    """JUnit XML from the artifacts of recent runs of this repository (never a fork's), laid out
    as <run's head SHA>/<run>-<artifact>/*.xml."""
    import fnmatch

    found = 0
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        for run in port.recent_runs(config.runs):
            if not run.same_repository:
                ctx.reporter.progress(f"skipped run {run.id}: its head is a fork")
                continue
            for artifact in port.run_artifacts(run.id):
                wanted = any(fnmatch.fnmatch(artifact.name, p) for p in config.artifact_pattern)
                if artifact.expired or not wanted:
                    continue
                if artifact.size > MAX_ARTIFACT_BYTES:
                    ctx.reporter.progress(
                        f"skipped artifact {artifact.name}: {artifact.size} bytes"
                    )
                    continue
                folder = target / run.head_sha / f"{run.id}-{artifact.id}"
                data = port.download_artifact(artifact.id)
                found += unpack_reports(data, folder, ctx.reporter.progress)
    ctx.reporter.progress(
        f"read {found} JUnit report(s) from the artifacts of {config.runs} run(s)"
    )
    if not found:
        raise InputError(f"no JUnit XML in artifacts matching {', '.join(config.artifact_pattern)}")
    return target


def unpack_reports(data: bytes, folder: Path, warn: Any) -> int:
    """The artifact's `.xml` members, streamed to `folder` under the caps; a member over a cap
    is skipped with a warning, counting the bytes it really inflates to (never its header)."""
    import io
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    written = total = 0
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        warn(f"skipped an artifact that is not a zip: {error}")
        return 0
    with archive:
        members = [m for m in archive.infolist() if m.filename.endswith(".xml")][:MAX_MEMBERS]
        for index, member in enumerate(members):
            name = Path(member.filename).name
            limit = min(
                MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - total, max(1, member.compress_size) * MAX_RATIO
            )
            size = _copy_capped(archive, member, folder / f"{index}-{name}", limit)
            if size is None:
                warn(f"skipped {name}: it unpacks past {limit} bytes (size or ratio cap)")
                continue
            total += size
            written += 1
    return written


def _copy_capped(archive: Any, member: Any, target: Path, limit: int) -> int | None:
    """Copy one member in chunks; None (and nothing left behind) once it passes `limit`."""
    copied = 0
    with archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                break
            sink.write(chunk)
    if copied > limit:
        target.unlink()
        return None
    return copied
