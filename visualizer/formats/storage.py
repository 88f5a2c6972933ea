"""Models and sessions as .npz files: written atomically, read without ever unpickling.

A model is what ``visualizer predict`` needs: w, b, n_px, the classes and how images
are prepared. A session is everything needed to reopen the window as it was: the
examples themselves (so it opens on another machine), the settings and the run's
history. Reading checks every entry's size before unpacking it (visualizer.formats.npz_reader)
and every value before anything is built, so a bad file raises StorageError and
changes nothing.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.evaluation import COURSE_THRESHOLD
from visualizer.core.engine.history import EDGE, METRICS, History
from visualizer.core.engine.trajectory import ExactState
from visualizer.core.models.network import Network
from visualizer.core.models.registry import model_of
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import Dataset, images_to_x
from visualizer.data.dataset import Skipped
from visualizer.data.images import N_PX_RANGE
from visualizer.formats import comparison_files, pinned_files
from visualizer.formats.npz_reader import SCALAR, NpzError, Spec, read_npz, text
from visualizer.formats.run_state import exact_state, optimizer_changes, optimizer_state_arrays
from visualizer.fs.atomic import StorageError, atomic_save
from visualizer.fs.files import require_regular
from visualizer.model.constraints import batch_problem, check
from visualizer.model.settings import RunSettings, SettingsError, model_problem

MODEL_FORMAT, SESSION_FORMAT, VERSION = "visualizer-model", "visualizer-session", 1
PREPROCESSING = ("decode with Pillow (EXIF rotation applied, transparency on white, 8-bit RGB), centre-crop to "
                 "a square, Lanczos resize to n_px x n_px, unroll in the course's order, divide by 255")


# ---------------------------------------------------------------------- reading
def _load(path: str | os.PathLike, expected_format: str, specs: dict[str, Spec]) -> dict[str, np.ndarray]:
    """Every entry of ``path``, each within its spec; the format and version are checked first."""
    require_regular(path, StorageError)
    what = "a model" if expected_format == MODEL_FORMAT else "a session"
    try:
        with open(path, "rb") as f:
            head = read_npz(f, {"format": specs["format"], "version": SCALAR}, strict=False)
            fmt = str(head["format"][()]) if "format" in head else None
            if fmt != expected_format:
                said = "it has no 'format' entry" if fmt is None else f"it says {fmt[:60]!r}"
                raise StorageError(f"{path}: not {what} file ({said})")
            version = _whole(head, "version", path, 1, 10**6)
            if version > VERSION:
                raise StorageError(f"{path}: written by a newer visualizer (format {version}; "
                                   f"this one reads {VERSION})")
            f.seek(0)
            return read_npz(f, specs)
    except NpzError as exc:
        raise StorageError(f"{path}: {exc}") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _need(a, key, path) -> np.ndarray:
    if key not in a:
        raise StorageError(f"{path}: the entry {key!r} is missing")
    return a[key]


def _floats(a, key, path) -> np.ndarray:
    v = _need(a, key, path).astype(np.float64, copy=False)
    if not np.all(np.isfinite(v)):
        raise StorageError(f"{path}: the entry {key!r} holds NaN or infinite values")
    return v


def _whole(a, key, path, lo: int, hi: int) -> int:
    v = float(_floats(a, key, path)[()]) if _need(a, key, path).dtype.kind == "f" else int(a[key][()])
    if v != int(v) or not lo <= v <= hi:
        raise StorageError(f"{path}: the entry {key!r} is {v:g}; it must be a whole number from {lo} to {hi}")
    return int(v)


def _text(a, key, path) -> str:
    return str(_need(a, key, path)[()])


def _json(a, key, path, what: str):
    try:
        return json.loads(_text(a, key, path))
    except RecursionError:
        raise StorageError(f"{path}: {what} ({key!r}) are nested too deeply") from None
    except ValueError:
        raise StorageError(f"{path}: {what} ({key!r}) are not valid JSON") from None


def _classes(a, path) -> tuple[str, str]:
    c = _need(a, "classes", path)
    if c.size != 2:
        raise StorageError(f"{path}: the entry 'classes' must name two classes, not {c.size}")
    names = (str(c[0]), str(c[1]))
    if not all(n.strip() for n in names) or names[0] == names[1]:
        raise StorageError(f"{path}: the entry 'classes' must hold two different, non-empty names, "
                           f"not {names[0][:40]!r} and {names[1][:40]!r}")
    return names


def _alpha_changes(a, path, last: int | None) -> list[tuple[int, float]]:
    """(iteration, alpha) rows: from 0, increasing, whole iterations up to ``last``, valid alphas."""
    c = _floats(a, "alpha_changes", path)
    if c.ndim != 2 or c.shape[1] != 2 or len(c) == 0:
        raise StorageError(f"{path}: the entry 'alpha_changes' must have shape (k, 2) with k >= 1, not {c.shape}")
    its = c[:, 0]
    if its[0] != 0 or np.any(np.diff(its) <= 0) or np.any(its != np.floor(its)) or \
            (last is not None and its[-1] > last):
        raise StorageError(f"{path}: the entry 'alpha_changes' must start at iteration 0 and go up in whole "
                           f"iterations{'' if last is None else f' to at most {last}'}")
    try:
        return [(int(i), check("alpha", float(al))) for i, al in c]
    except ValueError as exc:
        raise StorageError(f"{path}: the entry 'alpha_changes': {exc}") from None


# ---------------------------------------------------------------------- models
W_MAX = 3 * N_PX_RANGE[1] ** 2
MAX_ALPHA_CHANGES = 10**6
CLASS_CHARS = 256
_CLASSES = Spec("U", 1, 16 * 4 * CLASS_CHARS, max_itemsize=4 * CLASS_CHARS)
_W = Spec("f", 1, 8 * W_MAX)
_ALPHAS = Spec("f", 2, 16 * MAX_ALPHA_CHANGES)
MODEL_SPECS = {"format": text(64), "version": SCALAR, "w": _W, "b": SCALAR, "n_px": SCALAR, "classes": _CLASSES,
               "preprocessing": text(4096), "alpha_changes": _ALPHAS, "metrics": text(2**18)}


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


def _finite_or_none(metrics: dict) -> dict:
    """NaN (a test cost on no examples) is not JSON: it is written, and read, as null."""
    return {k: v if v is None or math.isfinite(v) else None for k, v in metrics.items()}


def save_model(path, w, b, n_px, classes, alpha_changes, metrics) -> None:
    atomic_save(path, {
        "format": np.array(MODEL_FORMAT), "version": np.array(VERSION),
        "w": np.asarray(w, dtype=np.float64), "b": np.array(float(b)), "n_px": np.array(int(n_px)),
        "classes": np.array(list(classes)), "preprocessing": np.array(PREPROCESSING),
        "alpha_changes": np.array(alpha_changes, dtype=np.float64).reshape(-1, 2),
        "metrics": np.array(json.dumps(_finite_or_none(metrics), allow_nan=False)),
    })


def _model_metrics(a, path) -> dict:
    metrics = _json(a, "metrics", path, "its metrics")
    if not isinstance(metrics, dict) or not all(
            v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in metrics.values()):
        raise StorageError(f"{path}: its metrics ('metrics') must be a JSON object of numbers")
    return _finite_or_none(metrics)


def load_model(path) -> Model:
    a = _load(path, MODEL_FORMAT, MODEL_SPECS)
    n_px = _whole(a, "n_px", path, *N_PX_RANGE)
    w = _floats(a, "w", path)
    if w.size != 3 * n_px * n_px:
        raise StorageError(f"{path}: the entry 'w' has {w.size} values, but n_px = {n_px} needs {3 * n_px * n_px}")
    classes = _classes(a, path)
    changes = _alpha_changes(a, path, None)
    metrics = _model_metrics(a, path)
    return Model(w, float(_floats(a, "b", path)[()]), n_px, classes, changes, metrics)


# ---------------------------------------------------------------------- sessions
MAX_EXAMPLES = 10**6
#: A run's own coordinates: logistic regression's (at most n_x + m + 2 numbers), or a network's θ, up to
#: NETWORK_UNITS first-layer units on the largest images (about 100 MB).
NETWORK_UNITS = 64
_NETWORK = Spec("f", 1, 8 * max(W_MAX + MAX_EXAMPLES + 2, NETWORK_UNITS * (W_MAX + 1) + 10**6))
MAX_COSTS = 10**9


def _session_specs() -> dict[str, Spec]:
    column = Spec("f", 1, 8 * MAX_COSTS, memory_factor=2)  # History's columns double as they grow
    specs = {"format": text(64), "version": SCALAR, "classes": _CLASSES, "settings": text(4096), "costs": column,
             "costs_stride": SCALAR, "iteration": SCALAR, "alpha_changes": _ALPHAS, "w": _W, "b": SCALAR,
             "run_method": text(16), "run_w0": _NETWORK, "run_watch": Spec("f", 1, 16),
             "optimizer_changes": text(2**20), "run_counters": Spec("iu", 1, 3 * 8),
             "run_theta": _NETWORK, **{k: Spec("f", 1, 8 * (W_MAX + MAX_EXAMPLES + 2)) for k in ("run_v", "run_s")}}
    specs.update({f"metric_{name}": column for name in ("iteration", *METRICS, EDGE)}, **comparison_files.SPECS,
                 **pinned_files.SPECS, threshold=SCALAR)
    for p in ("train", "test"):
        specs.update({f"{p}_images": Spec("u", 4, 4 * 2**30, memory_factor=9, max_itemsize=1),  # + float64 X
                      f"{p}_labels": Spec("iu", 1, 8 * MAX_EXAMPLES),
                      f"{p}_names": Spec("U", 1, 2**28, max_itemsize=4 * 4096),
                      f"{p}_source": text(4096), f"{p}_skipped": text(2**22)})
    return specs


@dataclass
class Session:
    train: Dataset
    test: Dataset | None
    settings: RunSettings
    history: History
    iteration: int
    w: np.ndarray
    b: float
    exact: ExactState | None = None  # the run's own coordinates (older files have none)
    comparison: comparison_files.SavedComparison | None = None  # the explorer's race and sweep, if kept
    threshold: float = COURSE_THRESHOLD  # ŷ above it is called 1 (older files: the course's 0.5)
    pinned: tuple = ()  # the cost curves kept in the cost panel (visualizer.model.pinned; older files: none)


def _dataset_arrays(prefix: str, d: Dataset) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_images": d.images, f"{prefix}_labels": d.Y.reshape(-1).astype(np.int64),
        f"{prefix}_names": np.array(d.names, dtype=str) if d.names else np.zeros(0, dtype="U1"),
        f"{prefix}_source": np.array(d.source),
        f"{prefix}_skipped": np.array(json.dumps([[s.path, s.reason] for s in d.skipped])),
    }


def network_sizes(train: Dataset, hidden: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    """A network's θ size on this data, and the sizes its descent's own coordinates may have after c₀: θ's own
    (W1 stepped as it is), or with W1's columns one per example (W1 = c₀ W1₀ + C Xᵀ)."""
    net = Network(train.n_x, hidden)
    rest = net.size - hidden[0] * (train.n_x + 1)
    return net.size, (net.size + 1, hidden[0] * (train.m + 1) + rest + 1)


