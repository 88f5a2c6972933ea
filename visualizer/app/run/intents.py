"""What the learner asks of a run while it trains: one queue of these, drained by the worker between chunks.

While no worker runs, the controller drains the queue itself at once; either way every intent is
applied in the order it was sent, by one thread at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.core.optim.optimizers import Optimizer


@dataclass(frozen=True)
class SetAlpha:
    alpha: float


@dataclass(frozen=True)
class SwitchOptimizer:
    """Also a new batch size, hyperparameter, L2 or decay: everything ``Optimizer`` holds."""

    optimizer: Optimizer


@dataclass(frozen=True)
class SetBudget:
    """Iterations for this press of Train, counted from where it began; 0: until the cost stops falling."""

    budget: int


@dataclass(frozen=True)
class SetSpeed:
    speed: float | None  # iterations per second; None: as fast as possible


@dataclass(frozen=True)
class Pause:
    pass


Intent = SetAlpha | SwitchOptimizer | SetBudget | SetSpeed | Pause
