"""Models and sessions as .npz files: written atomically, read without ever unpickling.

A model is what ``visualizer predict`` needs: w, b, n_px, the classes and how images
are prepared. A session is everything needed to reopen the window as it was: the
examples themselves (so it opens on another machine), the settings and the run's
history. Reading checks every array's presence, type and shape before anything changes.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .core.history import METRICS, History
from .data import Dataset, images_to_x
from .data.dataset import Skipped

MODEL_FORMAT, SESSION_FORMAT, VERSION = "visualizer-model", "visualizer-session", 1
PREPROCESSING = ("decode with Pillow (EXIF rotation applied, transparency on white, 8-bit RGB), centre-crop to "
                 "a square, Lanczos resize to n_px x n_px, unroll in the course's order, divide by 255")


class StorageError(Exception):
    """A file that cannot be written or read; the message names it and says why."""


def atomic_write(path: str | os.PathLike, write, binary: bool = True) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place.

    A crash or a full disk leaves the old file (or none), never a half-written one.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise StorageError(f"{path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"newline": ""})) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"{path}: could not be written ({exc.strerror or exc})") from None


def atomic_save(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    atomic_write(path, lambda f: np.savez_compressed(f, **arrays))


def _load(path: str | os.PathLike, expected_format: str) -> dict[str, np.ndarray]:
    path = Path(path)
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:  # our handle: closed even on damage
            arrays = {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise StorageError(f"{path}: no such file") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise StorageError(f"{path}: refused: it holds Python objects, which could run code when read") from None
        raise StorageError(f"{path}: damaged ({exc})") from None
    except (OSError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise StorageError(f"{path}: not a readable .npz file ({exc})") from None
    fmt = _text(arrays, "format", path)
    if fmt != expected_format:
        what = "a model" if expected_format == MODEL_FORMAT else "a session"
        raise StorageError(f"{path}: not {what} file (it says {fmt!r})")
    version = _number(arrays, "version", path, int)
    if version > VERSION:
        raise StorageError(f"{path}: written by a newer visualizer (format {version}; this one reads {VERSION})")
    return arrays


def _need(arrays, key, path, dtype_kind: str, ndim: int | None = None) -> np.ndarray:
    if key not in arrays:
        raise StorageError(f"{path}: the entry {key!r} is missing")
    a = arrays[key]
    if a.dtype.kind not in dtype_kind or (ndim is not None and a.ndim != ndim):
        raise StorageError(f"{path}: the entry {key!r} has type {a.dtype} and shape {a.shape}")
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise StorageError(f"{path}: the entry {key!r} holds NaN or infinite values")
    return a


def _text(arrays, key, path) -> str:
    return str(_need(arrays, key, path, "U", 0)[()])


def _number(arrays, key, path, kind=float):
    return kind(_need(arrays, key, path, "iuf", 0)[()])


# ---------------------------------------------------------------------- models
@dataclass
class Model:
    w: np.ndarray
    b: float
    n_px: int
    classes: tuple[str, str]
    alpha_changes: list[tuple[int, float]]
    metrics: dict

    def z(self, X: np.ndarray) -> np.ndarray:
        return self.w @ X + self.b


def save_model(path, w, b, n_px, classes, alpha_changes, metrics) -> None:
    atomic_save(path, {
        "format": np.array(MODEL_FORMAT), "version": np.array(VERSION),
        "w": np.asarray(w, dtype=np.float64), "b": np.array(float(b)), "n_px": np.array(int(n_px)),
        "classes": np.array(list(classes)), "preprocessing": np.array(PREPROCESSING),
        "alpha_changes": np.array(alpha_changes, dtype=np.float64).reshape(-1, 2),
        "metrics": np.array(json.dumps(metrics)),
    })


def load_model(path) -> Model:
    a = _load(path, MODEL_FORMAT)
    n_px = _number(a, "n_px", path, int)
    w = _need(a, "w", path, "f", 1)
    if not 1 <= n_px <= 4096 or w.size != 3 * n_px * n_px:
        raise StorageError(f"{path}: w has {w.size} values, but n_px = {n_px} needs {3 * n_px * n_px}")
    classes = _need(a, "classes", path, "U", 1)
    if classes.size != 2:
        raise StorageError(f"{path}: it must name two classes, not {classes.size}")
    changes = _need(a, "alpha_changes", path, "f", 2)
    try:
        metrics = json.loads(_text(a, "metrics", path))
    except json.JSONDecodeError:
        raise StorageError(f"{path}: its metrics are not valid JSON") from None
    return Model(w.astype(np.float64), _number(a, "b", path), n_px, (str(classes[0]), str(classes[1])),
                 [(int(i), float(al)) for i, al in changes], metrics)


# ---------------------------------------------------------------------- sessions
@dataclass
class Session:
    train: Dataset
    test: Dataset | None
    settings: dict
    history: History
    iteration: int
    w: np.ndarray
    b: float


def _dataset_arrays(prefix: str, d: Dataset) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_images": d.images, f"{prefix}_labels": d.Y.reshape(-1).astype(np.int64),
        f"{prefix}_names": np.array(d.names, dtype=str) if d.names else np.zeros(0, dtype="U1"),
        f"{prefix}_source": np.array(d.source),
        f"{prefix}_skipped": np.array(json.dumps([[s.path, s.reason] for s in d.skipped])),
    }


def save_session(path, train: Dataset, test: Dataset | None, settings: dict, history: History,
                 iteration: int, w: np.ndarray, b: float) -> None:
    arrays = {"format": np.array(SESSION_FORMAT), "version": np.array(VERSION),
              "classes": np.array(list(train.classes)), "settings": np.array(json.dumps(settings)),
              "costs": history.costs.values.copy(), "iteration": np.array(int(iteration)),
              "alpha_changes": np.array(history.alpha_changes, dtype=np.float64).reshape(-1, 2),
              "w": np.asarray(w, dtype=np.float64), "b": np.array(float(b))}
    for name, column in history.metrics.items():
        arrays[f"metric_{name}"] = column.values.copy()
    arrays.update(_dataset_arrays("train", train))
    if test is not None:
        arrays.update(_dataset_arrays("test", test))
    atomic_save(path, arrays)


def _read_dataset(a, prefix, path, classes) -> Dataset:
    images = _need(a, f"{prefix}_images", path, "u", 4)
    labels = _need(a, f"{prefix}_labels", path, "iu", 1)
    names = _need(a, f"{prefix}_names", path, "U", 1)
    if images.dtype != np.uint8 or images.shape[3] != 3 or images.shape[1] != images.shape[2]:
        raise StorageError(f"{path}: {prefix} images have shape {images.shape} and type {images.dtype}")
    if not (len(labels) == len(names) == images.shape[0]) or not np.all((labels == 0) | (labels == 1)):
        raise StorageError(f"{path}: the {prefix} images, labels and names do not agree")
    try:
        skipped = [Skipped(str(p), str(r)) for p, r in json.loads(_text(a, f"{prefix}_skipped", path))]
    except (json.JSONDecodeError, ValueError, TypeError):
        raise StorageError(f"{path}: the {prefix} load report is damaged") from None
    return Dataset(images_to_x(images), labels.reshape(1, -1).astype(np.int64), images, [str(n) for n in names],
                   classes, _text(a, f"{prefix}_source", path), skipped)


def load_session(path) -> Session:
    a = _load(path, SESSION_FORMAT)
    classes_a = _need(a, "classes", path, "U", 1)
    if classes_a.size != 2:
        raise StorageError(f"{path}: it must name two classes")
    classes = (str(classes_a[0]), str(classes_a[1]))
    train = _read_dataset(a, "train", path, classes)
    test = _read_dataset(a, "test", path, classes) if "test_images" in a else None
    if test is not None and test.n_x != train.n_x:
        raise StorageError(f"{path}: its train and test images differ in size")
    try:
        settings = json.loads(_text(a, "settings", path))
    except json.JSONDecodeError:
        raise StorageError(f"{path}: its settings are not valid JSON") from None
    costs = _need(a, "costs", path, "f", 1)
    iteration = _number(a, "iteration", path, int)
    w = _need(a, "w", path, "f", 1)
    if iteration != costs.size or w.size != train.n_x:
        raise StorageError(f"{path}: its history ({costs.size} costs, iteration {iteration}) or w "
                           f"({w.size} values for {train.n_x} features) do not fit together")
    history = History()
    history.costs.extend(costs)
    changes = _need(a, "alpha_changes", path, "f", 2)
    if changes.shape[1:] != (2,) or len(changes) == 0 or np.any(changes[:, 1] <= 0):
        raise StorageError(f"{path}: its learning-rate history is damaged")
    history.alpha_changes = [(int(i), float(al)) for i, al in changes]
    for name in ("iteration", *METRICS):
        history.metrics[name].extend(_need(a, f"metric_{name}", path, "f", 1))
    return Session(train, test, settings, history, iteration, w, _number(a, "b", path))


# ---------------------------------------------------------------------- exports
def cost_csv(runs: dict[str, History]) -> str:
    """One row per iteration of every run: run, iteration, cost, test cost, accuracies, alpha.

    Test figures exist every few iterations; other rows leave those cells empty (never NaN).
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["run", "iteration", "cost", "test_cost", "train_accuracy", "test_accuracy", "alpha"])
    for name, h in runs.items():
        costs, alphas = h.costs.values, h.alphas()
        at = {int(i): k for k, i in enumerate(h.metrics["iteration"].values)}
        columns = {m: h.metrics[m].values for m in ("test_cost", "train_accuracy", "test_accuracy")}

        def cell(metric, i, at=at, columns=columns):
            k = at.get(i)
            values = columns[metric]
            return "" if k is None or k >= len(values) else repr(float(values[k]))

        for i in range(len(costs)):
            writer.writerow([name, i, repr(float(costs[i])), cell("test_cost", i), cell("train_accuracy", i),
                             cell("test_accuracy", i), repr(float(alphas[i]))])
    return out.getvalue()


def save_cost_csv(path, runs: dict[str, History]) -> None:
    text = cost_csv(runs)
    atomic_write(path, lambda f: f.write(text), binary=False)


def save_predictions_csv(path, rows: list[tuple[str, str, str, float, str]]) -> None:
    """rows: (set, path or name, label or '', y-hat, 'yes'/'no'/'')."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["set", "path", "label", "yhat", "correct"])
    for row in rows:
        writer.writerow([row[0], row[1], row[2], f"{row[3]:.6f}", row[4]])
    text = out.getvalue()
    atomic_write(path, lambda f: f.write(text), binary=False)
