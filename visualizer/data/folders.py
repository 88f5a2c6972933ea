"""Folders of images in, Datasets out, with a report of every file that was not used.

Two layouts are understood: one subfolder per class (the ImageFolder layout of
torchvision and Keras) and a flat folder whose file names start with the class
(Kaggle's ``cat.123.jpg``). A folder holding ``train/`` and ``test/`` gives both sets.
Decoded images are kept in the cache (``cache.py``) unless told not to; the rest are
decoded on a thread pool (``decoding.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.data.cache import FolderCache
from visualizer.data.dataset import DataError, Dataset, ImageSet, Skipped
from visualizer.data.decoding import Cancelled, Progress, decode_files, os_reason
from visualizer.data.images import DEFAULT_N_PX
from visualizer.data.memory import memory_problem
from visualizer.fs.files import mode_problem

POSITIVE_NAMES = ("cat", "cats", "yes", "positive", "pos", "1", "true")
IGNORED_FILES = {"thumbs.db", "desktop.ini", "icon\r"}


@dataclass(frozen=True)
class LabelledFile:
    path: str
    class_name: str


def _join(folder: str, name: str) -> str:
    """``str(Path(folder) / name)`` without building a Path: 20,000 of them take a fifth of a second."""
    return name if folder == "." else os.path.join(folder, name)


def _visible(name: str) -> bool:
    return not name.startswith(".") and name.lower() not in IGNORED_FILES


def walk_files(top: Path, skipped: list[Skipped]) -> list[Path]:
    """Every visible file below ``top``, following links once; loops and locked folders are reported."""
    return [Path(p) for p in walk_paths(str(top), skipped)]


def walk_paths(top: str, skipped: list[Skipped]) -> list[str]:
    """``walk_files`` as strings, for folders of many thousand files."""
    seen: set[tuple[int, int]] = set()
    files: list[str] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as exc:
            skipped.append(Skipped(folder, os_reason(exc, "folder")))
            continue
        if (st.st_dev, st.st_ino) in seen:
            skipped.append(Skipped(folder, "folder link loops back to a folder already read"))
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(folder, os_reason(exc, "folder")))
            continue
        subfolders = []
        for entry in entries:
            if not _visible(entry.name):
                continue
            path = _join(folder, entry.name)
            try:
                if entry.is_dir():
                    subfolders.append(path)
                elif entry.is_file():
                    files.append(path)
                else:  # stat raises for broken or looping links
                    skipped.append(Skipped(path, mode_problem(os.stat(path).st_mode) or "not a regular file"))
            except OSError as exc:
                skipped.append(Skipped(path, os_reason(exc, "file")))
        stack.extend(reversed(subfolders))
    return files


def _visible_children(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The visible subfolders, and (name, path) of the other entries, by name."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise DataError(f"{folder}: cannot read the folder ({exc.strerror or exc})") from None
    base = str(folder)
    dirs, files = [], []
    for e in entries:
        if not _visible(e.name):
            continue
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            dirs.append(folder / e.name)
        else:
            files.append((e.name, _join(base, e.name)))
    return dirs, files


_PREFIX = re.compile(r"^([A-Za-z][A-Za-z-]*?)(?=[._ \d])")


def scan_folder(folder: Path) -> tuple[list[LabelledFile], list[Skipped]]:
    """The labelled files of a class-per-subfolder or a name-prefix folder."""
    skipped: list[Skipped] = []
    dirs, files = _visible_children(folder)
    if dirs:
        items = []
        for d in dirs:
            items += [LabelledFile(p, d.name) for p in walk_paths(str(d), skipped)]
        skipped += [Skipped(path, "not inside a class folder") for _, path in files]
        return items, skipped
    items = []
    for name, path in files:
        match = _PREFIX.match(name)
        if match:
            items.append(LabelledFile(path, match.group(1).lower()))
        else:
            skipped.append(Skipped(path, "its name does not start with a class, as in cat.1.jpg"))
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
            raise DataError(f"{where}: --positive {positive} is not one of the classes ({', '.join(found)})",
                            "positive")
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
    cache: bool = True,
) -> ImageSet:
    """The images of a folder; ``classes`` forces the (negative, positive) names of a train set.

    ``cache=False`` neither reads nor writes the cache of decoded images.
    """
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
    paths = [it.path for it in items]
    store = FolderCache(folder, n_px, paths) if cache else None
    images, kept, bad = decode_files(paths, n_px, progress, cancelled, cache=store)
    return build_dataset(images, [label_of[items[i].class_name.lower()] for i in kept],
                         [items[i].path for i in kept], classes, str(folder), skipped + bad)


def split_folders(folder: Path) -> tuple[Path, Path] | None:
    """(train, test) when ``folder`` holds ``train/`` and ``test/`` subfolders."""
    dirs, _ = _visible_children(folder)
    by_name = {d.name.lower(): d for d in dirs}
    if "train" in by_name and "test" in by_name:
        return by_name["train"], by_name["test"]
    return None