def session_weights(run) -> tuple[np.ndarray, float]:
    """(w, b) as a session keeps them: logistic regression's; a network has no w (its θ is the exact state's)
    and b is its output unit's bias."""
    if model_of(run).has_hidden:
        return np.zeros(0), float(run.theta[-1])
    return run.w, run.b


def save_session(path, train: Dataset, test: Dataset | None, settings: RunSettings | dict, history: History,
                 iteration: int, w: np.ndarray, b: float, exact: ExactState | None = None,
                 comparison: comparison_files.SavedComparison | None = None, threshold: float = COURSE_THRESHOLD,
                 pinned=()) -> None:
    """``settings`` as a RunSettings or a plain dict (checked the same way); an empty test set is not written.
    ``threshold``: the Evaluation panel's; ``pinned``: the cost panel's kept curves."""
    if isinstance(settings, dict):
        try:
            settings = RunSettings.from_dict(settings, "its settings")
        except SettingsError as exc:
            raise StorageError(f"{path}: not saved: {exc}") from None
    arrays = {"format": np.array(SESSION_FORMAT), "version": np.array(VERSION),
              "classes": np.array(list(train.classes)), "settings": np.array(json.dumps(settings.to_dict())),
              "costs": history.costs.values.copy(), "costs_stride": np.array(history.costs.stride),
              "iteration": np.array(int(iteration)),
              "alpha_changes": np.array(history.alpha_changes, dtype=np.float64).reshape(-1, 2),
              "w": np.asarray(w, dtype=np.float64), "b": np.array(float(b)), "threshold": np.array(float(threshold)),
              **pinned_files.arrays(pinned)}
    for name, column in history.metrics.items():
        arrays[f"metric_{name}"] = column.values.copy()
    if history.optimizer_changes != [(0, Optimizer())]:  # optional: plain runs' files stay as they were
        arrays["optimizer_changes"] = np.array(json.dumps([[i, o.to_dict()] for i, o in history.optimizer_changes]))
    if exact is not None:
        arrays.update({"run_method": np.array(exact.method), "run_w0": np.asarray(exact.w0, dtype=np.float64),
                       "run_theta": np.asarray(exact.theta, dtype=np.float64),
                       "run_watch": np.array([exact.divergence_base,
                                              -1 if exact.diverged_at is None else exact.diverged_at], dtype=float)})
        arrays.update(optimizer_state_arrays(exact.optimizer_state))
    arrays.update(_dataset_arrays("train", train), **(comparison_files.arrays(comparison) if comparison else {}))
    if test is not None and test.m:
        arrays.update(_dataset_arrays("test", test))
    atomic_save(path, arrays)


