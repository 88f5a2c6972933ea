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


@contextlib.contextmanager
def small_pages():
    """Arrays allocated here get ordinary 4 KB pages. numpy asks the kernel for 2 MB pages on large arrays,
    and with the common defrag=madvise setting a fault may first compact memory: touching 200 MB took
    23-619 ms that way against a steady 87-176 ms, and reading the array was no faster. Opening a data
    set should take the same time every time."""
    advise = getattr(getattr(np, "_core", None), "multiarray", None)
    advise = getattr(advise, "_set_madvise_hugepage", None)
    if advise is None:
        yield
        return
    previous = advise(False)
    try:
        yield
    finally:
        advise(previous)
