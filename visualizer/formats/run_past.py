"""A session's replayable past: the run's checkpoints (its coordinates and the optimizer's state every few
iterations), so a reopened run replays from where its past starts exactly as before it was saved.

Written as one row per checkpoint: ``past_counters`` (iteration, Adam's step count, epoch, position in the epoch,
which state arrays it has: bit i for the registry's i-th STATE_ARRAYS name), ``past_theta`` (its coordinates, the
size of 'run_theta') and ``past_<array>`` (one row per checkpoint that has that array). Older files have none: their
past starts at their last iteration. Every entry is checked before anything is built.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.trajectory import SavedPast
from visualizer.core.optim.optimizers import OptimizerState
from visualizer.core.optim.registry import STATE_ARRAYS
from visualizer.formats.npz_reader import SCALAR, Spec, text
from visualizer.fs.atomic import StorageError
from visualizer.model.constraints import MOMENT_BOUND

#: A past's rows at most, and one of its entries' bytes at most (the run keeps at most TRAJECTORY_POINTS of
#: logistic regression's and 64 MB of a network's checkpoints; the reader also checks the memory available).
MAX_ROWS, MAX_BYTES = 2**20, 2**31
_NAMES = tuple(STATE_ARRAYS)
SPECS = {"past_why": text(1024), "past_start": SCALAR, "past_stride": SCALAR, "past_origin": SCALAR,
         "past_counters": Spec("iu", 2, 8 * 5 * MAX_ROWS), "past_theta": Spec("f", 2, MAX_BYTES),
         **{f"past_{k}": Spec("f", 2, MAX_BYTES) for k in _NAMES}}


def moment_range(kept) -> tuple[float, float]:
    """Where an optimizer's state array (a STATE_ARRAYS entry) may lie: an average of gradients is bounded by
    MOMENT_BOUND, one of their squares by its square."""
    return (0.0, MOMENT_BOUND ** 2) if kept.nonnegative else (-MOMENT_BOUND, MOMENT_BOUND)


def past_arrays(past: SavedPast | None) -> dict[str, np.ndarray]:
    if past is None or not past.iterations:
        return {}
    masks = [sum(1 << i for i, k in enumerate(_NAMES) if k in s.arrays) for s in past.states]
    out = {"past_start": np.array(past.start), "past_stride": np.array(past.stride),
           "past_origin": np.array(int(past.origin)),
           "past_counters": np.array([[it, s.t, s.epoch, s.position, mask] for it, s, mask in
                                      zip(past.iterations, past.states, masks, strict=True)], dtype=np.int64),
           "past_theta": np.array(past.thetas, dtype=np.float64).reshape(len(past.iterations), -1)}
    for k in _NAMES:
        rows = [s.arrays[k] for s in past.states if k in s.arrays]
        if rows:
            out[f"past_{k}"] = np.array(rows, dtype=np.float64)
    return out


def read_past(a, path, size: int, m: int, last: int) -> SavedPast | None:
    """The past the file kept, checked against the run's ``size`` coordinates, its m examples and its ``last``
    iteration; None in older files."""
    present = [k for k in SPECS if k in a and k != "past_why"]
    if not present:
        return None
    if missing := [k for k in ("past_start", "past_stride", "past_origin", "past_counters", "past_theta")
                   if k not in a]:
        raise StorageError(f"{path}: the entry {missing[0]!r} is missing (the run's past is kept in the entries "
                           f"{', '.join(repr(k) for k in present)})")
    start, stride, origin = (_scalar(a, k, path) for k in ("past_start", "past_stride", "past_origin"))
    if not 0 <= start <= last:
        raise StorageError(f"{path}: the entry 'past_start' is {start}; it must be an iteration from 0 to {last}")
    if stride < 1 or stride & (stride - 1) or origin not in (0, 1):
        raise StorageError(f"{path}: the entries 'past_stride' and 'past_origin' must be a power of two and 0 or 1")
    counters = a["past_counters"]
    if counters.dtype.kind == "u" and counters.size and counters.max() > 2**62:
        raise StorageError(f"{path}: the entry 'past_counters' holds {counters.max()}; its numbers must be below 2^62")
    counters = counters.astype(np.int64)  # unsigned, a step down would wrap round to a step up
    k = counters.shape[0]
    its = counters[:, 0] if counters.shape[1:] == (5,) else None
    if its is None or not 1 <= k <= MAX_ROWS or np.any(np.diff(its) <= 0) or its[0] != start or its[-1] > last:
        raise StorageError(f"{path}: the entry 'past_counters' must hold rows of 5 whole numbers, the first "
                           f"increasing iterations from {start} to {last}")
    t, epoch, position, mask = counters[:, 1:].T
    if np.any(t < 0) or np.any(t > 2**62) or np.any(epoch < 0) or np.any(position < 0) or np.any(position >= m) \
            or np.any(mask < 0) or np.any(mask >= 1 << len(_NAMES)):
        raise StorageError(f"{path}: the entry 'past_counters' must hold Adam's step counts, epochs and positions "
                           f"below m = {m}, all >= 0, and which of {', '.join(_NAMES)} each point has")
    thetas = _rows(a, "past_theta", path, k, size, -np.inf, np.inf)
    arrays = {}
    for i, name in enumerate(_NAMES):
        has = (mask >> i) & 1 == 1
        if has.any() or f"past_{name}" in a:
            arrays[name] = iter(_rows(a, f"past_{name}", path, int(has.sum()), size, *moment_range(STATE_ARRAYS[name])))
    states = tuple(OptimizerState({n: next(arrays[n]).copy() for i, n in enumerate(_NAMES) if (mk >> i) & 1},
                                  int(tk), int(ek), int(pk)) for tk, ek, pk, mk in zip(t, epoch, position, mask,
                                                                                      strict=True))
    return SavedPast(start, stride, tuple(int(i) for i in its), tuple(r.copy() for r in thetas), states, bool(origin))


def _scalar(a, key, path) -> int:
    v = a[key][()]
    if a[key].dtype.kind == "f" and (not np.isfinite(v) or v != np.floor(v)) or abs(v) > 2**62:
        raise StorageError(f"{path}: the entry {key!r} is {v}; it must be a whole number")
    return int(v)


def _rows(a, key, path, rows: int, size: int, lo: float, hi: float) -> np.ndarray:
    """``rows`` rows of ``size`` finite numbers from lo to hi."""
    if key not in a:
        raise StorageError(f"{path}: the entry {key!r} is missing: 'past_counters' says {rows} points have it")
    v = a[key].astype(np.float64, copy=False)
    if v.shape != (rows, size) or not np.all(np.isfinite(v)) or np.any(v < lo) or np.any(v > hi):
        raise StorageError(f"{path}: the entry {key!r} must hold {rows} rows of {size} finite numbers"
                           + ("" if np.isinf(hi) else f" from {lo:g} to {hi:g}"))
    return v
