"""What the engine trains on, and what the window shows about each example."""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from visualizer.data.memory import small_pages, x_dtype

#: X at least this large is built on several threads.
PARALLEL_X_BYTES = 16 * 2**20


class DataError(Exception):
    """A data source cannot be used; the message names the file and says why. ``option``: the argument of
    load_data at fault ("positive", "n_px", "test_fraction"), None when it is the source itself."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and the plain reason why."""

    path: str
    reason: str


@dataclass
class Dataset:
    """X (n_x, m) in [0, 1], Y (1, m) in {0, 1}, a uint8 image per example, and a report.

    ``classes[0]`` is the negative class (y = 0) and ``classes[1]`` the positive one.
    """

    X: np.ndarray
    Y: np.ndarray
    images: np.ndarray
    names: list[str]
    classes: tuple[str, str]
    source: str
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self):
        n_x, m = self.X.shape
        if self.Y.shape != (1, m):
            raise DataError(f"{self.source}: {m} examples but labels of shape {self.Y.shape}")
        if self.images.shape[0] != m or len(self.names) != m:
            raise DataError(f"{self.source}: {m} examples but {self.images.shape[0]} images")

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def n_x(self) -> int:
        return self.X.shape[0]

    @property
    def n_px(self) -> int:
        return self.images.shape[1]

    @property
    def is_points(self) -> bool:
        """2-D points (planar:NAME or a CSV of x1,x2,y), which have no pictures, rather than images."""
        return self.n_px == 0 and self.n_x == 2

    def class_counts(self) -> tuple[int, int]:
        positives = int(self.Y.sum())
        return self.m - positives, positives


def images_to_x(images: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Unroll (m, n_px, n_px, 3) uint8 images into columns of X, divided by 255.

    The order is the course's ``reshape(m, -1).T``, so x_i matches its notebook exactly.
    X comes back as a transposed (Fortran-ordered) view: writing it row by row would
    read the images with a stride of n_x bytes, many times slower. The division runs in
    ``dtype`` through numpy's small cast buffers: no full-size temporary besides X.
    Large sets are divided in parts on all cores: filling fresh memory is most of the time.
    """
    m = images.shape[0]
    shape = (m, math.prod(images.shape[1:]))
    with small_pages(math.prod(shape) * np.dtype(dtype).itemsize):
        rows = np.empty(shape, dtype=dtype)
    src = images.reshape(rows.shape)
    cores = min(os.cpu_count() or 1, 8) if rows.nbytes >= PARALLEL_X_BYTES else 1
    cuts = [m * k // (4 * cores) for k in range(4 * cores + 1)]

    def divide(k: int) -> None:
        np.divide(src[cuts[k] : cuts[k + 1]], 255.0, out=rows[cuts[k] : cuts[k + 1]], dtype=dtype)

    if cores == 1:
        np.divide(src, 255.0, out=rows, dtype=dtype)
    else:
        with ThreadPoolExecutor(cores, thread_name_prefix="x") as pool:
            list(pool.map(divide, range(len(cuts) - 1)))
    return rows.T


@dataclass
class ImageSet:
    """Examples as loaded, before X is built: splitting here means X is never copied."""

    images: np.ndarray  # (m, n_px, n_px, 3) uint8
    labels: np.ndarray  # (m,) int64
    names: list[str]
    classes: tuple[str, str]
    source: str
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def m(self) -> int:
        return self.images.shape[0]

    @property
    def n_px(self) -> int:
        return self.images.shape[1]

    def split(self, first: np.ndarray, second: np.ndarray) -> tuple[ImageSet, ImageSet]:
        """The examples at ``first`` and at ``second`` (together each index once), as two sets.

        Their images are two views of this set's array, its rows moved in place cycle by
        cycle: no copy of the images, so no new memory to fill. This set is used up.
        """
        order = np.concatenate([first, second]).astype(np.intp)
        if not np.array_equal(np.sort(order), np.arange(self.m)):
            raise ValueError("split indices must cover every example exactly once")
        images, done = self.images, np.zeros(self.m, bool)
        for start in np.flatnonzero(order != np.arange(self.m)).tolist():
            if done[start]:
                continue
            held, k = images[start].copy(), start
            while order[k] != start:  # row k receives row order[k], which moves on next
                source = order[k]
                images[k] = images[source]
                done[k] = True
                k = source
            images[k] = held
            done[k] = True
        cut = len(first)

        def part(rows: slice, idx: np.ndarray) -> ImageSet:
            return ImageSet(images[rows], self.labels[idx], [self.names[i] for i in idx], self.classes,
                            self.source, list(self.skipped))

        return part(slice(None, cut), first), part(slice(cut, None), second)

    def dataset(self, dtype=None) -> Dataset:
        """The Dataset, X in float64 for small sets (the course's exact figures) and float32 above."""
        dtype = dtype or x_dtype(self.m, math.prod(self.images.shape[1:]))
        return Dataset(X=images_to_x(self.images, dtype), Y=self.labels.astype(np.int64).reshape(1, -1),
                       images=self.images, names=self.names, classes=self.classes, source=self.source,
                       skipped=self.skipped)


def split_indices(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) indices of a stratified split: each class gives the same fraction to the test set."""
    rng = np.random.default_rng(seed)
    test_idx = []
    for label in (0, 1):
        members = np.flatnonzero(y == label)
        count = int(round(test_fraction * members.size))
        count = min(max(count, 1), members.size - 1) if members.size >= 2 else 0
        test_idx.extend(rng.permutation(members)[:count].tolist())
    test_idx = np.array(sorted(test_idx), dtype=int)
    return np.setdiff1d(np.arange(y.size), test_idx), test_idx


def with_examples(data: Dataset, images: np.ndarray, labels: np.ndarray, names: list[str]) -> Dataset:
    """A new Dataset with examples appended (the original is left as it was, for undo)."""
    if images.shape[1:] != data.images.shape[1:]:
        raise DataError(f"new images are {images.shape[1]} px, the data set's {data.n_px} px")
    return Dataset(
        X=np.hstack([data.X, images_to_x(images, data.X.dtype)]),
        Y=np.hstack([data.Y, np.asarray(labels, dtype=np.int64).reshape(1, -1)]),
        images=np.concatenate([data.images, images]), names=data.names + list(names),
        classes=data.classes, source=data.source, skipped=data.skipped,
    )


def take(data: Dataset, idx, labels: np.ndarray | None = None) -> Dataset:
    """The examples at ``idx`` (in that order), optionally with new labels."""
    idx = np.asarray(idx, dtype=int)
    Y = data.Y[:, idx] if labels is None else np.asarray(labels, dtype=np.int64).reshape(1, -1)
    return Dataset(X=data.X[:, idx], Y=Y, images=data.images[idx], names=[data.names[i] for i in idx],
                   classes=data.classes, source=data.source, skipped=data.skipped)
