"""Several learning rates from the same start on the same data, and one fixed slice for all.

The slice goes through the common start, spanned by b and the direction in which the
best run (lowest final cost) moved w, so every path is drawn on the same plane.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.surface import Plane, SurfaceSlice, _bias_axis, _orthogonal_complement, _unit, view_ranges
from visualizer.core.analysis.verdicts import run_verdict
from visualizer.core.engine.gradient_descent import GradientDescent

COURSE_ALPHAS = (0.01, 0.001, 0.0001)


@dataclass
class RunSummary:
    alpha: float
    iteration: int
    final_cost: float
    train_accuracy: float
    test_accuracy: float | None
    diverged: bool  # J ended above where it began, or stopped being finite


@dataclass
class SharedSlice:
    s: np.ndarray
    t: np.ndarray
    J: np.ndarray
    paths: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]]  # alpha -> (s, t, distance off the plane)
    start: tuple[float, float]
    s_label: str
    t_label: str


class Comparison:
    """Runs keyed by alpha, each a GradientDescent from the same start."""

    def __init__(self, X, Y, X_test=None, Y_test=None, iterations: int = 1500, **run_options):
        self.X, self.Y, self.X_test, self.Y_test = X, Y, X_test, Y_test
        self.iterations = iterations
        self.options = run_options
        self.runs: dict[float, GradientDescent] = {}

    def add(self, alpha: float) -> GradientDescent:
        alpha = float(alpha)
        if alpha not in self.runs:
            first = next(iter(self.runs.values()), None)  # same data, same start: one Gram matrix for all
            self.runs[alpha] = GradientDescent(self.X, self.Y, alpha=alpha, X_test=self.X_test, Y_test=self.Y_test,
                                               metric_stride=10, share_with=first, **self.options)
        return self.runs[alpha]

    def unfinished(self) -> list[GradientDescent]:
        return [gd for gd in self.runs.values() if gd.iteration < self.iterations and not gd.halted]

    def step(self, n: int, cancelled=None) -> bool:
        """Advance every unfinished run by up to n iterations; False once all are done."""
        pending = self.unfinished()
        for gd in pending:
            gd.step(min(n, self.iterations - gd.iteration), cancelled=cancelled)
        return bool(self.unfinished())

    def summaries(self) -> list[RunSummary]:
        out = []
        for alpha, gd in sorted(self.runs.items(), reverse=True):
            m = gd.metrics()
            out.append(RunSummary(alpha, gd.iteration, m["train_cost"], m["train_accuracy"], m["test_accuracy"],
                                  run_verdict(gd).diverged))
        return out

    def shared_slice(self, grid: int = 48) -> SharedSlice | None:
        """J on the plane through the start spanned by b and the best run's move in w."""
        if not self.runs:
            return None
        best = min(self.runs.values(), key=lambda gd: gd.cost)
        param = best.param
        start = best.theta_start
        move = best.theta - start
        move[-1] = 0.0
        d1 = _unit(param, move)
        if d1 is None:  # nothing moved yet: the gradient's direction at the start
            g = -best.gradient(param.train.z(start))
            g[-1] = 0.0
            d1 = _unit(param, g)
        if d1 is None:
            return None
        d2 = _orthogonal_complement(param, d1, [_bias_axis(param)])
        plane = Plane(start, d1, d2, "comparison", "along the best run's move in w", "b")
        sl = SurfaceSlice(param, best.loss, best.y, plane)
        paths, everything = {}, [start[None]]
        for alpha, gd in self.runs.items():
            thetas = np.array(gd.trajectory.thetas + [gd.theta])
            pts = sl.points(thetas)
            paths[alpha] = (pts.s, pts.t, pts.distance)
            everything.append(thetas)
        allpts = sl.points(np.vstack(everything))
        (s0, s1), (t0, t1) = view_ranges(allpts, minimum=0.5)
        s, t = np.linspace(s0, s1, grid), np.linspace(t0, t1, grid)
        return SharedSlice(s, t, sl.grid(s, t), paths, (0.0, 0.0), plane.s_label, plane.t_label)
