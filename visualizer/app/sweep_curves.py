"""The sweep of α, keeping each α's cost curve: core.stability.sweep keeps only the cost each α reached.

Each curve is the J its run computed anyway (the history's cost at every iteration, then J after
the last step), so keeping it costs no extra arithmetic; the runs share one Gram matrix.
"""

from __future__ import annotations

import math

import numpy as np

from ..core import GradientDescent
from ..core.stability import SweepPoint


def curve(gd: GradientDescent) -> np.ndarray:
    """J at iterations 0..gd.iteration (the last one left out when it is not finite)."""
    last = [gd.cost] if math.isfinite(gd.cost) else []
    return np.append(gd.history.costs.values, last)


def point(gd: GradientDescent) -> SweepPoint:
    """The same verdict as core.stability.sweep: diverged, or steady (it fell at nearly every iteration)."""
    costs = gd.history.costs.values
    rises = np.count_nonzero(np.diff(costs) > 1e-12 * np.abs(costs[:-1])) if len(costs) > 1 else 0
    steady = gd.diverged_at is None and rises <= 0.01 * max(len(costs) - 1, 1) and gd.cost < gd.start_cost
    return SweepPoint(float(gd.alpha), gd.cost, gd.diverged_at is not None, bool(steady))


def sweep_curves(X, Y, alphas, iterations: int, cancelled=None, **kwargs) -> tuple[list[SweepPoint], list[np.ndarray]]:
    """One batch-descent run per α from the same start: its point and its curve, in the order of ``alphas``."""
    points, curves, first = [], [], None
    for alpha in alphas:
        if cancelled is not None and cancelled():
            break
        gd = GradientDescent(X, Y, alpha=float(alpha), metric_stride=max(iterations, 1), share_with=first, **kwargs)
        first = first or gd
        gd.step(iterations)
        points.append(point(gd))
        curves.append(curve(gd))
    return points, curves
