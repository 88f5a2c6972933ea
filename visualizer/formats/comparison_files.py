"""The explorer's race and sweep kept in a session file, and each as CSV. No Qt.

A session holds two optional entries: ``comparison``, a JSON text with the settings, each run's
configuration and how many values each of its columns has, and ``comparison_values``, every
column one after the other as float64. Reading checks every field and every length before
anything is built, so a damaged or hostile entry is refused with a message naming the file.
The sweep's per-iteration curves came later: a session without them still opens, curves absent.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.race import MAX_RUNS, X_AXES, RaceConfig, RaceRun, SharedSlice
from visualizer.core.analysis.stability import SweepPoint
from visualizer.core.engine.history import METRIC_ROWS, History
from visualizer.formats.npz_reader import Spec, text
from visualizer.fs.atomic import StorageError, atomic_write
from visualizer.model.constraints import COUNT_BOUND, check
from visualizer.model.race_config import race_config_from_dict

FORMAT = 1
MAX_VALUES = 10**8
SPECS = {"comparison": text(2**20), "comparison_values": Spec("f", 1, 8 * MAX_VALUES)}
ROWS = ("train_cost", "train_accuracy")
TEST_ROWS = ("test_cost", "test_accuracy")


@dataclass
class SavedComparison:
    """What the explorer shows: the race's settings and runs (read back without engines), its slice, the sweep."""

    iterations: int
    loss: str
    init: str
    seed: int
    target: float
    axis: str
    runs: list[RaceRun]
    slice: SharedSlice | None = None
    sweep: dict | None = None  # {"k", "lo", "hi", "iterations"}
    sweep_points: list[SweepPoint] | None = None
    sweep_curves: list[np.ndarray] | None = None  # each α's J at iterations 0, 1, ... (None: an older file)


# ---------------------------------------------------------------------- writing
def arrays(c: SavedComparison) -> dict[str, np.ndarray]:
    columns: list[np.ndarray] = []
    runs = []
    for run in c.runs:
        h = run.history
        its = h.metrics["iteration"].values
        n, n_test = its.size, len(h.metrics["test_cost"])
        columns += [h.costs.values, its, *(h.metrics[k].values[:n] for k in ROWS),
                    *(h.metrics[k].values[:n_test] for k in TEST_ROWS), run.seconds.values[:n]]
        runs.append({"config": run.config.to_dict(), "iteration": run.iteration, "every": run.every,
                     "elapsed": run.elapsed, "diverged_at": run.diverged_at, "costs_stride": h.costs.stride,
                     "costs": len(h.costs.values), "rows": n, "test_rows": n_test})
    head = {"format": FORMAT, "iterations": c.iterations, "loss": c.loss, "init": c.init, "seed": c.seed,
            "target": c.target, "axis": c.axis, "runs": runs, "slice": None, "sweep": None}
    if c.slice is not None:
        v = c.slice
        head["slice"] = {"grid": [v.s.size, v.t.size], "s_label": v.s_label, "t_label": v.t_label,
                         "paths": [None if p is None else p[0].size for p in v.paths]}
        columns += [v.s, v.t, v.J.reshape(-1)]
        columns += [a for p in v.paths if p is not None for a in p]
    if c.sweep is not None:
        head["sweep"] = {**c.sweep, "points": [[p.alpha, p.final_cost if math.isfinite(p.final_cost) else None,
                                                 p.diverged, p.steady] for p in c.sweep_points or []]}
        if c.sweep_curves is not None:
            head["sweep"]["curves"] = [len(curve) for curve in c.sweep_curves]
            columns += c.sweep_curves
    values = np.concatenate([np.asarray(a, dtype=np.float64).reshape(-1) for a in columns]) if columns else np.zeros(0)
    return {"comparison": np.array(json.dumps(head, allow_nan=False)), "comparison_values": values}


# ---------------------------------------------------------------------- reading
class _Column:
    """The values column read in order; every take is checked against what is left."""

    def __init__(self, values: np.ndarray):
        self.values, self.at = values, 0

    def take(self, n: int, what: str, lo: float = 0.0, hi: float = math.inf) -> np.ndarray:
        if self.at + n > self.values.size:
            raise ValueError(f"{what} needs {n} values; only {self.values.size - self.at} are left")
        part = self.values[self.at : self.at + n]
        self.at += n
        if not np.all(np.isfinite(part)) or np.any(part < lo) or np.any(part > hi):
            raise ValueError(f"{what} holds values that are not finite numbers from {lo:g} to {hi:g}")
        return part


def _int(d: dict, key: str, lo: int, hi: int) -> int:
    v = d.get(key)
    if type(v) is not int or not lo <= v <= hi:
        raise ValueError(f"{key!r} must be a whole number from {lo} to {hi}, not {str(v)[:40]}")
    return v


