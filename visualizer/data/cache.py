"""Decoded images kept between runs, so a folder opens the second time without decoding.

The pixels a file gives depend only on its bytes, n_px and the decoder, so they are kept
in the user's cache folder and reused while the file's size, modification time, change time
(ns) and inode are unchanged: as in git's index, the change time and inode catch a file
replaced with its modification time put back (touch -r, cp -p, tar, rsync -a). One pack
file per (folder, n_px), read in one pass:

    b"VISPACK2" | header bytes u64 | rows u64 | n_px u32 | crc32 of header u32 | crc32 of pixels u32
    header: JSON {"folder", "n_px", "version", "entries": [[path, size, mtime_ns, ctime_ns, inode, sha1, reason], ...]}
    pixels: rows x n_px x n_px x 3 uint8, one row per entry whose reason is null, in entry order

``path`` is relative to the folder; ``reason`` is why the file's bytes are not an image. The
pack's name is a hash of the folder's path as bytes (os.fsencode), so a name that is not UTF-8 has one too.
Nothing in a pack is trusted: its sizes must add up to the file's own length before
anything is allocated, both checksums must match, and any problem means "not cached".
Packs are written to a temporary file and renamed into place, so concurrent processes
see a whole old pack or a whole new one; past the size limit the least recently used go.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import struct
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.data import images as image_files  # read late: a test bumps its PREPROCESS_VERSION
from visualizer.fs.atomic import remove_stale_temps

#: The cache's default bound; least recently used packs are removed past it.
LIMIT_BYTES = 2 * 2**30
MAGIC = b"VISPACK2"
FIXED = struct.Struct("<8sQQIII")
#: Pixels are checked and copied this many bytes at a time.
BLOCK_BYTES = 16 * 2**20
#: A file changed this soon after its stat could keep its size and time stamps (coarse clocks):
#: it is decoded again next time rather than trusted.
RACY_NS = 2_000_000_000
#: What of a file's stat must be unchanged for its pack entry to be used.
STAMP = ("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")
MAX_REASON_CHARS = 300
MAX_HEADER_BYTES = 256 * 2**20
HEX = re.compile(r"[0-9a-f]*")
PACK_NAME = re.compile(r"[0-9a-f]{32}\.pack")
TEMP_NAME = re.compile(r"\.([0-9a-f]{32}\.pack)\.\d+\.[a-z0-9_]{8}\.tmp")  # visualizer.fs.atomic's pattern


def cache_dir() -> Path:
    """Where packs live: $VISUALIZER_CACHE_DIR, else the platform's cache folder."""
    override = os.environ.get("VISUALIZER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "visualizer" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "visualizer"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "visualizer"


def packs_dir() -> Path:
    """Our own subfolder: clearing deletes only pack files in it, whatever the cache folder is."""
    return cache_dir() / "folders"


def _files(pattern: re.Pattern) -> list[os.DirEntry]:
    try:
        return [e for e in os.scandir(packs_dir()) if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return []


def cache_size() -> int:
    """Bytes the cache holds on disk, packs being written included."""
    total = 0
    for entry in _files(PACK_NAME) + _files(TEMP_NAME):
        with contextlib.suppress(OSError):
            total += entry.stat(follow_symlinks=False).st_size
    return total


def clear_cache() -> int:
    """Delete every pack; the bytes freed."""
    return trim_cache(0)


def trim_cache(limit: int | None = None) -> int:
    """Delete the least recently used packs until at most ``limit`` (LIMIT_BYTES) remain; the bytes freed.

    Temporary files of writers that were killed go too; those of live writers stay.
    """
    limit = LIMIT_BYTES if limit is None else limit
    for name in {TEMP_NAME.fullmatch(e.name)[1] for e in _files(TEMP_NAME)}:
        remove_stale_temps(packs_dir() / name)
    found = []
    for entry in _files(PACK_NAME):
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            found.append((st.st_mtime_ns, st.st_size, entry.path))
    total, freed = sum(size for _, size, _ in found), 0
    for _, size, path in sorted(found):
        if total - freed <= limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            freed += size
    return freed


def preprocess_version() -> str:
    """Changes whenever the pixels a file gives could: our preprocessing, Pillow or libjpeg."""
    import PIL
    from PIL import features


    return f"{image_files.PREPROCESS_VERSION}/pillow {PIL.__version__}/jpeg {features.version('jpg')}"


@dataclass
class Known:
    """What a pack says about one file: its sha1 and, when it is no image, the reason."""

    digest: str
    reason: str | None


class FolderCache:
    """The pack of one folder at one n_px: looked up before decoding, rewritten after.

    ``paths`` are the folder's files as scanned (each inside ``folder``); each is
    stat'ed once here, before it is read, so a change while it is decoded shows next time.
    """

    def __init__(self, folder: Path, n_px: int, paths: list[str]):
        self.n_px = n_px
        self.folder = os.path.abspath(folder)
        self.path = packs_dir() / (hashlib.sha256(os.fsencode(f"{self.folder}\0{n_px}")).hexdigest()[:32] + ".pack")
        self.version = preprocess_version()
        prefix = "" if str(folder) == "." else os.path.join(str(folder), "")
        self.keys = [p[len(prefix):] if p.startswith(prefix) else os.path.relpath(p, folder) for p in paths]
        self.stamps: list[tuple[int, ...] | None] = []
        now = time.time_ns()
        for p in paths:
            try:
                st = os.stat(p)
            except OSError:
                self.stamps.append(None)
                continue
            racy = 0 <= now - st.st_mtime_ns < RACY_NS
            self.stamps.append(None if racy else tuple(getattr(st, field) for field in STAMP))
        self.loaded: list | None = None  # the entries of the pack on disk, once read

    def load(self, images: np.ndarray, cancelled=None) -> dict[int, Known]:
        """Fill ``images[i]`` for every file the pack knows unchanged; what it knows of each."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with open(fd, "rb") as f:  # not blocking on a FIFO put in its place, nor reading a device
                known = self._read(f, images, cancelled) if stat.S_ISREG(os.fstat(fd).st_mode) else None
        except (OSError, ValueError, struct.error, RecursionError, MemoryError):  # damaged: decode again
            return {}
        if known is None:
            return {}
        with contextlib.suppress(OSError):
            os.utime(self.path)  # recently used
        return known

    def _read(self, f, images: np.ndarray, cancelled) -> dict[int, Known] | None:
        length = os.fstat(f.fileno()).st_size
        magic, header_len, rows, n_px, header_crc, pixels_crc = FIXED.unpack(f.read(FIXED.size))
        row_bytes = 3 * n_px * n_px
        if (magic != MAGIC or n_px != self.n_px or header_len > MAX_HEADER_BYTES
                or FIXED.size + header_len + rows * row_bytes != length):
            return None
        header = f.read(header_len)
        if zlib.crc32(header) != header_crc:
            return None
        meta = json.loads(header)
        if not (isinstance(meta, dict) and meta.get("folder") == self.folder and meta.get("n_px") == n_px
                and meta.get("version") == self.version and isinstance(meta.get("entries"), list)):
            return None
        entries = meta["entries"]
        if not _valid(entries):
            return None
        where = {key: i for i, key in enumerate(self.keys)}
        known: dict[int, Known] = {}
        targets = []  # for each row of pixels, the index in images it belongs to, or -1
        for key, *stamp, digest, reason in entries:
            i = where.get(key)
            hit = i is not None and self.stamps[i] == tuple(stamp)
            if hit:
                known[i] = Known(digest, reason)
            if reason is None:
                targets.append(i if hit else -1)
        if len(targets) != rows:
            return None
        if not _copy(f, images, np.array(targets, dtype=np.int64), pixels_crc, cancelled):
            return None
        self.loaded = entries
        return known

    def save(self, images: np.ndarray, known: dict[int, Known]) -> None:
        """Write the pack of every file whose bytes were read (``images[i]`` holds the pixels of
        each that is an image), unless the pack on disk says the same already. Failures are ignored:
        the cache only ever saves time."""
        order = [i for i in sorted(known) if self.stamps[i] is not None]
        entries = [[self.keys[i], *self.stamps[i], known[i].digest, known[i].reason] for i in order]
        if not entries or entries == self.loaded:
            return
        rows = [i for i in order if known[i].reason is None]
        header = json.dumps({"folder": self.folder, "n_px": self.n_px, "version": self.version,
                             "entries": entries}, separators=(",", ":")).encode()
        flat = images.reshape(len(images), -1)
        size = FIXED.size + len(header) + len(rows) * flat.shape[1]
        if size > LIMIT_BYTES:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            trim_cache(LIMIT_BYTES - size)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.{os.getpid()}.", suffix=".tmp",
                                       dir=self.path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(b"\0" * FIXED.size)
                f.write(header)
                crc = 0
                for run in _runs(rows):
                    block = flat[run]
                    crc = zlib.crc32(block, crc)
                    f.write(memoryview(block).cast("B"))
                f.seek(0)
                f.write(FIXED.pack(MAGIC, len(header), len(rows), self.n_px, zlib.crc32(header), crc))
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _valid(entries: list) -> bool:
    """Each entry [path, *stamp (whole numbers >= 0), sha1 hex, None or a short reason], each path once."""
    digests = []
    n = len(STAMP)
    for e in entries:
        if not (type(e) is list and len(e) == n + 3 and type(e[0]) is str
                and all(type(v) is int and v >= 0 for v in e[1: n + 1]) and type(e[n + 1]) is str
                and len(e[n + 1]) == 40 and (e[n + 2] is None or (type(e[n + 2]) is str
                                                                 and len(e[n + 2]) <= MAX_REASON_CHARS))):
            return False
        digests.append(e[n + 1])
    return HEX.fullmatch("".join(digests)) is not None and len({e[0] for e in entries}) == len(entries)


def _copy(f, images: np.ndarray, targets: np.ndarray, expected_crc: int, cancelled) -> bool:
    """The pack's pixels into their rows of ``images`` (-1: not needed); False when the checksum fails.

    Rows that land in order go straight into ``images``; the rest through one bounded buffer.
    """
    flat = images.reshape(len(images), -1)
    per_block = max(1, BLOCK_BYTES // flat.shape[1])
    buffer = None
    crc = 0
    for start in range(0, len(targets), per_block):
        if cancelled is not None and cancelled():
            return False
        dst = targets[start : start + per_block]
        in_order = dst[0] >= 0 and dst[-1] - dst[0] == len(dst) - 1 and (np.diff(dst) == 1).all()
        if in_order:
            block = flat[dst[0] : dst[-1] + 1]
        else:
            buffer = np.empty((per_block, flat.shape[1]), np.uint8) if buffer is None else buffer
            block = buffer[: len(dst)]
        if f.readinto(memoryview(block).cast("B")) != block.nbytes:
            return False
        crc = zlib.crc32(block, crc)
        if not in_order:
            used = dst >= 0
            flat[dst[used]] = block[used]
    return crc == expected_crc


def _runs(rows: list[int]):
    """Slices of consecutive indices, so rows are written with few large writes."""
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k] != rows[k - 1] + 1:
            yield slice(rows[start], rows[k - 1] + 1)
            start = k
