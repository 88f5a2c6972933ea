"""Builders for hostile input files, small on disk however much they declare."""

from __future__ import annotations

import faulthandler
from contextlib import contextmanager

import h5py
import numpy as np


def write_h5(path, m=4, n_px=16, x=None, y=None, classes=None, **extra):
    """A course-like .h5; ``x``/``y``/``classes`` replace its datasets, ``extra`` adds more.

    A value that is callable is called with the open file and the name, to build
    datasets that plain assignment cannot (chunked, unwritten, external, links).
    """
    x = np.full((m, n_px, n_px, 3), 7, np.uint8) if x is None else x
    y = (np.arange(m) % 2).astype(np.int64) if y is None else y
    with h5py.File(path, "w") as f:
        for name, value in {"train_set_x": x, "train_set_y": y, "list_classes": classes, **extra}.items():
            if callable(value):
                value(f, name)
            elif value is not None:
                f[name] = value
    return path


def declared(shape, dtype=np.uint8, written=0, **kw):
    """A chunked, gzip-compressed dataset of ``shape`` whose first ``written`` rows hold data."""
    def build(f, name):
        chunks = (min(100, max(1, shape[0])),) + tuple(shape[1:])
        d = f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, compression="gzip", **kw)
        if written:
            d[:written] = np.ones((written, *shape[1:]), dtype)
    return build


@contextmanager
def no_hang(seconds=60, extra_memory=2**30):
    """Fail instead of hanging or filling the machine, should FIFOs or /dev/zero be read again.

    h5py can block holding the GIL, so only faulthandler's own thread can end a hang; a
    cap on the address space turns reading /dev/zero for ever into a MemoryError.
    """
    faulthandler.dump_traceback_later(seconds, exit=True)
    limits = _cap_address_space(extra_memory)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        if limits is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, limits)


def _cap_address_space(extra):
    """The old limits, after capping the address space at its current size + ``extra`` (Linux only)."""
    try:
        import resource

        with open("/proc/self/status") as f:
            size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration):
        return None
    limits = resource.getrlimit(resource.RLIMIT_AS)
    if limits[1] != resource.RLIM_INFINITY and limits[1] < size + extra:
        return None
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, limits[1]))
    return limits


@contextmanager
def no_big_reads(limit=1 << 20):
    """Fail when any dataset larger than ``limit`` bytes is read: refusals come from metadata."""
    real_getitem, real_read_direct = h5py.Dataset.__getitem__, h5py.Dataset.read_direct

    def guard(d):
        if d.shape and d.size * d.dtype.itemsize > limit:
            raise AssertionError(f"read {d.name} of {d.size * d.dtype.itemsize:,} bytes")

    def getitem(self, *args, **kw):
        guard(self)
        return real_getitem(self, *args, **kw)

    def read_direct(self, *args, **kw):
        guard(self)
        return real_read_direct(self, *args, **kw)

    h5py.Dataset.__getitem__, h5py.Dataset.read_direct = getitem, read_direct
    try:
        yield
    finally:
        h5py.Dataset.__getitem__, h5py.Dataset.read_direct = real_getitem, real_read_direct
