"""Folders of images in, Datasets out, with a report of every file that was not used.

Two layouts are understood: one subfolder per class (the ImageFolder layout of
torchvision and Keras) and a flat folder whose file names start with the class
(Kaggle's ``cat.123.jpg``). A folder holding ``train/`` and ``test/`` gives both sets.
Decoding runs on a thread pool (Pillow releases the GIL while it decodes), reports
progress, and can be cancelled between files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..files import mode_problem, read_regular
from .dataset import DataError, Dataset, ImageSet, Skipped
from .images import DEFAULT_N_PX, MAX_FILE_BYTES, ImageError, load_image
from .memory import memory_problem

POSITIVE_NAMES = ("cat", "cats", "yes", "positive", "pos", "1", "true")
IGNORED_FILES = {"thumbs.db", "desktop.ini", "icon\r"}
DECODE_BATCH = 16

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class LoadCancelled(Exception):
    """The user cancelled a load; nothing was changed."""


@dataclass(frozen=True)
class LabelledFile:
    path: Path
    class_name: str


def walk_files(top: Path, skipped: list[Skipped]) -> list[Path]:
    """Every visible file below ``top``, following links once; loops and locked folders are reported."""
    seen: set[tuple[int, int]] = set()
    files: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            skipped.append(Skipped(str(folder), _os_reason(exc, "folder")))
            continue
        if (st.st_dev, st.st_ino) in seen:
            skipped.append(Skipped(str(folder), "folder link loops back to a folder already read"))
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(str(folder), _os_reason(exc, "folder")))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name.lower() in IGNORED_FILES:
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subfolders.append(path)
                elif entry.is_file():
                    files.append(path)
                else:  # stat raises for broken or looping links
                    skipped.append(Skipped(str(path), mode_problem(path.stat().st_mode) or "not a regular file"))
            except OSError as exc:
                skipped.append(Skipped(str(path), _os_reason(exc, "file")))
        stack.extend(reversed(subfolders))
    return files


def _os_reason(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP:
        return "link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied ({what})"
    if exc.errno == errno.ENOENT:
        return "broken link" if what == "file" else "no such folder"
    return f"unreadable {what} ({exc.strerror or exc})"


def _visible_children(folder: Path) -> tuple[list[Path], list[Path]]:
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)  # names: far cheaper than comparing Paths
    except OSError as exc:
        raise DataError(f"{folder}: cannot read the folder ({exc.strerror or exc})") from None
    entries = [e for e in entries if not e.name.startswith(".") and e.name.lower() not in IGNORED_FILES]
    dirs, files = [], []
    for e in entries:
        try:
            (dirs if e.is_dir() else files).append(e)
        except OSError:
            files.append(e)
    return dirs, files


_PREFIX = re.compile(r"^([A-Za-z][A-Za-z-]*?)(?=[._ \d])")


def scan_folder(folder: Path) -> tuple[list[LabelledFile], list[Skipped]]:
    """The labelled files of a class-per-subfolder or a name-prefix folder."""
    skipped: list[Skipped] = []
    dirs, files = _visible_children(folder)
    if dirs:
        items = []
        for d in dirs:
            items += [LabelledFile(p, d.name) for p in walk_files(d, skipped)]
        skipped += [Skipped(str(f), "not inside a class folder") for f in files]
        return items, skipped
    items = []
    for f in files:
        match = _PREFIX.match(f.name)
        if match:
            items.append(LabelledFile(f, match.group(1).lower()))
        else:
            skipped.append(Skipped(str(f), "its name does not start with a class, as in cat.1.jpg"))
    return items, skipped


def choose_classes(names: list[str], positive: str | None, where: str) -> tuple[str, str]:
    """(negative, positive) among exactly two class names."""
    found = sorted(set(names))
    if len(found) != 2:
        listed = ", ".join(found) if found else "none"
        raise DataError(f"{where}: needs exactly two classes, found {len(found)} ({listed})")
    if positive is not None:
        hits = [n for n in found if n.lower() == positive.lower()]
        if not hits:
            raise DataError(f"{where}: --positive {positive} is not one of the classes ({', '.join(found)})")
        pos = hits[0]
    else:
        hits = [n for n in found if n.lower() in POSITIVE_NAMES]
        if len(hits) != 1:
            raise DataError(
                f"{where}: which class is positive (y = 1)? Classes: {', '.join(found)}; say so with --positive NAME"
            )
        pos = hits[0]
    neg = found[0] if found[1] == pos else found[1]
    return neg, pos


def _decode(path: Path, n_px: int) -> tuple[np.ndarray | None, str, str | None]:
    """(image, sha1 of the bytes, reason it failed); FIFOs, devices and huge files are not read."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except ValueError as exc:
        return None, "", str(exc)
    except OSError as exc:
        return None, "", _os_reason(exc, "file")
    digest = hashlib.sha1(data).hexdigest()
    try:
        return load_image(data, n_px), digest, None
    except ImageError as exc:
        return None, digest, str(exc)


