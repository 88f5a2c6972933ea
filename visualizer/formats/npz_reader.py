"""Reading an .npz archive whose every size is checked before anything is unpacked.

``np.load`` trusts the file: a member may declare 10^12 floats (numpy allocates them
before reading) or inflate 4 MB into gigabytes. Here the zip directory, each member's
uncompressed size and each .npy header (shape, dtype) are checked against what the
caller says the entry may hold, and against the memory available, before any data
is read. Arrays holding Python objects are refused from their header alone.
"""

from __future__ import annotations

import math
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.lib import format as npy

from visualizer.data import memory

#: The .npy header itself: numpy writes a few hundred bytes; its own reader stops at 10000.
HEADER_MAX = 10_000
#: Whatever the machine has, a file never gets more than this much memory.
MEMORY_CAP = 8 * 2**30
CHUNK = 2**20
_READ_ERRORS = (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                struct.error, SyntaxError, RecursionError, MemoryError)


class NpzError(Exception):
    """What is wrong with the archive, without its name (the caller adds it)."""


@dataclass(frozen=True)
class Spec:
    """What one entry may be: dtype kinds ("f", "iu", "U"...), ndim and a size cap.

    ``memory_factor``: how many times its size it costs once loaded (images become float64 X).
    """

    kinds: str
    ndim: int
    max_bytes: int
    memory_factor: int = 1
    max_itemsize: int = 8


def text(max_chars: int) -> Spec:
    """A 0-d unicode string of at most ``max_chars`` characters."""
    return Spec("U", 0, 4 * max_chars, max_itemsize=4 * max_chars)


SCALAR = Spec("iuf", 0, 8)


def available_memory() -> int:
    """Bytes the system can give without swapping; a cautious 2 GB where it cannot tell."""
    return memory.available_memory() or 2 * 2**30


def memory_limit() -> int:
    """At most half of what is available, and never more than MEMORY_CAP."""
    return min(available_memory() // 2, MEMORY_CAP)


@dataclass
class _Member:
    info: zipfile.ZipInfo
    shape: tuple[int, ...]
    fortran: bool
    dtype: np.dtype
    nbytes: int


def read_npz(f, specs: dict[str, Spec], memory: int | None = None, strict: bool = True) -> dict[str, np.ndarray]:
    """The entries of the open binary file ``f``, each checked against ``specs[name]``.

    Every member is checked first (name, uncompressed size, header); only then is data read.
    ``strict``: an entry without a spec is refused; otherwise it is left unread.
    Raises NpzError with a plain reason naming the entry.
    """
    head = f.read(6)
    f.seek(0)
    if head == npy.MAGIC_PREFIX:
        raise NpzError("it is a single .npy array, not an .npz archive")
    try:
        with zipfile.ZipFile(f) as zf:
            members = {key: _check_member(zf, key, info, specs[key]) for key, info in _entries(zf, specs, strict)}
            needed = sum(m.nbytes * specs[k].memory_factor for k, m in members.items())
            limit = memory_limit() if memory is None else memory
            if needed > limit:
                raise NpzError(f"it would need about {_mb(needed)} of memory; only {_mb(limit)} can be spared")
            return {key: _read_member(zf, key, m) for key, m in members.items()}
    except NpzError:
        raise
    except zipfile.BadZipFile as exc:
        raise NpzError(f"not a readable .npz archive ({exc})") from None
    except _READ_ERRORS as exc:
        raise NpzError(f"damaged ({type(exc).__name__}: {exc})") from None


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def _entries(zf: zipfile.ZipFile, specs: dict[str, Spec], strict: bool):
    seen = set()
    for info in zf.infolist():
        key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        if key not in specs or not info.filename.endswith(".npy"):
            if not strict:
                continue
            raise NpzError(f"unexpected entry {info.filename[:80]!r}")
        if key in seen:
            raise NpzError(f"the entry {key!r} appears twice")
        seen.add(key)
        yield key, info


def _check_member(zf: zipfile.ZipFile, key: str, info: zipfile.ZipInfo, spec: Spec) -> _Member:
    if info.flag_bits & 0x1:
        raise NpzError(f"the entry {key!r} is encrypted")
    if info.file_size > spec.max_bytes + HEADER_MAX:
        raise NpzError(f"the entry {key!r} would unpack to {_mb(info.file_size)}, more than it can hold "
                       f"({_mb(spec.max_bytes)})")
    with zf.open(info) as s:
        try:
            version = npy.read_magic(s)
            if version == (1, 0):
                shape, fortran, dtype = npy.read_array_header_1_0(s, max_header_size=HEADER_MAX)
            elif version == (2, 0):
                shape, fortran, dtype = npy.read_array_header_2_0(s, max_header_size=HEADER_MAX)
            else:
                raise NpzError(f"the entry {key!r} uses .npy format {version}, which is not read here")
            header = s.tell()
        except _READ_ERRORS as exc:
            raise NpzError(f"the entry {key!r} has a damaged header ({exc})") from None
    if dtype.hasobject:
        raise NpzError(f"refused: the entry {key!r} holds Python objects, which could run code when read")
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in spec.kinds or \
            len(shape) != spec.ndim or any(d < 0 for d in shape):
        raise NpzError(f"the entry {key!r} has type {dtype} and shape {_shape(shape)}")
    nbytes = math.prod(shape) * dtype.itemsize
    if dtype.itemsize > spec.max_itemsize or nbytes > spec.max_bytes:
        raise NpzError(f"the entry {key!r} declares {_shape(shape)} values of {dtype} ({_mb(nbytes)}), more "
                       f"than it can hold ({_mb(spec.max_bytes)})")
    if nbytes != info.file_size - header:
        raise NpzError(f"the entry {key!r} is damaged: its header declares {nbytes:,} bytes of data, "
                       f"it holds {info.file_size - header:,}")
    return _Member(info, tuple(shape), fortran, dtype, nbytes)


def _shape(shape) -> str:
    text = str(tuple(shape))
    return text if len(text) <= 60 else text[:57] + "..."


def _read_member(zf: zipfile.ZipFile, key: str, m: _Member) -> np.ndarray:
    flat = np.empty(math.prod(m.shape), dtype=m.dtype)
    raw = memoryview(flat.view(np.uint8)) if m.nbytes else memoryview(b"")
    with zf.open(m.info) as s:
        s.seek(m.info.file_size - m.nbytes)
        pos = 0
        while pos < m.nbytes:
            chunk = s.read(min(CHUNK, m.nbytes - pos))
            if not chunk:
                raise NpzError(f"the entry {key!r} is cut short")
            raw[pos : pos + len(chunk)] = chunk
            pos += len(chunk)
        s.read(1)  # reaching the end makes zipfile check the CRC
    array = flat.reshape(m.shape[::-1]).T if m.fortran else flat.reshape(m.shape)
    return array if array.dtype.isnative else array.astype(array.dtype.newbyteorder("="))
