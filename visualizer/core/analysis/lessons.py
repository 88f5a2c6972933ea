"""The numbers behind the lesson views: one example through the graph, loops against vectors,
and the lecture's two-parameter picture of J(w, b).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.surface import Plane, SurfaceSlice
from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.engine.losses import get_loss, sigmoid
from visualizer.core.reference.lecture import loop_gradients, vectorized_gradients


@dataclass
class GraphValues:
    """Forward values and backward derivatives of x, w, b -> z -> a -> L(a, y) for one example."""

    z: float
    a: float
    L: float
    da: float
    dz: float
    dw: np.ndarray  # x dz
    db: float


def graph_values(w: np.ndarray, b: float, x: np.ndarray, y: float) -> GraphValues:
    """The lecture's formulas, term by term (cross-entropy): da = -y/a + (1-y)/(1-a), dz = a - y."""
    z = float(np.dot(w, x) + b)
    a = float(sigmoid(np.array(z)))
    L = float(get_loss("cross-entropy").values(np.array(z), y))
    with np.errstate(divide="ignore"):
        da = float(-y / a + (1 - y) / (1 - a)) if 0 < a < 1 else float("inf")
    dz = a - y
    return GraphValues(z, a, L, da, dz, np.asarray(x, dtype=float) * dz, dz)


@dataclass
class VectorizationTiming:
    m_loop: int  # examples the loop version ran on
    loop_seconds: float  # measured on m_loop examples
    loop_seconds_full: float  # scaled to all m examples
    vector_seconds: float  # the vectorized iteration on all m examples
    max_difference: float  # loop vs vectorized on the same m_loop examples

    @property
    def speedup(self) -> float:
        return self.loop_seconds_full / max(self.vector_seconds, 1e-12)


def time_vectorization(X: np.ndarray, Y: np.ndarray, w: np.ndarray, b: float, budget_s: float = 2.0,
                       cancelled=None) -> VectorizationTiming:
    """One gradient computation with explicit loops and one vectorized, timed now, on this machine.

    The loops run on as many examples as fit in about ``budget_s``; their time is scaled to m.
    """
    n_x, m = X.shape
    y = np.asarray(Y, dtype=float).reshape(1, -1)
    t = time.perf_counter()
    loop_gradients(w.tolist(), b, X[:, :1].tolist(), y[:, :1].tolist())
    per_example = max(time.perf_counter() - t, 1e-6)
    m_loop = int(max(1, min(m, budget_s / per_example)))
    Xs, ys = X[:, :m_loop], y[:, :m_loop]
    t = time.perf_counter()
    J_loop, dw_loop, db_loop = loop_gradients(w.tolist(), b, Xs.tolist(), ys.tolist())
    loop_s = time.perf_counter() - t
    J_vec, dw_vec, db_vec = vectorized_gradients(w, b, Xs, ys)
    difference = max(abs(J_loop - J_vec), float(np.max(np.abs(dw_loop - dw_vec))), abs(db_loop - db_vec))
    repeats, t = 0, time.perf_counter()
    while repeats < 3 or time.perf_counter() - t < 0.05:
        vectorized_gradients(w, b, X, y)
        repeats += 1
    vector_s = (time.perf_counter() - t) / repeats
    return VectorizationTiming(m_loop, loop_s, loop_s * m / m_loop, vector_s, difference)


def one_feature(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each image reduced to one number: its projection on the difference of the class means.

    Returns (f of shape (1, m), the unit direction). Centred and scaled to unit spread, so
    the bowl J(w, b) of the lecture has sensible axes.
    """
    y = np.asarray(Y).reshape(-1).astype(bool)
    direction = X[:, y].mean(axis=1) - X[:, ~y].mean(axis=1)
    norm = float(np.linalg.norm(direction)) or 1.0
    direction = direction / norm
    f = direction @ X
    f = (f - f.mean()) / (f.std() or 1.0)
    return f.reshape(1, -1), direction


def cut_1d(loss_name: str, f: np.ndarray, y: np.ndarray, b: float, w_values: np.ndarray) -> np.ndarray:
    """J(w) at a fixed b, for the one-feature model: the lecture's picture of the derivative."""
    loss = get_loss(loss_name)
    z = np.multiply.outer(w_values, f.reshape(-1)) + b
    return loss.cost(z, np.asarray(y, dtype=float).reshape(-1))


class Bowl:
    """The lecture's J(w, b) with w a single number, and descents started wherever the learner clicks."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, loss: str = "cross-entropy", alpha: float = 0.5):
        self.f, self.direction = one_feature(X, Y)
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        self.loss, self.alpha = loss, alpha
        self._GradientDescent = GradientDescent
        probe = GradientDescent(self.f, Y, loss=loss)
        axes = np.eye(2)
        self.slice = SurfaceSlice(probe.param, probe.loss, probe.y, Plane(np.zeros(2), axes[0], axes[1],
                                                                          "bowl", "w", "b"))
        self.runs: list = []

    def grid(self, w_values: np.ndarray, b_values: np.ndarray) -> np.ndarray:
        """J[i, j] at (w_values[i], b_values[j]), exactly."""
        return self.slice.grid(w_values, b_values)

    def start(self, w: float, b: float):
        run = self._GradientDescent(self.f, self.y, alpha=self.alpha, loss=self.loss,
                                    start=(np.array([float(w)]), float(b)), metric_stride=10**9)
        self.runs.append(run)
        return run

    def step(self, n: int) -> None:
        for run in self.runs:
            run.step(n)

    def path(self, run) -> tuple[np.ndarray, np.ndarray]:
        thetas = np.array(run.trajectory.thetas + [run.theta])
        return thetas[:, 0], thetas[:, 1]

    def cut(self, b: float, w_values: np.ndarray) -> np.ndarray:
        return cut_1d(self.loss, self.f, self.y, b, w_values)

    def slope(self, run) -> float:
        """dJ/dw at the run's current point: negative means the step moves w to the right."""
        return float(run.gradient()[0])
