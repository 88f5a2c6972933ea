"""Network training speed against the course's plain numpy loop, measured side by side in one run.

Goals (issue 24): the course's two-layer (7 ReLU, 0.01) and L-layer ([20, 7, 5] ReLU, lecun)
models on its cat data, 2500 iterations at α = 0.0075, at least 10× faster than the plain
loop (core/reference/course_network.py), costs equal to 1e-6; the flower (4 tanh units,
α = 1.2, 10,000 iterations) at least 2× faster.

Ours is timed over the whole run, set-up included (K = XᵀX), best of 3. The plain loop on
the cat images costs the same every iteration, so it is timed over its first
``REFERENCE_ITERATIONS`` and that time scaled to the run's length (saying so in the
output); the costs of those iterations are compared. Prints one JSON line; skips (a JSON
line saying so) without the course's data in ../shared.

Both sides run with one BLAS thread: on a loaded 2-core machine OpenBLAS's second thread
made the plain loop up to 8× slower (spinning), which would flatter the ratio.

``l_layer_adam``: Adam on the L-layer model, ms per iteration (the range of three runs) with one BLAS
thread and with OpenBLAS's default, measured in the same run with equal costs (``adam_threads``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.core.models import Network, NetworkDescent, NetworkOptimized, initial_parameters  # noqa: E402
from visualizer.core.optim.optimizers import Optimizer  # noqa: E402
from visualizer.core.reference.course_network import course_model, course_parameters  # noqa: E402
from visualizer.data import read_course_h5  # noqa: E402
from visualizer.data.planar import load_planar  # noqa: E402

COURSE = ROOT.parent / "shared" / "datasets" / "catvnoncat"
REFERENCE_ITERATIONS = 25
ADAM_ITERATIONS = 20


def best_of(repeats: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def race(name, X, Y, hidden, activation, scale, seed, alpha, iterations, reference_iterations, goal, checks):
    """Ours over ``iterations`` against the plain loop over ``reference_iterations``, per whole run."""
    net = Network(X.shape[0], hidden, activation=activation)
    theta0 = initial_parameters(net, "random", seed=seed, scale=scale)

    def ours():
        run = NetworkDescent(net, X, Y, theta0, alpha=alpha)
        run.step(iterations)
        return run

    ours_s, run = best_of(3, ours)
    params = course_parameters(net.sizes, seed=seed, scale=scale)
    repeats = 3 if reference_iterations == iterations else 1
    ref_s, (_, ref_costs) = best_of(repeats, lambda: course_model(X, Y, params, alpha, reference_iterations,
                                                                  activation))
    ref_run_s = ref_s * iterations / reference_iterations
    gap = np.abs(run.costs[:reference_iterations] - ref_costs)
    result = {
        f"{name}_method": run.method,
        f"{name}_ours_s": round(ours_s, 4),
        f"{name}_reference_s": round(ref_run_s, 3),
        f"{name}_reference_measured_iterations": reference_iterations,
        f"{name}_speedup": round(ref_run_s / ours_s, 1),
        f"{name}_speedup_goal": goal,
        f"{name}_max_cost_difference": float(f"{gap.max():.3g}"),
    }
    for i, expected in checks.items():  # the course's published costs
        assert abs(run.costs[i] - expected) < 1e-6, (name, i, run.costs[i], expected)
    return result, gap


def main() -> int:
    train_file = COURSE / "train_catvnoncat.h5"
    if not train_file.is_file():
        print(json.dumps({"benchmark": "network", "skipped": f"no course data at {COURSE}"}))
        return 0
    train = read_course_h5(train_file)
    with threadpool_limits(1):
        result = measure(train)
    result["l_layer_adam"] = adam_threads(train)
    print(json.dumps(result))
    return 0


def measure(train) -> dict:
    result = {"benchmark": "network", "blas_threads": 1}
    two, gap = race("two_layer", train.X, train.Y, (7,), "relu", 0.01, 1, 0.0075, 2500, REFERENCE_ITERATIONS, 10,
                    {0: 0.6930497356599888, 100: 0.6464320953428849, 2400: 0.048554785628770226})
    assert gap.max() <= 1e-6
    deep, gap = race("l_layer", train.X, train.Y, (20, 7, 5), "relu", "lecun", 1, 0.0075, 2500,
                     REFERENCE_ITERATIONS, 10, {0: 0.771749, 100: 0.672053, 2400: 0.092878})
    assert gap.max() <= 1e-6
    flower = load_planar("planar:flower")
    planar, gap = race("flower", flower.X, flower.Y, (4,), "tanh", 0.01, 2, 1.2, 10_000, 10_000, 2,
                       {i * 1000: J for i, J in enumerate([0.693048, 0.288083, 0.254385, 0.233864, 0.226792,
                                                           0.222644, 0.219731, 0.217504])})
    # Past 7000 the flower's run is chaotic: one rounding apart gives costs 1e-5 apart there.
    planar["flower_max_cost_difference_to_7000"] = float(f"{gap[:7001].max():.3g}")
    return result | two | deep | planar


def adam_threads(train, iterations: int = ADAM_ITERATIONS) -> dict:
    """Adam on the L-layer model (the optimizers' loop on θ, primal: Adam leaves W1's span), ms per iteration
    over three runs each with one BLAS thread and with OpenBLAS's own choice, interleaved in this run: the
    products are BLAS's either way (W_l's strided views of θ are BLAS-ready); the thread count is what counts
    on a busy machine. Both give the same costs to the bit."""
    net = Network(train.n_x, (20, 7, 5), activation="relu")
    theta0 = initial_parameters(net, "random", seed=1, scale="lecun")
    times: dict[str, list[float]] = {"one_blas_thread": [], "default_blas_threads": []}
    costs = {}
    for _ in range(3):
        for key, limit in (("one_blas_thread", 1), ("default_blas_threads", None)):
            with threadpool_limits(limit):
                run = NetworkOptimized(net, train.X, train.Y, theta0, alpha=0.0075, optimizer=Optimizer(kind="adam"))
                run.step(1)  # the first iteration's allocations are not the loop's
                started = time.perf_counter()
                run.step(iterations)
                times[key].append(1000 * (time.perf_counter() - started) / iterations)
                costs[key] = run.costs
    assert np.array_equal(costs["one_blas_thread"], costs["default_blas_threads"])
    default = max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
    return {"iterations": iterations, "default_blas_threads": default, "same_costs": True,
            **{f"ms_per_iteration_{k}": [round(min(v), 1), round(max(v), 1)] for k, v in times.items()}}


if __name__ == "__main__":
    sys.exit(main())
