"""The versioned model store.

Layout under ``models/``::

    versions/<semver>/model.txt       LightGBM's native text model (never pickle)
    versions/<semver>/metadata.json   semver, features, metrics, params, sha256, ...
    versions/<semver>/version.txt
    current -> versions/<semver>      the one commit point, swapped atomically
    model.txt, metadata.json, version.txt -> current/...
    history.log                       append-only JSON lines, one per event

A new version is written completely into its own folder first; only then is ``current`` swapped
with a rename. A process killed at any moment leaves the previous version current and loadable.
Every write holds an exclusive lock on ``models/.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import semver

from oasis_action.errors import JobFailed, OasisError, UsageError
from oasis_action.fsutil import atomic_write

LEVELS = ("patch", "minor", "major")
FIRST_VERSION = semver.Version(0, 1, 0)
POINTERS = ("model.txt", "metadata.json", "version.txt")


class StoreError(OasisError):
    """The model store is missing, locked or damaged."""


RECOVER = (
    "`oasis history` lists the versions, `oasis rollback --to VERSION` makes a sound one current"
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bump(version: semver.Version | None, level: str) -> semver.Version:
    """The next version at `level`; the first version is 0.1.0."""
    if version is None:
        return FIRST_VERSION
    if level not in LEVELS:
        raise UsageError(f"bump level must be one of {', '.join(LEVELS)}, got {level!r}")
    return {"patch": version.bump_patch, "minor": version.bump_minor, "major": version.bump_major}[
        level
    ]()


@dataclass(frozen=True)
class StoredModel:
    """A version read back from the store, its checksum verified."""

    version: semver.Version
    model_text: str
    metadata: dict[str, Any]
    path: Path

    def booster(self) -> Any:
        """LightGBM's booster for this verified model, built from its text (never from a pickle)."""
        import lightgbm as lgb

        return lgb.Booster(model_str=self.model_text)

    def model(self) -> Any:
        """This version as a fitted `TabularModel` (schema and booster)."""
        from oasis_action.ml.model import Manifest, TabularModel

        try:
            manifest = Manifest.from_json(self.metadata)
        except (KeyError, TypeError, ValueError) as error:
            raise StoreError(
                f"model {self.version}'s metadata.json is incomplete ({error}): {RECOVER}"
            ) from None
        return TabularModel.from_text(self.model_text, manifest)

    def artifacts(self) -> dict[str, bytes]:
        """The files stored beside the model (plots, a pickle), each checked against its sha256:
        a new version made from this one carries them all."""
        files = {}
        for name, expected in sorted(self.metadata.get("files", {}).items()):
            try:
                data = (self.path / name).read_bytes()
            except OSError:
                raise StoreError(f"model {self.version} lost {name}: {RECOVER}") from None
            if sha256_of(data) != expected:
                raise StoreError(
                    f"model {self.version}'s {name} failed its sha256 check: {RECOVER}"
                )
            files[name] = data
        return files

    def pickled_booster(self) -> Any:
        """The optional `model.pkl` (written with --pickle), loaded only after its sha256 matches
        the metadata: a pickle is code, so an altered one must never be unpickled."""
        import joblib

        path = self.path / "model.pkl"
        expected = self.metadata.get("files", {}).get("model.pkl")
        if not path.is_file() or expected is None:
            raise StoreError(f"model {self.version} has no pickle (train with --pickle)")
        data = path.read_bytes()
        if sha256_of(data) != expected:
            raise StoreError(
                f"model {self.version}'s model.pkl failed its sha256 check; not loaded"
            )
        return joblib.load(io.BytesIO(data))