def _read_dataset(a, prefix, path, classes) -> Dataset | None:
    """One set, checked; None for an empty test set. The training set needs both classes."""
    images = _need(a, f"{prefix}_images", path)
    m, n_px = images.shape[0], images.shape[1]
    if images.shape[3] != 3 or images.shape[2] != n_px or not N_PX_RANGE[0] <= n_px <= N_PX_RANGE[1]:
        raise StorageError(f"{path}: the entry '{prefix}_images' has shape {images.shape}; it must be "
                           f"(m, n_px, n_px, 3) with n_px from {N_PX_RANGE[0]} to {N_PX_RANGE[1]}")
    labels, names = _need(a, f"{prefix}_labels", path), _need(a, f"{prefix}_names", path)
    if not len(labels) == len(names) == m:
        raise StorageError(f"{path}: the {prefix} set has {m} images, {len(labels)} labels and {len(names)} names")
    if not np.all((labels == 0) | (labels == 1)):
        raise StorageError(f"{path}: the entry '{prefix}_labels' must hold only 0 and 1")
    if prefix == "train" and not (np.any(labels == 0) and np.any(labels == 1)):
        raise StorageError(f"{path}: the training set needs at least one example of each class")
    report = _json(a, f"{prefix}_skipped", path, f"the {prefix} load report")
    if not isinstance(report, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(s, str) for s in r) for r in report):
        raise StorageError(f"{path}: the {prefix} load report ('{prefix}_skipped') must be a list of [path, reason]")
    source = _text(a, f"{prefix}_source", path)
    if m == 0:
        return None
    return Dataset(images_to_x(images), labels.reshape(1, -1).astype(np.int64), images, [str(n) for n in names],
                   classes, source, [Skipped(p, r) for p, r in report])


