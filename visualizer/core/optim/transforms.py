"""An optimizer's step as a chain of small transforms, composed the way optax composes them.

Every optimizer here is ``chain(add_l2(l2), scale_by_<kind>(...), scale_by_learning_rate())`` with the
α of the epoch from ``decay_schedule``: the gradient g of the batch's J gains L2's (λ/m)·w, the kind
turns it into a direction u (momentum's average, Adam's ratio...), and the step adds −α·u to θ.
A link reads the state before the step and writes the arrays it keeps into ``new``; the engine keeps
``new`` only when the whole step is finite. A link may also say where the gradient is taken
(``lookahead``): Nesterov's θ − α·β·v. Plain batch descent runs the same maths in the engine's own
fast loops, with L2 from the same ``L2``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: (u, state before the step, params where g was taken, α of this step, new arrays) -> the next u
Update = Callable[[np.ndarray, object, np.ndarray, float, dict], np.ndarray]


@dataclass(frozen=True)
class L2:
    """J_reg = J + (λ/2m)·‖w‖², m the whole training set's size, b not regularized: written once, here."""

    lam: float
    m: int

    def __bool__(self) -> bool:
        return self.lam != 0

    @property
    def weight(self) -> float:
        """λ/2m, the weight of ‖w‖² in J_reg."""
        return self.lam / (2 * self.m)

    def penalty(self, squared_w):
        """(λ/2m)·‖w‖² for ‖w‖² (a number or an array of them)."""
        return self.weight * squared_w

    def add_gradient(self, g: np.ndarray, params: np.ndarray, scale: float = 1.0) -> None:
        """g += scale·(λ/m)·w in place (params and g in theta coordinates: [coefficients of w..., b])."""
        if self.lam:
            g[:-1] += (scale * self.lam / self.m) * params[:-1]


@dataclass(frozen=True)
class Transform:
    """One link of a chain."""

    update: Update
    #: (theta, state, α) -> where the gradient is taken; None: at theta itself
    lookahead: Callable[[np.ndarray, object, float], np.ndarray] | None = None


def add_l2(l2: L2) -> Transform:
    """g ← g + (λ/m)·w, at the point where g was taken."""

    def update(u, state, params, alpha, new):
        l2.add_gradient(u, params)
        return u

    return Transform(update)


def add_weight_l2(l2: L2, weights: np.ndarray) -> Transform:
    """g ← g + (λ/m)·θ on the coordinates ``weights`` marks with 1 (a network's every W_l, none of its b_l),
    at the point where g was taken: L2 for a θ laid out otherwise than logistic regression's [w..., b]."""
    factor = (l2.lam / l2.m) * np.asarray(weights, dtype=float)

    def update(u, state, params, alpha, new):
        if l2:
            u += factor * params
        return u

    return Transform(update)


def scale_by_learning_rate() -> Transform:
    """u ← −α·u, α the learning rate of this step (decayed per epoch by the chain's schedule)."""
    return Transform(lambda u, state, params, alpha, new: (-alpha) * u)


def decay_schedule(decay: float, kind: str) -> Callable[[float, int], float]:
    """α of epoch e from α₀: ``inverse`` α₀ / (1 + decay·e), ``exponential`` α₀·(1 − decay)ᵉ; decay 0 keeps α₀."""
    if decay == 0:
        return lambda alpha0, epoch: alpha0
    if kind == "inverse":
        return lambda alpha0, epoch: alpha0 / (1.0 + decay * epoch)
    return lambda alpha0, epoch: alpha0 * (1.0 - decay) ** epoch


def average(previous: np.ndarray | None, beta: float, value: np.ndarray) -> np.ndarray:
    """β·previous + (1 − β)·value, from previous = 0: the course's exponentially weighted average."""
    return (1.0 - beta) * value if previous is None else beta * previous + (1.0 - beta) * value


@dataclass(frozen=True)
class Chain:
    """Links applied in order, and the schedule that gives each step its α."""

    links: tuple[Transform, ...]
    schedule: Callable[[float, int], float]
    l2: L2

    def alpha(self, alpha0: float, epoch: int) -> float:
        return self.schedule(alpha0, epoch)

    def lookahead(self, theta: np.ndarray, state, alpha: float) -> np.ndarray:
        """Where this step takes its gradient: theta itself (the same object) unless a link looks ahead."""
        for link in self.links:
            if link.lookahead is not None:
                theta = link.lookahead(theta, state, alpha)
        return theta

    def updates(self, g: np.ndarray, state, params: np.ndarray, alpha: float) -> tuple[np.ndarray, dict]:
        """(the update to add to theta, the state arrays after it); g (changed in place) is taken at params."""
        new: dict[str, np.ndarray] = {}
        for link in self.links:
            g = link.update(g, state, params, alpha, new)
        return g, new


def chain(*links: Transform, schedule: Callable[[float, int], float], l2: L2) -> Chain:
    return Chain(tuple(links), schedule, l2)