def _real(d: dict, key: str, lo: float, hi: float) -> float:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float) or not (abs(v) <= sys.float_info.max and lo <= v <= hi):
        raise ValueError(f"{key!r} must be a number from {lo:g} to {hi:g}, not {str(v)[:40]}")
    return float(v)


def _object(v, what: str) -> dict:
    if not isinstance(v, dict):
        raise ValueError(f"{what} must be an object")
    return v


def _run(d, column: _Column, m: int, budget: int, k: int) -> RaceRun:
    d = _object(d, f"run {k}")
    config = race_config_from_dict(d.get("config"), m)
    last = _int(d, "iteration", 0, budget)
    stride = _int(d, "costs_stride", 1, 2**40)
    if stride & (stride - 1) or _int(d, "costs", 0, MAX_VALUES) != -(-last // stride):
        raise ValueError(f"run {k}: its costs must be one every {stride} (a power of two) of {last} iterations")
    n, n_test = _int(d, "rows", 1, METRIC_ROWS), _int(d, "test_rows", 0, METRIC_ROWS)
    diverged = d.get("diverged_at")
    if diverged is not None:
        diverged = _int(d, "diverged_at", 0, last + 1)  # a halt marks the step after the last one run
    history = History()
    history.costs.restore(column.take(d["costs"], f"run {k}'s costs").copy(), stride, last)
    its = column.take(n, f"run {k}'s iterations", 0, last)
    if np.any(np.diff(its) <= 0) or np.any(its != np.floor(its)) or n_test > n:
        raise ValueError(f"run {k}: its rows must be at whole, increasing iterations, with no more test rows")
    history.metrics["iteration"].extend(its)
    for name in (*ROWS, *TEST_ROWS):
        size = n if name in ROWS else n_test
        history.metrics[name].extend(column.take(size, f"run {k}'s {name}", 0,
                                                 100.0 if name.endswith("accuracy") else math.inf))
    seconds = column.take(n, f"run {k}'s seconds")
    if np.any(np.diff(seconds) < 0):
        raise ValueError(f"run {k}: its seconds must not go down")
    history.alpha_changes = [(0, config.alpha)]
    history.optimizer_changes = [(0, config.optimizer_for())]
    run = RaceRun(config, m, history, every=_int(d, "every", 1, COUNT_BOUND), iteration=last, diverged_at=diverged,
                  elapsed=_real(d, "elapsed", 0, math.inf))
    run.seconds.extend(seconds)
    return run


def _slice(d, column: _Column, runs: int) -> SharedSlice:
    d = _object(d, "the slice")
    grid, paths = d.get("grid"), d.get("paths")
    if not (isinstance(grid, list) and len(grid) == 2 and all(type(g) is int and 2 <= g <= 512 for g in grid)):
        raise ValueError("the slice's grid must be two sizes from 2 to 512")
    if not (isinstance(paths, list) and len(paths) == runs and all(
            p is None or (type(p) is int and 1 <= p <= 10**5) for p in paths)):
        raise ValueError(f"the slice must have one path length (or null) for each of the {runs} runs")
    labels = [d.get(k) for k in ("s_label", "t_label")]
    if not all(isinstance(t, str) and len(t) <= 200 for t in labels):
        raise ValueError("the slice's axis labels must be short texts")
    s, t = column.take(grid[0], "the slice's s", -math.inf), column.take(grid[1], "the slice's t", -math.inf)
    J = column.take(grid[0] * grid[1], "the slice's J").reshape(grid)
    drawn = [None if n is None else (column.take(n, "a path's s", -math.inf), column.take(n, "a path's t", -math.inf),
                                     column.take(n, "a path's distance")) for n in paths]
    return SharedSlice(s, t, J, drawn, *labels)


def _sweep(d, column: _Column) -> tuple[dict, list[SweepPoint], list[np.ndarray] | None]:
    d = _object(d, "the sweep")
    settings = {"k": _int(d, "k", 3, 200), "lo": _real(d, "lo", -8, 3), "hi": _real(d, "hi", -8, 3),
                "iterations": _int(d, "iterations", 1, 100_000)}
    points = d.get("points")
    if not isinstance(points, list) or len(points) > 200:
        raise ValueError("the sweep's points must be a list of at most 200")
    out = []
    for p in points:
        if not (isinstance(p, list) and len(p) == 4 and isinstance(p[2], bool) and isinstance(p[3], bool)):
            raise ValueError("each sweep point must be [alpha, cost, diverged, steady]")
        one = {"alpha": p[0], "cost": p[1]}
        cost = math.inf if p[1] is None else _real(one, "cost", 0, math.inf)
        out.append(SweepPoint(_real(one, "alpha", 1e-300, 1e6), cost, p[2], p[3]))
    sizes = d.get("curves")
    if sizes is None:
        return settings, out, None
    longest = settings["iterations"] + 1
    if not (isinstance(sizes, list) and len(sizes) == len(out) and all(
            type(n) is int and 1 <= n <= longest for n in sizes)):
        raise ValueError(f"the sweep's curves must be one length from 1 to {longest} for each of its {len(out)} points")
    return settings, out, [column.take(n, f"the sweep's curve {k + 1}").copy() for k, n in enumerate(sizes)]


def read(a: dict, path, m: int) -> SavedComparison | None:
    """The comparison kept in a session's entries ``a``, or None; StorageError names the file and the fault."""
    if "comparison" not in a:
        return None
    try:
        head = _object(json.loads(str(a["comparison"][()])), "the comparison")
        if head.get("format") != FORMAT:
            raise ValueError(f"format {str(head.get('format'))[:20]} is not {FORMAT}")
        if "comparison_values" not in a:
            raise ValueError("its values ('comparison_values') are missing")
        column = _Column(a["comparison_values"].astype(np.float64, copy=False).reshape(-1))
        budget = _int(head, "iterations", 1, COUNT_BOUND)
        runs_in = head.get("runs")
        if not isinstance(runs_in, list) or len(runs_in) > MAX_RUNS:
            raise ValueError(f"its runs must be a list of at most {MAX_RUNS}")
        runs = [_run(d, column, m, budget, k + 1) for k, d in enumerate(runs_in)]
        if len({r.config for r in runs}) != len(runs):
            raise ValueError("a configuration appears twice")
        view = None if head.get("slice") is None else _slice(head["slice"], column, len(runs))
        sweep, points, curves = (None, None, None) if head.get("sweep") is None else _sweep(head["sweep"], column)
        if column.at != column.values.size:
            raise ValueError(f"{column.values.size - column.at} values are left over")
        if head.get("axis") not in X_AXES:
            raise ValueError(f"the axis must be one of {', '.join(X_AXES)}")
        return SavedComparison(budget, check("loss", head.get("loss")), check("init", head.get("init")),
                               check("seed", head.get("seed")), _real(head, "target", 0, math.inf), head["axis"],
                               runs, view, sweep, points, curves)
    except json.JSONDecodeError:
        raise StorageError(f"{path}: the comparison ('comparison') is not valid JSON") from None
    except RecursionError:
        raise StorageError(f"{path}: the comparison ('comparison') is nested too deeply") from None
    except (ValueError, TypeError) as exc:
        raise StorageError(f"{path}: the comparison ('comparison'): {str(exc)[:300]}") from None


# ---------------------------------------------------------------------- CSV
def csv_text(runs: list[RaceRun]) -> str:
    """One row per run and iteration: the recorded cost (a mini-batch's own), and where the race measured
    them, the full J, the test J, the accuracies and the seconds of work."""
    out = io.StringIO()
    writer = csv.writer(out)
    keys = list(RaceConfig().cells())
    writer.writerow(["run", *keys, "iteration", "epoch", "cost", "full_cost", "test_cost", "train_accuracy",
                     "test_accuracy", "seconds"])
    for k, run in enumerate(runs, start=1):
        h = run.history
        config = list(run.config.cells().values())
        costs = h.costs.values
        cost_at = dict(zip(h.costs.iterations(costs.size).astype(int).tolist(), costs.tolist(), strict=True))
        its = h.metrics["iteration"].values.astype(int).tolist()
        rows = {i: r for r, i in enumerate(its)}
        cols = {name: h.metrics[name].values for name in (*ROWS, *TEST_ROWS)}
        seconds = run.seconds.values

        def cell(values, r):
            return "" if r is None or r >= len(values) else repr(float(values[r]))

        for i in sorted(set(cost_at) | set(rows)):
            r = rows.get(i)
            writer.writerow([k, *config, i, repr(i / run.iterations_per_epoch),
                             "" if i not in cost_at else repr(cost_at[i]), cell(cols["train_cost"], r),
                             cell(cols["test_cost"], r), cell(cols["train_accuracy"], r),
                             cell(cols["test_accuracy"], r), cell(seconds, r)])
    return out.getvalue()


def save_csv(path, runs: list[RaceRun]) -> None:
    data = csv_text(runs)
    atomic_write(path, lambda f: f.write(data), binary=False)


def sweep_csv_text(points: list[SweepPoint], curves: list[np.ndarray]) -> str:
    """One row per α and iteration: the exact J of that iteration, under the race CSV's column names
    (each α a batch gradient descent run, so an epoch is an iteration)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["run", *RaceConfig().cells(), "iteration", "epoch", "cost", "diverged", "steady"])
    for k, (p, curve) in enumerate(zip(points, curves, strict=True), start=1):
        config = list(RaceConfig(alpha=p.alpha).cells().values())
        for i, cost in enumerate(curve.tolist()):
            writer.writerow([k, *config, i, i, repr(cost), p.diverged, p.steady])
    return out.getvalue()


def save_sweep_csv(path, points: list[SweepPoint], curves: list[np.ndarray]) -> None:
    data = sweep_csv_text(points, curves)
    atomic_write(path, lambda f: f.write(data), binary=False)
