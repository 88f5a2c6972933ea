"""Mini-batches at scale: 20,000 images of 64 px (n_x = 12,288, float32, 983 MB), made in memory.

Prints one JSON line, every figure measured in the same run, on the engine itself:

* batch gradient descent's iterations a second (``batch_iterations`` of them, timed);
* mini-batch (B = 64) iterations a second with the full J computed once an epoch (313 iterations)
  included, and the seconds an epoch takes; also without the full-J points, and one full J's time;
* the wall-clock seconds mini-batch takes to reach the cost batch descent reaches in 2,000
  iterations, against the seconds batch descent takes for those 2,000 iterations.

Batch descent at this size takes about 0.1 s or more an iteration, so 2,000 of them would take
minutes: its time for 2,000 is extrapolated from the timed iterations ("extrapolated" in the
JSON). Its cost after 2,000 iterations is computed exactly, not guessed: the images are sums of
4 of 64 prototype images whose pixels are multiples of 1/256, so X = P C holds exactly in
float32, w stays in span(P), and the same 2,000 steps run in 64 coordinates (w = P a) in float64
in a few seconds. The JSON reports how closely that replay matches the engine's own first
iterations. Same α for both (half of 2 / λmax's bound), same start (zeros).

Goals (the optimizers issue): mini-batch B = 64 at least 1,000 iterations a second; mini-batch
reaches batch descent's 2,000-iteration cost at least 20x sooner.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.core import GradientDescent  # noqa: E402
from visualizer.core.optim.optimizers import Optimizer  # noqa: E402

M, N_PX, R, PER_IMAGE, B = 20_000, 64, 64, 4, 64
N_X = 3 * N_PX * N_PX
BATCH_TIMED = 20
TARGET_ITERATIONS = 2000
MINI_SECONDS_MAX = 120.0


def make_data(seed: int = 0):
    """(X float32 (n_x, m) Fortran-ordered, Y (1, m), P (n_x, r) float64, C (r, m) float64), X == P C exactly."""
    rng = np.random.default_rng(seed)
    P = rng.integers(0, 64, (N_X, R)).astype(np.float64) / 256.0  # sums of 4 stay below 1, exact in float32
    C = np.zeros((R, M))
    for i in range(M):
        C[rng.choice(R, PER_IMAGE, replace=False), i] = 1.0
    u = rng.standard_normal(R)
    score = u @ C + 0.5 * rng.standard_normal(M)
    Y = (score > np.median(score)).astype(float).reshape(1, M)
    rows = np.empty((M, N_X), dtype=np.float32)  # one example per row; X is its transpose (no copy)
    P32 = P.T.astype(np.float32)
    for start in range(0, M, 2000):
        rows[start : start + 2000] = C[:, start : start + 2000].T.astype(np.float32) @ P32
    return rows.T, Y, P, C


def reduced_batch_descent(P, C, y, alpha: float, iterations: int) -> np.ndarray:
    """Batch descent in w = P a (w0 = 0): z = C^T (P^T P) a + b, a <- a - alpha C dz / m. Returns the costs."""
    G = P.T @ P
    a, b = np.zeros(R), 0.0
    costs = np.empty(iterations)
    for t in range(iterations):
        z = (G @ a) @ C + b
        costs[t] = np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z)
        dz = 0.5 + 0.5 * np.tanh(0.5 * z) - y
        a -= alpha * (C @ dz) / M
        b -= alpha * dz.mean()
    return costs


def stable_alpha(P, C) -> float:
    """Half of 2 / (max sigma' · lambda_max((1/m) A A^T)), A = [X; 1], by power iteration in reduced form."""
    G = P.T @ P
    v = np.random.default_rng(1).standard_normal(M)
    lam = 0.0
    for _ in range(100):
        u = (G @ (C @ v)) @ C + v.sum()
        u /= M
        lam = float(np.linalg.norm(u) / np.linalg.norm(v))
        v = u / np.linalg.norm(u)
    return 1.0 / (0.25 * lam)


def main() -> int:
    made = time.perf_counter()
    X, Y, P, C = make_data()
    made = time.perf_counter() - made
    y = Y.reshape(-1)
    alpha = stable_alpha(P, C)

    batch = GradientDescent(X, Y, alpha=alpha, metric_stride=10**9)
    batch.step(1)  # warm up (first touch of every page)
    t = time.perf_counter()
    batch.step(BATCH_TIMED)
    batch_s_per_it = (time.perf_counter() - t) / BATCH_TIMED
    reduced = reduced_batch_descent(P, C, y, alpha, TARGET_ITERATIONS + 1)
    engine_costs = batch.history.costs.values
    replay_error = float(np.max(np.abs(engine_costs - reduced[: engine_costs.size]) / reduced[: engine_costs.size]))
    target = float(reduced[TARGET_ITERATIONS])  # J after 2,000 iterations: the cost at iteration 2000
    del batch

    per_epoch = math.ceil(M / B)
    mini = GradientDescent(X, Y, alpha=alpha, metric_stride=per_epoch, optimizer=Optimizer(batch_size=B))
    reached: list[tuple[int, float, float]] = []  # (iteration, full J, seconds) at each full-J point

    def probe(gd):
        reached.append((gd.iteration, gd.cost, time.perf_counter() - started))
        return {}

    mini.probe = probe
    started = time.perf_counter()
    hit = None
    while time.perf_counter() - started < MINI_SECONDS_MAX:
        mini.step(per_epoch)
        if hit is None and reached and reached[-1][1] <= target:
            hit = reached[-1]
        if hit is not None and mini.iteration >= 3 * per_epoch:
            break
    elapsed = time.perf_counter() - started
    mini_its = mini.iteration / elapsed
    mini.probe, mini.metric_stride = None, 10**9  # the engine alone, without full-J points
    t = time.perf_counter()
    mini.step(1000)
    engine_its = 1000 / (time.perf_counter() - t)
    t = time.perf_counter()
    mini.metrics()
    full_j_s = time.perf_counter() - t
    batch_2000_s = TARGET_ITERATIONS * batch_s_per_it
    result = {
        "benchmark": "scale",
        "m": M, "n_x": N_X, "dtype": "float32", "data_mb": round(X.nbytes / 2**20), "data_seconds": round(made, 1),
        "alpha": round(alpha, 6),
        "batch_iterations_per_s": round(1 / batch_s_per_it, 2),
        "batch_iterations_timed": BATCH_TIMED,
        "batch_2000_seconds": round(batch_2000_s, 1),
        "batch_2000_seconds_extrapolated": True,
        "batch_2000_cost": round(target, 6),
        "batch_2000_cost_from": "exact replay in span(P); matches the engine's first iterations to "
                                f"{replay_error:.1e} relative",
        "minibatch_B": B,
        "minibatch_iterations_per_s": round(mini_its, 1),
        "minibatch_full_J_every": per_epoch,
        "minibatch_iterations_per_s_without_full_J": round(engine_its, 1),
        "full_J_ms": round(1000 * full_j_s),
        "minibatch_seconds_per_epoch": round(per_epoch / mini_its, 3),
        "minibatch_method": mini.method,
        "minibatch_iterations_to_target": None if hit is None else hit[0],
        "minibatch_seconds_to_target": None if hit is None else round(hit[2], 2),
        "speedup_to_target": None if hit is None else round(batch_2000_s / hit[2], 1),
        "goals": {"minibatch_iterations_per_s": 1000, "speedup_to_target": 20},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