def _decode_batch(paths: list[Path], n_px: int) -> list[tuple[np.ndarray | None, str, str | None]]:
    return [_decode(p, n_px) for p in paths]


def decode_files(
    paths: list[Path],
    n_px: int,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> tuple[np.ndarray, list[int], list[Skipped]]:
    """(images, indices into ``paths`` they came from, skipped): the first of identical files is kept.

    Each image goes straight into one preallocated array, so the set is held once, not
    as a list and then a stacked copy. Files go to the pool in batches, a few at a time:
    a folder of 100,000 files makes neither 100,000 futures nor a long queue to cancel.
    """
    workers = workers or min(4, os.cpu_count() or 2)
    images = np.empty((len(paths), n_px, n_px, 3), np.uint8)
    kept: list[int] = []
    skipped: list[Skipped] = []
    first_with: dict[str, Path] = {}
    batches = iter(range(0, len(paths), DECODE_BATCH))
    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode") as pool:

        def submit_next() -> None:
            start = next(batches, None)
            if start is not None:
                pending.append((start, pool.submit(_decode_batch, paths[start : start + DECODE_BATCH], n_px)))

        for _ in range(2 * workers):
            submit_next()
        try:
            while pending:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                start, future = pending.popleft()
                results = future.result()
                submit_next()
                for i, (image, digest, reason) in enumerate(results, start):
                    path = paths[i]
                    if reason is not None:
                        skipped.append(Skipped(str(path), reason))
                    elif digest in first_with:
                        skipped.append(Skipped(str(path), f"duplicate of {first_with[digest]} (same bytes)"))
                    else:
                        first_with[digest] = path
                        images[len(kept)] = image
                        kept.append(i)
                    if progress is not None:
                        progress(i + 1, len(paths))
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
    return images[: len(kept)], kept, skipped


def build_dataset(
    images: np.ndarray, labels: list[int], names: list[str], classes: tuple[str, str], source: str,
    skipped: list[Skipped],
) -> ImageSet:
    counts = [labels.count(0), labels.count(1)]
    for k in (0, 1):
        if counts[k] == 0:
            raise DataError(f"{source}: no usable image of class {classes[k]!r}" + _skip_summary(skipped))
    return ImageSet(images, np.array(labels, dtype=np.int64), names, classes, source, skipped)


def _skip_summary(skipped: list[Skipped]) -> str:
    if not skipped:
        return ""
    return f" ({len(skipped)} file(s) skipped, e.g. {skipped[0].path}: {skipped[0].reason})"


def load_folder(folder: str | os.PathLike, **kwargs) -> Dataset:
    """A Dataset from a folder; see ``load_folder_images`` for the options."""
    return load_folder_images(folder, **kwargs).dataset()


def load_folder_images(
    folder: str | os.PathLike,
    *,
    positive: str | None = None,
    classes: tuple[str, str] | None = None,
    n_px: int = DEFAULT_N_PX,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImageSet:
    """The images of a folder; ``classes`` forces the (negative, positive) names of a train set."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    items, skipped = scan_folder(folder)
    names = [it.class_name for it in items]
    if classes is None:
        classes = choose_classes(names, positive, str(folder))
    else:
        lower = {c.lower(): k for k, c in enumerate(classes)}
        strangers = sorted({n for n in names if n.lower() not in lower})
        if strangers:
            raise DataError(
                f"{folder}: class {strangers[0]!r} is not one of the training classes ({', '.join(classes)})"
            )
    problem = memory_problem(len(items), n_px)
    if problem:
        raise DataError(f"{folder}: {problem}")
    label_of = {c.lower(): k for k, c in enumerate(classes)}
    images, kept, bad = decode_files([it.path for it in items], n_px, progress, cancelled)
    return build_dataset(images, [label_of[items[i].class_name.lower()] for i in kept],
                         [str(items[i].path) for i in kept], classes, str(folder), skipped + bad)


def split_folders(folder: Path) -> tuple[Path, Path] | None:
    """(train, test) when ``folder`` holds ``train/`` and ``test/`` subfolders."""
    dirs, _ = _visible_children(folder)
    by_name = {d.name.lower(): d for d in dirs}
    if "train" in by_name and "test" in by_name:
        return by_name["train"], by_name["test"]
    return None
