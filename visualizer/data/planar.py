"""2-D data: the course's flower, four seeded shapes, and CSV files of x1, x2, y.

Named where a data path is accepted as ``planar:NAME`` (``planar:flower``, ``planar:moons``,
...). Each set is X of shape (2, m), float64, and Y of shape (1, m), 0 or 1, as the course's
``load_planar_dataset`` returns them. The flower is the course's own 400 points, drawn in
its order from ``np.random.seed(1)``; the others come from our own numpy generators, seeded,
with the course's settings of ``load_extra_datasets`` (200 points each).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.data.dataset import DataError, Dataset
from visualizer.fs.files import read_regular

PREFIX = "planar:"
#: The course's colours: 0 is red, 1 is blue.
CLASSES = ("red", "blue")
#: A CSV of points is read only up to this size, and up to this many points.
CSV_MAX_BYTES = 8 * 2**20
CSV_MAX_POINTS = 100_000
#: Coordinates beyond this would overflow the products of training.
CSV_MAX_ABS = 1e6


@dataclass(frozen=True)
class PlanarSet:
    """X (2, m) float64, Y (1, m) int64 in {0, 1}, where they came from, and the classes' names."""

    X: np.ndarray
    Y: np.ndarray
    source: str
    classes: tuple[str, str] = CLASSES

    @property
    def m(self) -> int:
        return self.X.shape[1]


def flower(seed: int = 1, m: int = 400, a: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """The course's flower: two classes of m/2 points in petals of radius up to a.

    For class j: t = linspace(3.12 j, 3.12 (j+1), m/2) + 0.2 randn, r = a sin 4t + 0.2 randn,
    x = (r sin t, r cos t), drawn from the legacy generator in the course's order.
    """
    rng = np.random.RandomState(seed)  # the numbers np.random.seed(seed) then np.random.randn give
    N, D = m // 2, 2
    X, Y = np.zeros((m, D)), np.zeros((m, 1), dtype=np.int64)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def moons(seed: int = 0, m: int = 200, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: class 0 is (cos t, sin t), class 1 is (1 − cos t, 1/2 − sin t),
    t evenly spaced over [0, π], plus Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    m0 = m // 2
    t0, t1 = np.linspace(0, np.pi, m0), np.linspace(0, np.pi, m - m0)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]), np.vstack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    return X + noise * rng.standard_normal(X.shape), _labels(m0, m)


def circles(seed: int = 0, m: int = 200, factor: float = 0.5, noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Two rings: class 0 the unit circle, class 1 a circle of radius ``factor`` inside it, angles
    evenly spaced, plus Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    m0 = m // 2
    t0 = np.linspace(0, 2 * np.pi, m0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, m - m0, endpoint=False)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]), factor * np.vstack([np.cos(t1), np.sin(t1)])])
    return X + noise * rng.standard_normal(X.shape), _labels(m0, m)


