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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dataset import DataError, Dataset, Skipped, images_to_x
from .images import DEFAULT_N_PX, ImageError, load_image

POSITIVE_NAMES = ("cat", "cats", "yes", "positive", "pos", "1", "true")
IGNORED_FILES = {"thumbs.db", "desktop.ini", "icon\r"}
#: Above this many bytes of float64, X is kept in float32 (half the memory).
FLOAT64_LIMIT_BYTES = 64 * 2**20

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
                else:
                    path.stat()  # raises for broken or looping links
                    skipped.append(Skipped(str(path), "not a regular file"))
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
        entries = sorted(folder.iterdir())
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
    """(image, sha1 of the bytes, reason it failed)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, "", _os_reason(exc, "file")
    digest = hashlib.sha1(data).hexdigest()
    try:
        return load_image(data, n_px), digest, None
    except ImageError as exc:
        return None, digest, str(exc)


def decode_files(
    paths: list[Path],
    n_px: int,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> tuple[list[np.ndarray | None], list[Skipped]]:
    """Decode in parallel, keep the first of identical files, and report the rest."""
    workers = workers or min(4, os.cpu_count() or 2)
    results: list[np.ndarray | None] = [None] * len(paths)
    digests: list[str] = [""] * len(paths)
    reasons: list[str | None] = [None] * len(paths)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode") as pool:
        futures = [pool.submit(_decode, p, n_px) for p in paths]
        try:
            for i, fut in enumerate(futures):
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                results[i], digests[i], reasons[i] = fut.result()
                if progress is not None:
                    progress(i + 1, len(paths))
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
    skipped = []
    first_with: dict[str, Path] = {}
    for i, path in enumerate(paths):
        if reasons[i] is not None:
            skipped.append(Skipped(str(path), reasons[i]))
            results[i] = None
        elif digests[i] in first_with:
            skipped.append(Skipped(str(path), f"duplicate of {first_with[digests[i]]} (same bytes)"))
            results[i] = None
        else:
            first_with[digests[i]] = path
    return results, skipped


def build_dataset(
    images: list[np.ndarray], labels: list[int], names: list[str], classes: tuple[str, str], source: str,
    skipped: list[Skipped],
) -> Dataset:
    m = len(images)
    counts = [labels.count(0), labels.count(1)]
    for k in (0, 1):
        if counts[k] == 0:
            raise DataError(f"{source}: no usable image of class {classes[k]!r}" + _skip_summary(skipped))
    stack = np.stack(images) if m else np.zeros((0, DEFAULT_N_PX, DEFAULT_N_PX, 3), np.uint8)
    dtype = np.float64 if stack[0].size * m * 8 <= FLOAT64_LIMIT_BYTES else np.float32
    return Dataset(
        X=images_to_x(stack, dtype),
        Y=np.array(labels, dtype=np.int64).reshape(1, -1),
        images=stack,
        names=names,
        classes=classes,
        source=source,
        skipped=skipped,
    )


def _skip_summary(skipped: list[Skipped]) -> str:
    if not skipped:
        return ""
    return f" ({len(skipped)} file(s) skipped, e.g. {skipped[0].path}: {skipped[0].reason})"


def load_folder(
    folder: str | os.PathLike,
    *,
    positive: str | None = None,
    classes: tuple[str, str] | None = None,
    n_px: int = DEFAULT_N_PX,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Dataset:
    """A Dataset from a folder; ``classes`` forces the (negative, positive) names of a train set."""
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
    label_of = {c.lower(): k for k, c in enumerate(classes)}
    decoded, bad = decode_files([it.path for it in items], n_px, progress, cancelled)
    skipped += bad
    keep = [(img, label_of[it.class_name.lower()], str(it.path))
            for img, it in zip(decoded, items, strict=True) if img is not None]
    return build_dataset(
        [k[0] for k in keep], [k[1] for k in keep], [k[2] for k in keep], classes, str(folder), skipped
    )


def split_folders(folder: Path) -> tuple[Path, Path] | None:
    """(train, test) when ``folder`` holds ``train/`` and ``test/`` subfolders."""
    dirs, _ = _visible_children(folder)
    by_name = {d.name.lower(): d for d in dirs}
    if "train" in by_name and "test" in by_name:
        return by_name["train"], by_name["test"]
    return None
