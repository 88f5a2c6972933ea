"""A 41 × 41 exact slice of the course's deep model's J on its cat images, against the naive way.

Goal (issue 24): the slice of the L-layer model [12288, 20, 7, 5, 1] (ReLU, lecun, seed 1) on
train_catvnoncat.h5 (m = 209) through θ along two filter-normalized random directions, at most
100 ms. Timed: drawing the plane, the three n_x-wide products and the 1,681 points' J
(core/models/slices.py), best of 15; also the whole Surface view, best of 5: the slice, the
gradient for the downhill arrow and a 50-point path projected.

The naive way, in the same run: network.cost at each point, its θ built, a full forward pass
each. It costs the same at every point, so it is timed over the first row of the grid
(``NAIVE_POINTS``) and scaled to the grid (saying so); the slice's values at those points are
compared with it. Prints one JSON line; skips (a JSON line saying so) without the course's data
in ../shared. One BLAS thread, as bench_network.py: a second thread spinning on this loaded
machine flatters neither side reliably.

The goal is judged on wall-clock time. Where other processes share the two cores (the load
average is in the JSON), wall-clock time swings by 3× from run to run; the slice's CPU time
(``slice_cpu_ms``, this process alone) is the steadier figure of the work it does.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.core.analysis.landscape import network_surface_view  # noqa: E402
from visualizer.core.models import Network, cost, initial_parameters  # noqa: E402
from visualizer.core.models.slices import NetworkSlice, random_plane  # noqa: E402
from visualizer.data import read_course_h5  # noqa: E402

COURSE = ROOT.parent / "shared" / "datasets" / "catvnoncat"
GRID, GOAL_MS, NAIVE_POINTS, REPEATS, VIEW_REPEATS = 41, 100.0, 41, 15, 5


def best_of(repeats: int, fn) -> tuple[float, object, float]:
    """(best wall-clock seconds, the result, best CPU seconds of this process) over ``repeats`` calls."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        best, best_cpu = min(best, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
    return best, result, best_cpu


def measure(X: np.ndarray, Y: np.ndarray) -> dict:
    net = Network(X.shape[0], (20, 7, 5), activation="relu")
    theta = initial_parameters(net, "random", seed=1, scale="lecun")
    a = b = np.linspace(-1.0, 1.0, GRID)

    def ours():
        plane = random_plane(net, theta, seed=0)
        return plane, NetworkSlice(net, X, Y, plane).grid(a, b)

    ours_s, (plane, J), ours_cpu = best_of(REPEATS, ours)
    path = theta + np.linspace(1, 0, 50)[:, None] * np.random.default_rng(1).standard_normal(net.size) * 1e-3
    view_s, _, _ = best_of(VIEW_REPEATS, lambda: network_surface_view(net, X, Y, theta, path, grid=GRID))

    def naive():
        return [cost(net, theta + a[0] * plane.d1 + bk * plane.d2, X, Y) for bk in b[:NAIVE_POINTS]]

    naive_s, naive_J, _ = best_of(1, naive)
    naive_grid_s = naive_s * GRID * GRID / NAIVE_POINTS
    return {
        "benchmark": "network_slice",
        "blas_threads": 1,
        "model": list(net.sizes),
        "m": int(X.shape[1]),
        "grid": f"{GRID}x{GRID}",
        "slice_ms": round(1000 * ours_s, 1),
        "slice_goal_ms": GOAL_MS,
        "slice_meets_goal": bool(1000 * ours_s <= GOAL_MS),
        "slice_cpu_ms": round(1000 * ours_cpu, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "view_ms": round(1000 * view_s, 1),
        "naive_ms": round(1000 * naive_grid_s, 0),
        "naive_measured_points": NAIVE_POINTS,
        "speedup": round(naive_grid_s / ours_s, 1),
        "max_cost_difference": float(f"{np.max(np.abs(J[0, :NAIVE_POINTS] - naive_J)):.3g}"),
    }


def main() -> int:
    train_file = COURSE / "train_catvnoncat.h5"
    if not train_file.is_file():
        print(json.dumps({"benchmark": "network_slice", "skipped": f"no course data at {COURSE}"}))
        return 0
    train = read_course_h5(train_file)
    with threadpool_limits(1):
        result = measure(train.X, train.Y)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