def blobs(seed: int = 5, m: int = 200, centers: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """``centers`` round clusters (standard deviation 1) around centres drawn uniformly in
    [−10, 10]², as many points each as can be (the first ones one more); a point's class is
    its cluster's number modulo 2, as the course relabels its blobs (``Y % 2``)."""
    rng = np.random.default_rng(seed)
    where = rng.uniform(-10, 10, size=(centers, 2))
    cluster = np.repeat(np.arange(centers), [m // centers + (k < m % centers) for k in range(centers)])
    X = (where[cluster] + rng.standard_normal((m, 2))).T
    return X, (cluster % 2).astype(np.int64).reshape(1, m)


def gaussian_quantiles(seed: int = 0, m: int = 200, cov: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Points from one Gaussian of covariance ``cov`` I, centred at 0; class 1 is the half farther
    from the centre than the median distance (the second of two quantiles)."""
    rng = np.random.default_rng(seed)
    X = math.sqrt(cov) * rng.standard_normal((2, m))
    order = np.argsort(np.sum(X * X, axis=0), kind="stable")
    Y = np.zeros((1, m), dtype=np.int64)
    Y[0, order[m // 2 :]] = 1
    return X, Y


def _labels(m0: int, m: int) -> np.ndarray:
    return np.concatenate([np.zeros(m0, np.int64), np.ones(m - m0, np.int64)]).reshape(1, m)


#: The built-in sets by name: the generator and one line saying what it is.
PLANAR_SETS: dict[str, tuple[Callable[[], tuple[np.ndarray, np.ndarray]], str]] = {
    "flower": (flower, "the course's flower: 400 points in 8 petals, 2 classes"),
    "moons": (moons, "two interleaved half circles, 200 points"),
    "circles": (circles, "a ring inside a ring, 200 points"),
    "blobs": (blobs, "6 clusters, alternate ones in each class, 200 points"),
    "gaussian-quantiles": (gaussian_quantiles, "one Gaussian cloud, its inner and outer halves, 200 points"),
}


def is_planar(source: str | os.PathLike | None) -> bool:
    """Does ``source`` name a built-in 2-D set (``planar:NAME``)?"""
    return isinstance(source, str) and source.startswith(PREFIX)


def load_planar(source: str) -> PlanarSet:
    """The built-in set ``planar:NAME``."""
    name = source[len(PREFIX) :] if is_planar(source) else source
    if name not in PLANAR_SETS:
        raise DataError(f"{source}: no such built-in 2-D set; choose "
                        + ", ".join(PREFIX + n for n in PLANAR_SETS))
    X, Y = PLANAR_SETS[name][0]()
    return PlanarSet(X, Y, PREFIX + name)


def read_planar_csv(path: str | os.PathLike) -> PlanarSet:
    """Points from a CSV file of x1, x2, y (one per line; a first line of names is skipped).

    Anything else is refused in one line naming the file (and the line): not a regular file,
    over CSV_MAX_BYTES or CSV_MAX_POINTS, not UTF-8 text, a line without exactly three values,
    a coordinate that is not a finite number within ±CSV_MAX_ABS, a label other than 0 or 1,
    no points at all.
    """
    try:
        raw = read_regular(path, CSV_MAX_BYTES)
    except ValueError as exc:
        raise DataError(f"{path}: {exc}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file of x1,x2,y lines (it is not UTF-8)") from None
    rows, first = [], True
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        if first and not _numbers(fields):
            first = False
            continue  # a header such as x1,x2,y
        first = False
        rows.append(_point(path, number, fields))
        if len(rows) > CSV_MAX_POINTS:
            raise DataError(f"{path}: more than {CSV_MAX_POINTS:,} points")
    if not rows:
        raise DataError(f"{path}: holds no points (expected lines of x1,x2,y)")
    values = np.array(rows, dtype=float)
    return PlanarSet(values[:, :2].T.copy(), values[:, 2].astype(np.int64).reshape(1, -1), str(path))


def _numbers(fields: list[str]) -> bool:
    try:
        [float(f) for f in fields]
    except ValueError:
        return False
    return True


def _point(path, number: int, fields: list[str]) -> tuple[float, float, float]:
    where = f"{path}: line {number}"
    if len(fields) != 3:
        raise DataError(f"{where}: expected 3 values x1,x2,y, found {len(fields)}")
    try:
        x1, x2, y = (float(f) for f in fields)
    except ValueError:
        raise DataError(f"{where}: expected numbers x1,x2,y, found {_short(','.join(fields))}") from None
    if not all(math.isfinite(v) and abs(v) <= CSV_MAX_ABS for v in (x1, x2)):
        raise DataError(f"{where}: coordinates must be finite numbers within ±{CSV_MAX_ABS:g}")
    if y not in (0.0, 1.0):
        raise DataError(f"{where}: the label y must be 0 or 1, not {_short(fields[2])}")
    return x1, x2, y


def _short(text: str, limit: int = 40) -> str:
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_dataset(points: PlanarSet) -> Dataset:
    """The app's Dataset of a 2-D set: X and Y as they are, and no pictures (images of 0×0 px).

    Unlike images, the coordinates are not in [0, 1]; ``n_px == 0`` tells a 2-D set apart.
    """
    m = points.m
    return Dataset(X=points.X, Y=points.Y, images=np.zeros((m, 0, 0, 3), np.uint8),
                   names=[f"{points.source}[{i}]" for i in range(m)], classes=points.classes, source=points.source)


def with_point(data: Dataset, x1: float, x2: float, label: int) -> Dataset:
    """A new Dataset of 2-D points with one more at (x1, x2) of class ``label`` (the original is left as it was,
    for undo); refused, naming why, for images, a label other than 0 or 1, or coordinates a CSV could not hold."""
    if not data.is_points:
        raise DataError(f"{data.source}: holds images, so a point cannot be added to it")
    if label not in (0, 1):
        raise DataError(f"a point's label must be 0 or 1, not {label}")
    if not all(math.isfinite(v) and abs(v) <= CSV_MAX_ABS for v in (x1, x2)):
        raise DataError(f"coordinates must be finite numbers within ±{CSV_MAX_ABS:g}")
    return Dataset(X=np.hstack([data.X, np.array([[x1], [x2]], dtype=data.X.dtype)]),
                   Y=np.hstack([data.Y, np.array([[label]], dtype=np.int64)]),
                   images=np.zeros((data.m + 1, 0, 0, 3), np.uint8),
                   names=[*data.names, f"point ({x1:.3g}, {x2:.3g}) added"], classes=data.classes,
                   source=data.source, skipped=data.skipped)
