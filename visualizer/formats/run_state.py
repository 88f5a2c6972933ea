"""A session's run state: the optimizer's change points, the run's own coordinates and the optimizer's
moments, checked against the session's settings, data and iteration before anything is built.

``entries`` is what visualizer.formats.npz_reader read; every problem is a StorageError naming
the file and the entry. The optimizers' settings are checked by the settings' constraint table.
"""

from __future__ import annotations

import json

import numpy as np

from visualizer.core.engine.trajectory import ExactState
from visualizer.core.optim.optimizers import Optimizer, OptimizerState
from visualizer.core.optim.registry import STATE_ARRAYS
from visualizer.formats.run_past import moment_range, read_past
from visualizer.fs.atomic import StorageError
from visualizer.model.settings import RunSettings, SettingsError, optimizer_from_dict, run_optimizer


def _floats(a, key, path) -> np.ndarray:
    if key not in a:
        raise StorageError(f"{path}: the entry {key!r} is missing")
    v = a[key].astype(np.float64, copy=False)
    if not np.all(np.isfinite(v)):
        raise StorageError(f"{path}: the entry {key!r} holds NaN or infinite values")
    return v


def optimizer_changes(a, path, last: int, settings: RunSettings, m: int) -> list[tuple[int, Optimizer]]:
    """[[iteration, {optimizer settings}], ...] from 0, increasing, up to ``last``; absent in older files
    (plain descent). The last one is the run's optimizer, so it must be the one the settings give."""
    changes = [(0, Optimizer())] if "optimizer_changes" not in a else _changes(a, path, last)
    _, in_force = changes[-1]
    wanted = run_optimizer(settings, m)
    if in_force.with_(batch_size=None if in_force.batch(m) >= m else in_force.batch_size) != wanted:
        raise StorageError(f"{path}: the entry 'optimizer_changes' ends with {_told(in_force)}, but its settings "
                           f"say {_told(wanted)}")
    return changes


def _told(opt: Optimizer) -> str:
    return ", ".join(f"{k}={v}" for k, v in opt.to_dict().items() if v != getattr(Optimizer(), k)) or "plain descent"


def _changes(a, path, last: int) -> list[tuple[int, Optimizer]]:
    try:
        rows = json.loads(str(a["optimizer_changes"][()]))
    except RecursionError:
        raise StorageError(f"{path}: the optimizer changes ('optimizer_changes') are nested too deeply") from None
    except ValueError:
        raise StorageError(f"{path}: the optimizer changes ('optimizer_changes') are not valid JSON") from None
    where = f"{path}: the entry 'optimizer_changes'"
    if not isinstance(rows, list) or not rows or not all(
            isinstance(r, list) and len(r) == 2 and type(r[0]) is int for r in rows):
        raise StorageError(f"{where} must be a list of [iteration, settings] pairs")
    its = [r[0] for r in rows]
    if its[0] != 0 or any(b <= a for a, b in zip(its, its[1:], strict=False)) or its[-1] > last:
        raise StorageError(f"{where} must start at iteration 0 and go up to at most {last}")
    changes = []
    for i, d in rows:
        try:
            changes.append((i, optimizer_from_dict(d, f"{where} at iteration {i}")))
        except SettingsError as exc:
            raise StorageError(str(exc)[:400]) from None
    return changes


def exact_state(a, path, train, b: float, last: int, network: tuple[int, tuple[int, ...]] | None = None
                ) -> ExactState | None:
    """The run's coordinates, when the file has them: sizes that fit the data, the same b, a divergence
    (if any) within the run. ``network``: (the size of a network's θ, the sizes its descent's own coordinates
    may have after c₀): a network's session (method "network", its start θ in 'run_w0') must have them."""
    if "run_theta" not in a:
        if "past_theta" in a:
            raise StorageError(f"{path}: the entry 'run_theta' is missing: the run's past ('past_theta') is kept in "
                               "its coordinates")
        if network is not None:
            raise StorageError(f"{path}: the entry 'run_theta' is missing: a network's session keeps its parameters")
        return None
    if "run_method" not in a:
        raise StorageError(f"{path}: the entry 'run_method' is missing")
    method = str(a["run_method"][()])
    w0, theta = _floats(a, "run_w0", path), _floats(a, "run_theta", path)
    if network is not None:
        fits = method == "network" and w0.size == network[0] and theta.size in network[1]
    elif method == "gram":
        fits = w0.size == train.n_x and theta.size == train.m + bool(np.any(w0)) + 1
    else:
        fits = method == "primal" and w0.size == 0 and theta.size == train.n_x + 1
    if not fits or theta[-1] != b:
        raise StorageError(f"{path}: the entries 'run_method', 'run_w0' and 'run_theta' do not fit its data "
                           f"({method}, {w0.size} and {theta.size} values for {train.m} examples of {train.n_x})")
    watch = _floats(a, "run_watch", path)
    if watch.shape != (2,) or watch[0] < 0 or watch[1] != np.floor(watch[1]) or not -1 <= watch[1] <= last:
        raise StorageError(f"{path}: the entry 'run_watch' must hold a cost and the iteration it diverged at, "
                           f"at most {last} (or -1)")
    return ExactState(method, w0, theta, float(watch[0]), None if watch[1] < 0 else int(watch[1]),
                      _optimizer_state(a, path, theta.size, train.m), read_past(a, path, theta.size, train.m, last))


def optimizer_state_arrays(state: OptimizerState | None) -> dict[str, np.ndarray]:
    """The optimizer's state arrays (``run_v``, ``run_s``: the registry's STATE_ARRAYS), Adam's step count and
    where the epoch stands: a run goes on exactly."""
    if state is None or not (state.arrays or state.t or state.epoch or state.position):
        return {}
    out = {"run_counters": np.array([state.t, state.epoch, state.position], dtype=np.int64)}
    out.update({f"run_{k}": np.asarray(v, dtype=np.float64) for k, v in state.arrays.items()})
    return out


def _optimizer_state(a, path, size: int, m: int) -> OptimizerState | None:
    entries = [f"run_{k}" for k in STATE_ARRAYS]
    if "run_counters" not in a:
        if any(e in a for e in entries):
            raise StorageError(f"{path}: the entries {' and '.join(map(repr, entries))} need 'run_counters'")
        return None
    counters = a["run_counters"]
    if counters.shape != (3,) or np.any(counters < 0) or counters[2] >= m or counters[0] > 2**62:
        raise StorageError(f"{path}: the entry 'run_counters' must hold Adam's step count, the epoch and a "
                           f"position below m = {m}, all >= 0")
    arrays = {}
    for k, kept in STATE_ARRAYS.items():
        lo, hi = moment_range(kept)
        if f"run_{k}" in a:
            v = _floats(a, f"run_{k}", path)
            if v.shape != (size,) or np.any(v < lo) or np.any(v > hi):
                raise StorageError(f"{path}: the entry 'run_{k}' must hold {size} values from {lo:g} to {hi:g}")
            arrays[k] = v.copy()
    return OptimizerState(arrays, int(counters[0]), int(counters[1]), int(counters[2]))

