"""What the worker hands the GUI: an immutable snapshot of the run, and the old alpha's ghost path."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from visualizer.core import GradientDescent


@dataclass(frozen=True)
class Snapshot:
    """The state at one iteration, safe to read from any thread."""

    iteration: int
    theta: np.ndarray
    z: np.ndarray
    alpha: float
    cost: float  # J at this iteration
    path_iterations: tuple[int, ...]
    path: tuple[np.ndarray, ...]  # theta along the way, at the trajectory's stride
    batch: np.ndarray | None = None  # the examples the next step uses; None: all m
    path_stride: int = 1  # iterations between two kept points of the path (its first may be off it)

    def path_until(self, iteration: int) -> np.ndarray:
        """The stored path up to ``iteration``, as rows of theta."""
        rows = [t for it, t in zip(self.path_iterations, self.path, strict=True) if it <= iteration]
        return np.array(rows) if rows else np.zeros((0, len(self.theta)))

    @classmethod
    def of(cls, gd: GradientDescent) -> Snapshot:
        traj = gd.trajectory
        return cls(gd.iteration, gd.theta.copy(), gd.z, gd.alpha, gd.cost, tuple(traj.iterations),
                   tuple(traj.thetas), gd.batch_rows(), traj.stride)


@dataclass(frozen=True)
class Ghost:
    """The path the previous alpha would have taken from ``start``: costs, and thetas every 10 iterations.

    Its thetas are coordinates of one parametrization; a data edit makes a new one, so the
    ghost goes with the run it was drawn for (``belongs_to``) and is dropped on any change.
    """

    start: int
    alpha: float
    costs: np.ndarray
    thetas: np.ndarray
    param: object

    def belongs_to(self, gd: GradientDescent) -> bool:
        return self.param is gd.param and self.thetas.shape[1:] == gd.theta.shape


class GhostKeeper:
    """Where the current burst of alpha changes began, and the ghost drawn from there once the slider rests.

    The origin is noted by whichever thread applies the new alpha and taken by the GUI, under a lock.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._origin: tuple[float, int, np.ndarray] | None = None  # (old alpha, iteration, theta)
        self.ghost: Ghost | None = None

    def alpha_changing(self, gd: GradientDescent, new_alpha: float) -> None:
        """Called just before ``new_alpha`` takes effect on ``gd``."""
        with self._lock:
            if self._origin is None and new_alpha != gd.alpha:
                self._origin = (gd.alpha, gd.iteration, gd.theta.copy())

    def draw(self, gd: GradientDescent, alpha_now: float, n: int) -> Ghost | None:
        """The path the alpha before the burst would have taken from where the burst began."""
        with self._lock:
            origin, self._origin = self._origin, None
        if origin is None or origin[1] == 0 or origin[2].shape != gd.theta.shape or origin[0] == alpha_now:
            return self.ghost
        old_alpha, iteration, theta = origin
        costs, thetas = gd.simulate(theta, old_alpha, n)
        self.ghost = Ghost(iteration, old_alpha, costs, thetas, gd.param)
        return self.ghost

    def forget(self) -> None:
        with self._lock:
            self.ghost = self._origin = None
