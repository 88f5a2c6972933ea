"""The course's .h5 files: ``*_set_x`` (m, n_px, n_px, 3) uint8, ``*_set_y`` and ``list_classes``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from .dataset import DataError, Dataset, images_to_x


def read_course_h5(path: str | os.PathLike) -> Dataset:
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not an .h5 file")
    import h5py

    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise DataError(f"{path}: not a readable HDF5 file ({_short(exc)})") from None
    with f:
        keys = list(f.keys())
        x_key = _one(path, keys, r".*_set_x$", "images (a dataset named like train_set_x)")
        y_key = _one(path, keys, r".*_set_y$", "labels (a dataset named like train_set_y)")
        try:
            x = np.asarray(f[x_key][()])
            y = np.asarray(f[y_key][()])
            raw_classes = f["list_classes"][()] if "list_classes" in f else None
        except Exception as exc:  # h5py raises many types for damaged files
            raise DataError(f"{path}: cannot read its datasets ({_short(exc)})") from None
    if x.ndim != 4 or x.shape[3] != 3 or x.shape[1] != x.shape[2]:
        raise DataError(f"{path}: {x_key} has shape {x.shape}; expected (m, n_px, n_px, 3)")
    if x.dtype != np.uint8:
        if not np.issubdtype(x.dtype, np.number) or x.min() < 0 or x.max() > 255:
            raise DataError(f"{path}: {x_key} must hold 8-bit pixel values 0..255, found {x.dtype}")
        x = x.astype(np.uint8)
    y = y.reshape(-1)
    if y.size != x.shape[0]:
        raise DataError(f"{path}: {x.shape[0]} images but {y.size} labels in {y_key}")
    if not np.all((y == 0) | (y == 1)):
        raise DataError(f"{path}: labels in {y_key} must be 0 or 1, found {sorted(set(np.unique(y).tolist()))[:5]}")
    classes = _classes(path, raw_classes)
    return Dataset(
        X=images_to_x(x),
        Y=y.astype(np.int64).reshape(1, -1),
        images=np.ascontiguousarray(x),
        names=[f"{path.name}[{i}]" for i in range(x.shape[0])],
        classes=classes,
        source=str(path),
    )


def default_test_file(train: str | os.PathLike) -> Path | None:
    """``test_X.h5`` beside ``train_X.h5``, the course's naming, when it exists."""
    train = Path(train)
    if train.suffix.lower() in (".h5", ".hdf5") and train.name.startswith("train_"):
        candidate = train.with_name("test_" + train.name[len("train_") :])
        if candidate.is_file():
            return candidate
    return None


def _one(path: Path, keys: list[str], pattern: str, what: str) -> str:
    hits = [k for k in keys if re.fullmatch(pattern, k)]
    if len(hits) != 1:
        found = ", ".join(keys) or "nothing"
        raise DataError(f"{path}: expected one dataset of {what}; it holds {found}")
    return hits[0]


def _classes(path: Path, raw) -> tuple[str, str]:
    if raw is None:
        return ("non-cat", "cat")
    names = [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in np.asarray(raw).reshape(-1)]
    if len(names) != 2:
        raise DataError(f"{path}: list_classes must name two classes, found {names}")
    return names[0], names[1]


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
