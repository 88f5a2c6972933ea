"""Where gradient descent becomes unstable, and a deterministic learning-rate sweep.

Near a point, J is about quadratic with Hessian H = [X; 1] diag(a(1-a)) [X; 1]^T / m over
(w, b). Descent with step alpha is stable along every direction while alpha < 2 / lambda_max.
The nonzero eigenvalues of H are those of the m x m matrix D^(1/2) (K + 1 1^T) D^(1/2) / m,
D = diag(a(1-a)), so a few power iterations cost O(m^2) when the Gram matrix K is at hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gradient_descent import GradientDescent
from .losses import sigmoid


def lambda_max(gd: GradientDescent, z: np.ndarray | None = None, iterations: int = 100, tol: float = 1e-10) -> float:
    """The largest eigenvalue of the cross-entropy Hessian at the point whose z is given (default: now)."""
    z = gd.z if z is None else z
    a = sigmoid(z)
    d = np.sqrt(a * (1 - a))
    m = gd.m
    if gd.param.kind == "gram":
        K = gd.param.metric[:m, :m]

        def apply(v):
            u = d * v
            return d * (K @ u + u.sum()) / m
    else:
        X = gd.param.X

        def apply(v):
            u = d * v
            g = X @ u.astype(X.dtype, copy=False)  # [X; 1] u, then back with [X; 1]^T
            return d * (np.asarray(g @ X, dtype=float) + u.sum()) / m

    v = np.random.default_rng(0).standard_normal(m)  # fixed seed: the same answer every time
    v /= np.linalg.norm(v)
    estimate = 0.0
    for _ in range(iterations):
        w = apply(v)
        norm = float(np.linalg.norm(w))
        if norm == 0.0:
            return 0.0
        new = float(v @ w)
        v = w / norm
        if abs(new - estimate) <= tol * max(abs(new), 1e-300):
            return new
        estimate = new
    return estimate


def stable_alpha(gd: GradientDescent, z: np.ndarray | None = None) -> float:
    """2 / lambda_max: steps larger than this overshoot along the steepest direction."""
    lam = lambda_max(gd, z)
    return 2.0 / lam if lam > 0 else float("inf")


def lesson_alphas(edge: float) -> dict[str, float]:
    """Learning rates that show each behaviour, from the edge of stability 2 / lambda_max.

    For a quadratic bowl: below 1/lambda descent is monotone, between 1/lambda and 2/lambda it
    zig-zags but converges, above 2/lambda it grows.
    """
    return {"too small": edge / 200, "good": 0.45 * edge, "oscillating": 0.85 * edge, "diverging": 3.0 * edge}


@dataclass
class SweepPoint:
    alpha: float
    final_cost: float
    diverged: bool
    steady: bool  # the cost fell at (nearly) every iteration


def sweep(X, Y, alphas, iterations: int, cancelled=None, **kwargs) -> list[SweepPoint]:
    """One run per alpha from the same start; deterministic (no random state unless seeded)."""
    points = []
    for alpha in alphas:
        if cancelled is not None and cancelled():
            break
        gd = GradientDescent(X, Y, alpha=float(alpha), metric_stride=max(iterations, 1), **kwargs)
        gd.step(iterations)
        costs = gd.history.costs.values
        rises = np.count_nonzero(np.diff(costs) > 1e-12 * np.abs(costs[:-1])) if len(costs) > 1 else 0
        steady = gd.diverged_at is None and rises <= 0.01 * max(len(costs) - 1, 1) and gd.cost < gd.start_cost
        points.append(SweepPoint(float(alpha), gd.cost, gd.diverged_at is not None, bool(steady)))
    return points


def suggest(points: list[SweepPoint]) -> float | None:
    """The largest alpha whose run decreased the cost steadily."""
    steady = [p.alpha for p in points if p.steady]
    return max(steady) if steady else None
