"""One entry point for every source: a course .h5 file, a folder, the built-in demo set, or 2-D points
(a built-in ``planar:NAME`` set or a CSV of x1,x2,y)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from visualizer.data.course_h5 import default_test_file, read_course_images
from visualizer.data.dataset import DataError, Dataset, ImageSet, split_indices
from visualizer.data.decoding import Cancelled, Progress
from visualizer.data.folders import load_folder_images, split_folders
from visualizer.data.images import DEFAULT_N_PX, N_PX_RANGE
from visualizer.data.memory import x_dtype
from visualizer.data.planar import as_dataset, is_planar, load_planar, read_planar_csv
from visualizer.fs.files import require_regular
from visualizer.fs.resources import DEMO_DIR

H5_SUFFIXES = (".h5", ".hdf5")
CSV_SUFFIXES = (".csv",)


def load_data(
    train: str | os.PathLike | None = None,
    test: str | os.PathLike | None = None,
    *,
    positive: str | None = None,
    n_px: int | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    cache: bool = True,
) -> tuple[Dataset, Dataset | None]:
    """(train, test) from any source; without a test source, a seeded stratified split.

    ``train=None`` means the built-in demo set. ``test_fraction=0`` keeps every example
    for training when no test set is given. ``cache=False`` decodes every image of a
    folder again instead of reusing (and storing) them in the cache.
    """
    if n_px is not None and not N_PX_RANGE[0] <= n_px <= N_PX_RANGE[1]:
        raise DataError(f"--n-px must be between {N_PX_RANGE[0]} and {N_PX_RANGE[1]}, not {n_px}", "n_px")
    if not 0 <= test_fraction < 1:
        raise DataError(f"--test-fraction must be at least 0 and below 1, not {test_fraction}", "test_fraction")
    if is_points(train):
        return _load_points(train, test, positive=positive, n_px=n_px, test_fraction=test_fraction, seed=seed)
    if test is not None and is_points(test):
        raise DataError(f"{test}: holds 2-D points, which cannot test a model of the images of "
                        f"{train or 'the demo set'}")
    train_path = Path(train) if train is not None else DEMO_DIR
    if train is None and not DEMO_DIR.is_dir():
        raise DataError(f"{DEMO_DIR}: the built-in demo set is missing (run scripts/make_demo_data.py)")
    kwargs = dict(positive=positive, n_px=n_px, progress=progress, cancelled=cancelled, cache=cache)
    test_path = Path(test) if test is not None else None
    if train_path.is_dir() and test_path is None and (pair := split_folders(train_path)):
        train_path, test_path = pair
    if test_path is None and train_path.suffix.lower() in H5_SUFFIXES:
        test_path = default_test_file(train_path)
    train_set = load_one(train_path, **kwargs)
    if test_path is not None:
        train_data = train_set.dataset()  # first, so the test set's memory check counts its X
        test_set = load_one(test_path, classes=train_set.classes, **kwargs)
        if test_set.n_px != train_set.n_px:
            raise DataError(
                f"{test_path}: its images are {test_set.n_px} px, the training set's {train_set.n_px} px; "
                "use --n-px to bring both to one size"
            )
        return train_data, test_set.dataset()
    if test_fraction == 0:
        return train_set.dataset(), None
    # Split the images before X exists, so X is built once per part and never copied.
    dtype = x_dtype(train_set.m, 3 * train_set.n_px**2)
    train_idx, test_idx = split_indices(train_set.labels, test_fraction, seed)
    if len(test_idx) == 0:  # too few examples of a class to hold any out
        return train_set.dataset(dtype), None
    train_set, held_out = train_set.split(train_idx, test_idx)
    held_out.source = f"{train_set.source} (held out: {100 * test_fraction:.0f} %)"
    held_out.skipped = []
    return train_set.dataset(dtype), held_out.dataset(dtype)


def is_points(source: str | os.PathLike | None) -> bool:
    """Does ``source`` name 2-D points: a built-in ``planar:NAME`` set or a .csv file?"""
    return is_planar(source) or (source is not None and Path(source).suffix.lower() in CSV_SUFFIXES)


def _read_points(source: str | os.PathLike) -> Dataset:
    return as_dataset(load_planar(source) if is_planar(source) else read_planar_csv(source))


def _load_points(train, test, *, positive, n_px, test_fraction, seed) -> tuple[Dataset, Dataset | None]:
    """2-D points: (train, test) as load_data returns them. Without a test source, a seeded stratified split;
    ``test_fraction=0`` trains and reports on every point, as the course does with its flower."""
    if n_px is not None:
        raise DataError(f"{train}: holds 2-D points, not images, so --n-px does not apply", "n_px")
    train_set = _read_points(train)
    if positive is not None and positive != train_set.classes[1]:
        raise DataError(f"{train}: the classes of 2-D points are {train_set.classes[0]} (y = 0) and "
                        f"{train_set.classes[1]} (y = 1), so --positive can only be {train_set.classes[1]}",
                        "positive")
    if test is not None:
        if not is_points(test):
            raise DataError(f"{test}: is not 2-D points (planar:NAME or a .csv of x1,x2,y), as {train} is")
        return train_set, _read_points(test)
    if test_fraction == 0:
        return train_set, None
    train_idx, test_idx = split_indices(train_set.Y.reshape(-1), test_fraction, seed)
    if len(test_idx) == 0:
        return train_set, None
    return (subset(train_set, train_idx, train_set.source),
            subset(train_set, test_idx, f"{train_set.source} (held out: {100 * test_fraction:.0f} %)"))


def load_one(
    path: Path, *, positive=None, classes=None, n_px=None, progress=None, cancelled=None, cache=True
) -> ImageSet:
    require_regular(path, DataError, folder_ok=True)
    if path.is_dir():
        return load_folder_images(path, positive=positive, classes=classes, n_px=n_px or DEFAULT_N_PX,
                                  progress=progress, cancelled=cancelled, cache=cache)
    if path.suffix.lower() in H5_SUFFIXES:
        data = read_course_images(path, n_px)
        if classes is not None and [c.lower() for c in classes] != [c.lower() for c in data.classes]:
            raise DataError(f"{path}: classes {data.classes} differ from the training set's {classes}")
        return data
    raise DataError(f"{path}: not a folder of images or a course .h5 file")


def subset(data: Dataset, idx: np.ndarray, source: str) -> Dataset:
    return Dataset(
        X=data.X[:, idx], Y=data.Y[:, idx], images=data.images[idx], names=[data.names[i] for i in idx],
        classes=data.classes, source=source, skipped=list(data.skipped),
    )


def split_dataset(data: Dataset, test_fraction: float, seed: int = 0) -> tuple[Dataset, Dataset]:
    """A stratified split: each class gives the same fraction of its examples to the test set."""
    train_idx, test_idx = split_indices(data.Y.reshape(-1), test_fraction, seed)
    train = subset(data, train_idx, data.source)
    test = subset(data, test_idx, f"{data.source} (held out: {100 * test_fraction:.0f} %)")
    test.skipped = []
    return train, test