class ModelStore:
    def __init__(self, root: Path, owner_of: Path | None = None) -> None:
        self.root = Path(root)
        self.owner_of = owner_of
        self._held = False

    @property
    def versions_dir(self) -> Path:
        return self.root / "versions"

    @property
    def history_path(self) -> Path:
        return self.root / "history.log"

    @contextlib.contextmanager
    def lock(self, timeout: float = 600.0) -> Iterator[None]:
        """Exclusive lock for writers (re-entrant within this store object); gives up with a
        clear error after `timeout` seconds."""
        if self._held:
            yield
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"model store {self.root} is locked by another process"
                        ) from None
                    time.sleep(0.05)
            self._held = True
            try:
                yield
            finally:
                self._held = False
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current_version(self) -> semver.Version | None:
        pointer = self.root / "current"
        if not pointer.is_symlink():
            return None
        name = Path(os.readlink(pointer)).name
        if not semver.Version.is_valid(name):
            raise StoreError(f"{pointer} points at {name!r}, not a version: {RECOVER}")
        return semver.Version.parse(name)

    def highest_version(self) -> semver.Version | None:
        """The highest version the store holds (what the next version is computed from)."""
        found = self.versions()
        return found[-1] if found else None

    def versions(self) -> list[semver.Version]:
        if not self.versions_dir.is_dir():
            return []
        found = [
            semver.Version.parse(p.name)
            for p in self.versions_dir.iterdir()
            if semver.Version.is_valid(p.name) and (p / "metadata.json").is_file()
        ]
        return sorted(found)

    def load(self, version: semver.Version | None = None) -> StoredModel:
        """A version (the current one by default), refusing a model whose sha256 does not match."""
        chosen = version or self.current_version()
        if chosen is None:
            raise StoreError(f"no model in {self.root}: run `oasis train` first")
        folder = self.versions_dir / str(chosen)
        if not (folder / "metadata.json").is_file():
            raise StoreError(f"version {chosen} is not in the model store")
        try:
            metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
            model_bytes = (folder / "model.txt").read_bytes()
        except (OSError, ValueError) as error:
            why = error.strerror if isinstance(error, OSError) else "metadata.json is not JSON"
            raise StoreError(f"model {chosen} is damaged ({why}): {RECOVER}") from None
        if not isinstance(metadata, dict) or sha256_of(model_bytes) != metadata.get("sha256"):
            raise StoreError(
                f"model {chosen} failed its sha256 check (the file was changed or damaged): {RECOVER}"
            )
        return StoredModel(chosen, model_bytes.decode("utf-8"), metadata, folder)

    def save(
        self,
        model_text: str,
        metadata: dict[str, Any],
        version: semver.Version,
        event: str,
        extras: dict[str, bytes] | None = None,
    ) -> Path:
        """Write a new version and make it current. Existing versions are never overwritten.

        `extras` (plots, an optional pickle) land in the version folder before it becomes
        current; a pickle's sha256 is recorded so it is only ever loaded after it matches.
        """
        with self.lock():
            folder = self.versions_dir / str(version)
            if (folder / "metadata.json").exists():
                raise JobFailed(f"version {version} already exists in the model store")
            _discard(folder)
            payload = model_text.encode("utf-8")
            record = {
                **metadata,
                "version": str(version),
                "sha256": sha256_of(payload),
                "model_size": len(payload),
                "path": str(folder / "model.txt"),
                "files": {name: sha256_of(data) for name, data in sorted((extras or {}).items())},
            }
            for name, data in (extras or {}).items():
                atomic_write(folder / name, data, self.owner_of)
            atomic_write(folder / "model.txt", payload, self.owner_of)
            atomic_write(folder / "version.txt", f"{version}\n", self.owner_of)
            atomic_write(
                folder / "metadata.json",
                json.dumps(record, indent=2, sort_keys=True) + "\n",
                self.owner_of,
            )
            self._point_to(version)
            self._append_history(
                {
                    "event": event,
                    **{
                        k: record[k]
                        for k in ("version", "timestamp", "sha256", "metrics")
                        if k in record
                    },
                }
            )
        return folder

    def save_next(
        self,
        model_text: str,
        metadata: dict[str, Any],
        level: str,
        event: str,
        extras: dict[str, bytes] | None = None,
        at_least: semver.Version | None = None,
    ) -> tuple[semver.Version, Path]:
        """Save as the next version at `level` after the *highest* version in the store (or
        `at_least`, when that is higher), chosen under the lock: concurrent writers queue and
        get distinct versions, and `current` ends at the highest of them (a rollback does not
        make the next training collide)."""
        with self.lock():
            version = bump(self.highest_version(), level)
            if at_least is not None and at_least > version:
                version = at_least
            current = self.current_version()
            record = {**metadata, "previous_version": str(current) if current else None}
            return version, self.save(model_text, record, version, event, extras)

    def make_current(self, version: semver.Version, event: str) -> None:
        """Point `current` at an existing, verified version (rollback) and record it."""
        with self.lock():
            self.load(version)
            self._point_to(version)
            self._append_history({"event": event, "version": str(version), "timestamp": utc_now()})

    def _point_to(self, version: semver.Version) -> None:
        temp = self.root / f".current.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        os.symlink(Path("versions") / str(version), temp)
        os.replace(temp, self.root / "current")
        for name in POINTERS:
            link = self.root / name
            if not link.is_symlink():
                with contextlib.suppress(FileNotFoundError):
                    link.unlink()
                os.symlink(Path("current") / name, link)

    def _append_history(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
        descriptor = os.open(self.history_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def history(self) -> list[dict[str, Any]]:
        """Every recorded event; a torn last line (a killed writer) is skipped, never fatal."""
        if not self.history_path.is_file():
            return []
        entries = []
        for line in self.history_path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                entries.append(json.loads(line))
        return entries


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _discard(folder: Path) -> None:
    """A version folder without metadata (a crash's leftover, or files planted in a pull
    request) is removed, never reused: a new version starts empty. A link is removed, not
    followed."""
    import shutil

    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.is_dir():
        shutil.rmtree(folder)
