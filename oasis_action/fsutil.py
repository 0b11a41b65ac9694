"""Safe file writes: atomic (temp file + rename) and owned like the workspace they land in."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, owner_of: Path | None = None) -> Path:
    """Write `data` to `path` so a reader sees the old file or the new one, never half of one.

    When running as root (a Docker action), the file is given to the owner of `owner_of` (the
    workspace), so later steps of the job, running as the runner user, can still change it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    give_to_owner(path, owner_of or path.parent)
    return path


def give_to_owner(path: Path, reference: Path) -> None:
    """Make `path` (and the folders between it and `reference`) owned like `reference`."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = reference.stat()
    target = Path(path)
    while True:
        with contextlib.suppress(OSError):
            os.chown(target, owner.st_uid, owner.st_gid)
        if target == reference or target.parent == target or reference not in target.parents:
            break
        target = target.parent


MAX_READ_BYTES = 8 * 1024 * 1024
"""Files larger than this are not read by checks that quote or parse them."""


def confined_file(root: Path, path: Path, limit: int = MAX_READ_BYTES) -> Path | None:
    """`path` resolved, if it is a regular file inside `root` (symlinks followed only while they
    stay inside) of at most `limit` bytes; None for a link out of the workspace (a committed
    `requirements.txt -> /proc/self/environ`), a device, a FIFO or a huge file."""
    try:
        real = Path(path).resolve(strict=True)
        base = Path(root).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(base):
        return None
    try:
        info = real.stat()
    except OSError:
        return None
    import stat

    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    return real


def writable_path(workspace: Path, given: str | Path, confine: bool, what: str) -> Path:
    """Where OASIS may write for a path a user or an input gave.

    Never through a link: a folder or file inside the workspace that is a symbolic link (a pull
    request can commit `reports -> /home/runner/.ssh`) is refused. With `confine` (in Actions),
    the path must also stay inside the workspace. Raises InputError (exit 2) with one line.
    """
    from oasis_action.errors import InputError

    base = Path(os.path.abspath(workspace))
    target = Path(os.path.abspath(base / given))
    inside = target == base or base in target.parents
    if confine and not inside:
        raise InputError(f"{what} {str(given)!r} is outside the workspace")
    if inside:
        current = base
        for part in target.relative_to(base).parts:
            current = current / part
            if current.is_symlink():
                raise InputError(f"{what} {str(given)!r} goes through a symbolic link ({part})")
    return target
