"""Sessions as .npz files: written atomically, read without ever unpickling.

A session is everything needed to reopen the window as it was: the examples themselves (so it opens on
another machine), the settings and the run's history. Reading checks every entry's size before unpacking it
(visualizer.formats.npz_reader) and every value before anything is built, so a bad file raises StorageError
and changes nothing. Model files, what ``visualizer predict`` reads, are visualizer.formats.model_files.
"""

from __future__ import annotations

import json
import math
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
from visualizer.formats import comparison_files, pinned_files, run_past
from visualizer.formats.npz_reader import SCALAR, Spec, text
from visualizer.formats.run_past import past_arrays
from visualizer.formats.run_state import exact_state, optimizer_changes, optimizer_state_arrays
from visualizer.formats.stored_entries import (
    ALPHAS,
    CLASSES,
    W_ENTRY,
    W_MAX,
    alpha_changes_of,
    classes_of,
    floats,
    json_of,
    need,
    read_stored,
    sentence_of,
    text_of,
    whole,
)
from visualizer.fs.atomic import StorageError, atomic_save
from visualizer.model.constraints import batch_problem
from visualizer.model.settings import RunSettings, SettingsError, model_problem

SESSION_FORMAT, VERSION = "visualizer-session", 1


# ---------------------------------------------------------------------- sessions
MAX_EXAMPLES = 10**6
#: A run's own coordinates: logistic regression's (at most n_x + m + 2 numbers), or a network's θ, up to
#: NETWORK_UNITS first-layer units on the largest images (about 100 MB).
NETWORK_UNITS = 64
_NETWORK = Spec("f", 1, 8 * max(W_MAX + MAX_EXAMPLES + 2, NETWORK_UNITS * (W_MAX + 1) + 10**6))
MAX_COSTS = 10**9


def _session_specs() -> dict[str, Spec]:
    column = Spec("f", 1, 8 * MAX_COSTS, memory_factor=2)  # History's columns double as they grow
    specs = {"format": text(64), "version": SCALAR, "classes": CLASSES, "settings": text(4096), "costs": column,
             "costs_stride": SCALAR, "iteration": SCALAR, "alpha_changes": ALPHAS, "w": W_ENTRY, "b": SCALAR,
             "run_method": text(16), "run_w0": _NETWORK, "run_watch": Spec("f", 1, 16),
             "optimizer_changes": text(2**20), "run_counters": Spec("iu", 1, 3 * 8),
             "run_theta": _NETWORK, **{k: Spec("f", 1, 8 * (W_MAX + MAX_EXAMPLES + 2)) for k in ("run_v", "run_s")}}
    specs.update({f"metric_{name}": column for name in ("iteration", *METRICS, EDGE)}, **comparison_files.SPECS,
                 **pinned_files.SPECS, **run_past.SPECS, threshold=SCALAR)
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
    past_why: str = ""  # why the run's replayable past starts after 0, as the window said (older files: none)


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
                 pinned=(), past_why: str = "") -> None:
    """``settings`` as a RunSettings or a plain dict (checked the same way); an empty test set is not written.
    ``threshold``: the Evaluation panel's; ``pinned``: the cost panel's kept curves; ``past_why``: why the
    iterations before the run's replayable past (``exact.past``) cannot be shown, when it starts after 0."""
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
        arrays.update(optimizer_state_arrays(exact.optimizer_state), **past_arrays(exact.past))
        if past_why and exact.past is not None and exact.past.start:
            arrays["past_why"] = np.array(past_why[:1024])
    arrays.update(_dataset_arrays("train", train), **(comparison_files.arrays(comparison) if comparison else {}))
    if test is not None and test.m:
        arrays.update(_dataset_arrays("test", test))
    atomic_save(path, arrays)