def _metric_history(a, path, iteration: int, history: History) -> None:
    """Metric columns: whole increasing iterations within the run, columns that line up, sane values."""
    cols = {name: _floats(a, f"metric_{name}", path) for name in ("iteration", *METRICS)}
    its = cols["iteration"]
    if np.any(its != np.floor(its)) or np.any(np.diff(its) <= 0) or (its.size and (its[0] < 0 or its[-1] > iteration)):
        raise StorageError(f"{path}: the entry 'metric_iteration' must hold whole, increasing iterations "
                           f"from 0 to {iteration}")
    n, sizes = its.size, {name: cols[name].size for name in METRICS}
    if not sizes["train_cost"] == sizes["train_accuracy"] == n or sizes["test_cost"] != sizes["test_accuracy"] \
            or sizes["test_cost"] > n:
        raise StorageError(f"{path}: the metric columns do not line up: {n} recorded iterations, "
                           + ", ".join(f"{v} values of {k}" for k, v in sizes.items()))
    for name in METRICS:
        high = 100.0 if name.endswith("accuracy") else math.inf
        if np.any(cols[name] < 0) or np.any(cols[name] > high):
            raise StorageError(f"{path}: the entry 'metric_{name}' holds values outside 0 .. {high:g}")
    for name, column in cols.items():
        history.metrics[name].extend(column)
    if f"metric_{EDGE}" in a:  # older files have none; NaN marks "no single number here"
        edges = _need(a, f"metric_{EDGE}", path).astype(np.float64, copy=False)
        if edges.size > n or np.any(edges[~np.isnan(edges)] <= 0) or np.any(np.isinf(edges)):
            raise StorageError(f"{path}: the entry 'metric_{EDGE}' must hold at most {n} positive values or NaN")
        history.metrics[EDGE].extend(edges)


