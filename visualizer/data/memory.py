"""How much memory a data set needs, and whether the machine has it, asked before allocating.

A small file can declare a huge data set (compressed blank images, unwritten datasets),
so sizes are checked from the declared shape first and refused in one line instead of
letting the process swap or be killed.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

#: Above this many bytes of float64, X is kept in float32 (half the memory).
FLOAT64_LIMIT_BYTES = 64 * 2**20
#: A Python string for each example's name, and its Y entry.
BYTES_PER_NAME = 100


def x_dtype(m: int, n_x: int) -> type:
    """float64 for sets up to FLOAT64_LIMIT_BYTES (the course's exact figures), float32 above."""
    return np.float64 if m * n_x * 8 <= FLOAT64_LIMIT_BYTES else np.float32


def bytes_needed(m: int, n_x: int) -> int:
    """The uint8 images, X, Y and names of m examples of n_x values each."""
    return m * (n_x * (1 + np.dtype(x_dtype(m, n_x)).itemsize) + BYTES_PER_NAME)


def available_memory() -> int | None:
    """Bytes the machine can still give us, or None when it cannot tell (then nothing is refused)."""
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def size_text(n: int) -> str:
    """1536 -> '1.5 KB', in binary units as file managers show them."""
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TB"


def memory_problem(m: int, n_px: int, extra: int = 0) -> str | None:
    """None when m images of n_px fit in the available memory; else the one-line reason."""
    need = bytes_needed(m, n_px * n_px * 3) + extra
    have = available_memory()
    if have is None or need <= have:
        return None
    return (f"{m:,} images of {n_px}x{n_px} px need about {size_text(need)} of memory; "
            f"this machine has {size_text(have)} available")


#: Arrays up to this size get 4 KB pages (see small_pages); larger ones keep numpy's huge-page advice.
SMALL_PAGES_UP_TO = 256 * 2**20


@contextlib.contextmanager
def small_pages(nbytes: int):
    """An array of ``nbytes`` allocated here gets ordinary 4 KB pages when it is at most SMALL_PAGES_UP_TO.

    numpy asks the kernel for 2 MB pages on large arrays, and with the common defrag=madvise setting a
    fault may first compact memory: touching 200 MB took 23-619 ms that way against a steady 87-176 ms
    here, and a warm reopen of 1,000 images went from 0.11 s to 0.04-0.05 s. For a gigabyte the 2 MB
    pages won (the 20,000-image warm open: 1.87-2.02 s against 2.31-2.70 s), so they are kept there."""
    advise = getattr(getattr(np, "_core", None), "multiarray", None)
    advise = getattr(advise, "_set_madvise_hugepage", None)
    if advise is None or nbytes > SMALL_PAGES_UP_TO:
        yield
        return
    previous = advise(False)
    try:
        yield
    finally:
        advise(previous)