def _read_dataset(a, prefix, path, classes) -> Dataset | None:
    """One set, checked; None for an empty test set. The training set needs both classes."""
    images = need(a, f"{prefix}_images", path)
    m, n_px = images.shape[0], images.shape[1]
    if images.shape[3] != 3 or images.shape[2] != n_px or not N_PX_RANGE[0] <= n_px <= N_PX_RANGE[1]:
        raise StorageError(f"{path}: the entry '{prefix}_images' has shape {images.shape}; it must be "
                           f"(m, n_px, n_px, 3) with n_px from {N_PX_RANGE[0]} to {N_PX_RANGE[1]}")
    labels, names = need(a, f"{prefix}_labels", path), need(a, f"{prefix}_names", path)
    if not len(labels) == len(names) == m:
        raise StorageError(f"{path}: the {prefix} set has {m} images, {len(labels)} labels and {len(names)} names")
    if not np.all((labels == 0) | (labels == 1)):
        raise StorageError(f"{path}: the entry '{prefix}_labels' must hold only 0 and 1")
    if prefix == "train" and not (np.any(labels == 0) and np.any(labels == 1)):
        raise StorageError(f"{path}: the training set needs at least one example of each class")
    report = json_of(a, f"{prefix}_skipped", path, f"the {prefix} load report")
    if not isinstance(report, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(s, str) for s in r) for r in report):
        raise StorageError(f"{path}: the {prefix} load report ('{prefix}_skipped') must be a list of [path, reason]")
    source = text_of(a, f"{prefix}_source", path)
    if m == 0:
        return None
    return Dataset(images_to_x(images), labels.reshape(1, -1).astype(np.int64), images, [str(n) for n in names],
                   classes, source, [Skipped(p, r) for p, r in report])


def _metric_history(a, path, iteration: int, history: History) -> None:
    """Metric columns: whole increasing iterations within the run, columns that line up, sane values."""
    cols = {name: floats(a, f"metric_{name}", path) for name in ("iteration", *METRICS)}
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
        edges = need(a, f"metric_{EDGE}", path).astype(np.float64, copy=False)
        if edges.size > n or np.any(edges[~np.isnan(edges)] <= 0) or np.any(np.isinf(edges)):
            raise StorageError(f"{path}: the entry 'metric_{EDGE}' must hold at most {n} positive values or NaN")
        history.metrics[EDGE].extend(edges)


def load_session(path) -> Session:
    """Everything checked before anything is built; any problem is a StorageError naming the entry."""
    a = read_stored(path, SESSION_FORMAT, VERSION, _session_specs())
    classes = classes_of(a, path)
    try:
        settings = RunSettings.from_dict(json_of(a, "settings", path, "its settings"), f"{path}: its settings")
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
    iteration = whole(a, "iteration", path, 0, MAX_COSTS)
    costs = floats(a, "costs", path)
    stride = whole(a, "costs_stride", path, 1, 2**40) if "costs_stride" in a else 1  # older files: 1
    if stride & (stride - 1):
        raise StorageError(f"{path}: the entry 'costs_stride' is {stride}; it must be a power of two")
    if costs.size != -(-iteration // stride) or np.any(costs < 0):
        raise StorageError(f"{path}: the entry 'costs' must hold one cost (>= 0) every {stride} iteration(s): "
                           f"{costs.size} values for iteration {iteration}")
    w = floats(a, "w", path)
    network = network_sizes(train, settings.hidden) if settings.hidden else None
    if network is not None and w.size:
        raise StorageError(f"{path}: the entry 'w' must be empty: its settings say a network, whose parameters are "
                           "in 'run_theta'")
    if network is None and w.size != train.n_x:
        raise StorageError(f"{path}: the entry 'w' has {w.size} values for {train.n_x} features "
                           f"({train.n_px} x {train.n_px} x 3)")
    b = float(floats(a, "b", path)[()])
    history = History()
    history.alpha_changes = alpha_changes_of(a, path, iteration)
    history.optimizer_changes = optimizer_changes(a, path, iteration, settings, train.m)
    _metric_history(a, path, iteration, history)
    history.costs.restore(costs, stride, iteration)
    return Session(train, test, settings, history, iteration, w, b,
                   exact_state(a, path, train, b, iteration, network),
                   comparison_files.read(a, path, train.m), _threshold(a, path), pinned_files.read(a, path),
                   sentence_of(a, "past_why", path) if "past_why" in a else "")


def _threshold(a, path) -> float:
    """The Evaluation panel's threshold on ŷ, strictly between 0 and 1; older files have none: 0.5."""
    if "threshold" not in a:
        return COURSE_THRESHOLD
    t = float(floats(a, "threshold", path)[()])
    if not 0.0 < t < 1.0:
        raise StorageError(f"{path}: the entry 'threshold' is {t:g}; it must be a number between 0 and 1")
    return t