def load_session(path) -> Session:
    """Everything checked before anything is built; any problem is a StorageError naming the entry."""
    a = _load(path, SESSION_FORMAT, _session_specs())
    classes = _classes(a, path)
    try:
        settings = RunSettings.from_dict(_json(a, "settings", path, "its settings"), f"{path}: its settings")
    except SettingsError as exc:
        raise StorageError(str(exc)) from None
    train = _read_dataset(a, "train", path, classes)
    if problem := batch_problem(settings.batch_size, train.m):
        raise StorageError(f"{path}: its settings: setting 'batch_size': {problem}")
    if problem := model_problem(settings, train.m, train.n_x):
        raise StorageError(f"{path}: its settings: setting {problem[0]!r}: {problem[1]}")
    has_test = any(k.startswith("test_") for k in a)
    test = _read_dataset(a, "test", path, classes) if has_test else None
    if test is not None and test.n_x != train.n_x:
        raise StorageError(f"{path}: its train images are {train.n_px} px, its test images {test.n_px} px")
    iteration = _whole(a, "iteration", path, 0, MAX_COSTS)
    costs = _floats(a, "costs", path)
    stride = _whole(a, "costs_stride", path, 1, 2**40) if "costs_stride" in a else 1  # older files: 1
    if stride & (stride - 1):
        raise StorageError(f"{path}: the entry 'costs_stride' is {stride}; it must be a power of two")
    if costs.size != -(-iteration // stride) or np.any(costs < 0):
        raise StorageError(f"{path}: the entry 'costs' must hold one cost (>= 0) every {stride} iteration(s): "
                           f"{costs.size} values for iteration {iteration}")
    w = _floats(a, "w", path)
    network = network_sizes(train, settings.hidden) if settings.hidden else None
    if network is not None and w.size:
        raise StorageError(f"{path}: the entry 'w' must be empty: its settings say a network, whose parameters are "
                           "in 'run_theta'")
    if network is None and w.size != train.n_x:
        raise StorageError(f"{path}: the entry 'w' has {w.size} values for {train.n_x} features "
                           f"({train.n_px} x {train.n_px} x 3)")
    b = float(_floats(a, "b", path)[()])
    history = History()
    history.alpha_changes = _alpha_changes(a, path, iteration)
    history.optimizer_changes = optimizer_changes(a, path, iteration, settings, train.m)
    _metric_history(a, path, iteration, history)
    history.costs.restore(costs, stride, iteration)
    return Session(train, test, settings, history, iteration, w, b,
                   exact_state(a, path, train, b, iteration, network),
                   comparison_files.read(a, path, train.m), _threshold(a, path), pinned_files.read(a, path))


def _threshold(a, path) -> float:
    """The Evaluation panel's threshold on ŷ, strictly between 0 and 1; older files have none: 0.5."""
    if "threshold" not in a:
        return COURSE_THRESHOLD
    t = float(_floats(a, "threshold", path)[()])
    if not 0.0 < t < 1.0:
        raise StorageError(f"{path}: the entry 'threshold' is {t:g}; it must be a number between 0 and 1")
    return t

