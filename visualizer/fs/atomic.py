"""Writing a file so that readers see the old one or the new one, never half of one.

Every file the program writes goes through here: a temporary file beside the target,
synced, then renamed into place. The rename replaces whatever is at the target, a link
included: nothing is ever written through a link into the file it points to. Temporary
files left by a killed writer are removed on the next save of the same target.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

import numpy as np

#: A temporary file whose writer is still running is left alone unless it is older than this.
STALE_SECONDS = 3600


class StorageError(Exception):
    """A file that cannot be written or read; the message names it and says why."""


def _temp_pattern(path: Path) -> re.Pattern:
    """Our temporary names for ``path``: .NAME.PID.XXXXXXXX.tmp (and the older .NAME.XXXXXXXX.tmp)."""
    return re.compile(rf"\.{re.escape(path.name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}\.tmp")


def _writer_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: somebody else's live process
        return False
    return False


def remove_stale_temps(path: Path) -> None:
    """Remove our temporary files for ``path`` left by a writer that was killed.

    Only names of our own pattern for this very target count; one is stale when its
    writer's process is gone, or (a reused pid) when it is older than STALE_SECONDS.
    """
    pattern = _temp_pattern(path)
    try:
        candidates = [e for e in os.scandir(path.parent) if e.name.startswith(f".{path.name}.")]
    except OSError:
        return
    for entry in candidates:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if old or (match[1] is not None and _writer_gone(int(match[1]))):
                os.unlink(entry.path)
        except OSError:
            continue


def _temp_beside(path: Path) -> tuple[int, str]:
    if not path.parent.is_dir():
        raise StorageError(f"{path}: the folder {path.parent} does not exist")
    remove_stale_temps(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"{path}: could not be written ({exc.strerror or exc})") from None
    with contextlib.suppress(OSError):  # mkstemp makes it 0600: keep the old file's mode, or the usual one
        os.chmod(tmp, _old_mode(path) or 0o666 & ~_umask())
    return fd, tmp


def _old_mode(path: Path) -> int | None:
    """The permissions of the file at ``path``; None when there is none, or a link (replaced, not written
    through: its target's mode is not the new file's business)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_mode & 0o7777 if stat.S_ISREG(st.st_mode) else None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace(tmp: str, path: Path) -> None:
    os.replace(tmp, path)
    try:  # the rename itself survives a power cut only once the folder is on disk
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def write_problem(path: str | os.PathLike) -> str | None:
    """Why atomic_write could not write ``path`` (a folder in its place, its folder missing, read-only or
    not ours), or None: asked before a long run, by making and removing the temporary file it would make."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        return "is a folder, not a file"
    if not path.parent.is_dir():
        return f"its folder {path.parent} does not exist"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        return f"cannot write in its folder {path.parent} ({exc.strerror or exc})"
    os.close(fd)
    os.unlink(tmp)
    return None


def atomic_write(path: str | os.PathLike, write, binary: bool = True) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place.

    A crash or a full disk leaves the old file (or none), never a half-written one;
    whatever goes wrong, the temporary file is removed.
    """
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"newline": "", "encoding": "utf-8"})) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"{path}: could not be written ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_save(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    atomic_write(path, lambda f: np.savez_compressed(f, **arrays))
