"""Image files to one uint8 array: from the cache when it knows them, else decoded on a thread pool.

Pillow releases the GIL while it decodes and resizes, so two threads use two cores.
Progress is reported and a cancel is noticed between batches.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from visualizer.data.cache import FolderCache, Known
from visualizer.data.dataset import Skipped
from visualizer.data.images import MAX_FILE_BYTES, ImageError, load_image
from visualizer.data.memory import small_pages
from visualizer.fs.files import read_regular

DECODE_BATCH = 16

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class LoadCancelled(Exception):
    """The user cancelled a load; nothing was changed."""


def os_reason(exc: OSError, what: str) -> str:
    """The plain reason a file or folder could not be read."""
    if exc.errno == errno.ELOOP:
        return "link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied ({what})"
    if exc.errno == errno.ENOENT:
        return "broken link" if what == "file" else "no such folder"
    return f"unreadable {what} ({exc.strerror or exc})"


def _decode(path: str, n_px: int) -> tuple[np.ndarray | None, str, str | None]:
    """(image, sha1 of the bytes or "" when they could not be read, reason it failed).

    FIFOs, devices and huge files are not read.
    """
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except ValueError as exc:
        return None, "", str(exc)
    except OSError as exc:
        return None, "", os_reason(exc, "file")
    digest = hashlib.sha1(data).hexdigest()
    try:
        return load_image(data, n_px), digest, None
    except ImageError as exc:
        return None, digest, str(exc)


def _decode_batch(paths: list[str], n_px: int) -> list[tuple[np.ndarray | None, str, str | None]]:
    return [_decode(p, n_px) for p in paths]


def decode_files(
    paths: list[str],
    n_px: int,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
    cache: FolderCache | None = None,
) -> tuple[np.ndarray, list[int], list[Skipped]]:
    """(images, indices into ``paths`` they came from, skipped): the first of identical files is kept.

    Each image goes straight into one preallocated array, so the set is held once, not
    as a list and then a stacked copy. Files go to the pool in batches, a few at a time:
    a folder of 100,000 files makes neither 100,000 futures nor a long queue to cancel.
    """
    n = len(paths)
    with small_pages(n * n_px * n_px * 3):
        images = np.empty((n, n_px, n_px, 3), np.uint8)
    known = cache.load(images, cancelled) if cache is not None else {}
    if cancelled is not None and cancelled():
        raise LoadCancelled()
    if known and progress is not None:
        progress(len(known), n)
    unread = _decode_rest(paths, [i for i in range(n) if i not in known], images, known, n_px,
                          progress, cancelled, workers)
    if cache is not None:
        cache.save(images, known)
    kept: list[int] = []
    skipped: list[Skipped] = []
    first_with: dict[str, str] = {}
    for i, path in enumerate(paths):  # in file order, packing the kept images to the front
        entry = known.get(i)
        reason = unread.get(i) if entry is None else entry.reason
        if reason is not None:
            skipped.append(Skipped(path, reason))
        elif entry.digest in first_with:
            skipped.append(Skipped(path, f"duplicate of {first_with[entry.digest]} (same bytes)"))
        else:
            first_with[entry.digest] = path
            if len(kept) != i:
                images[len(kept)] = images[i]
            kept.append(i)
    return images[: len(kept)], kept, skipped


def _decode_rest(paths, todo, images, known, n_px, progress, cancelled, workers) -> dict[int, str]:
    """Decode ``paths[i]`` for i in ``todo`` into ``images[i]`` and ``known``; the reasons of files not read."""
    workers = workers or min(4, os.cpu_count() or 2)
    unread: dict[int, str] = {}
    done, total = len(known), len(paths)
    batches = iter(range(0, len(todo), DECODE_BATCH))
    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode") as pool:

        def submit_next() -> None:
            start = next(batches, None)
            if start is not None:
                part = todo[start : start + DECODE_BATCH]
                pending.append((part, pool.submit(_decode_batch, [paths[i] for i in part], n_px)))

        for _ in range(2 * workers):
            submit_next()
        try:
            while pending:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                part, future = pending.popleft()
                results = future.result()
                submit_next()
                for i, (image, digest, reason) in zip(part, results, strict=True):
                    if not digest:
                        unread[i] = reason
                    else:
                        known[i] = Known(digest, reason)
                        if image is not None:
                            images[i] = image
                    done += 1
                    if progress is not None:
                        progress(done, total)
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
    return unread
