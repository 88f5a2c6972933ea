"""What kind of thing a path names, checked before anything opens it.

Opening a FIFO, a character device or a socket blocks or never ends (h5py even holds
the GIL while it waits), so every reader asks here first: only regular files and
folders are read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def file_kind_problem(path: str | os.PathLike, folder_ok: bool = False) -> str | None:
    """None when ``path`` is a regular file (or, with ``folder_ok``, a folder); else the plain reason."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks: a link to a FIFO is a FIFO
    except FileNotFoundError:
        return "no such file or folder" if folder_ok else "no such file"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    except ValueError:  # os.stat's "embedded null byte": no file's name holds one
        return "its name holds a NUL character, which no file or folder name can"
    return mode_problem(mode, folder_ok)


def mode_problem(mode: int, folder_ok: bool = False) -> str | None:
    """The reason of ``file_kind_problem`` for an ``st_mode`` already in hand."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return None if folder_ok else "is a folder, not a file"
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"is {kind}, not a regular file"


def require_regular(path: str | os.PathLike, error: type[Exception], folder_ok: bool = False) -> Path:
    """``path`` as a Path, or ``error("PATH: reason")`` when it is not something we read."""
    problem = file_kind_problem(path, folder_ok)
    if problem is not None:
        raise error(f"{path}: {problem}")
    return Path(path)


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ValueError(reason) otherwise.

    The kind is checked before opening (opening some devices has effects) and again on
    the descriptor, opened without blocking, so a file swapped for a FIFO in between
    cannot block; reading stops after ``limit`` bytes, so /dev/zero-like files cannot
    fill the memory either. OSError when the file cannot be read.
    """
    problem = file_kind_problem(path)
    if problem is not None:
        raise ValueError(problem)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as f:
        st = os.fstat(fd)
        problem = mode_problem(st.st_mode)
        if problem is not None:
            raise ValueError(problem)
        data = f.read(min(limit, st.st_size) + 1) if st.st_size <= limit else b""
    if st.st_size > limit or len(data) > limit:
        raise ValueError(f"too large (more than {limit / 2**20:g} MB)")
    return data
