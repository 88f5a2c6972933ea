"""What an optimizer carries from one iteration to the next, and the epoch's shuffle.

Both are shared by the engine, its replays and the plain references (core/reference/optimizers.py):
the shuffle decides which examples form each batch, so the engine and its oracle must draw the same one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def epoch_order(m: int, seed: int, epoch: int) -> np.ndarray:
    """The shuffled order of the m examples in ``epoch``: a generator seeded with (seed, epoch)."""
    return np.random.default_rng([int(seed), int(epoch)]).permutation(m)


@dataclass
class OptimizerState:
    """The optimizer's state arrays (each kind's spec names them: momentum's "v", the second moment "s"),
    in the run's theta coordinates, plus the counters every kind shares."""

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    t: int = 0  # updates so far (Adam's bias correction)
    epoch: int = 0
    position: int = 0  # examples of this epoch already used
    order: np.ndarray | None = field(default=None, repr=False)  # this epoch's shuffle (recomputable)

    def copy(self) -> OptimizerState:
        return OptimizerState({k: v.copy() for k, v in self.arrays.items()}, self.t, self.epoch, self.position,
                              self.order)
