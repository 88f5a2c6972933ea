"""What every model's run reads the same way from its own fields: the windows, lessons and CLI ask a logistic
regression and a network these alike, so they are written once."""

from __future__ import annotations

import math


def validate_alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not math.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"the learning rate must be a positive number, not {alpha!r}")
    return alpha


class RunReadings:
    """Needs ``loss``, ``z``, ``y``, ``penalty()``, ``overflow``, ``history``, ``iteration``, ``_alpha`` and
    ``_divergence_base`` from the run."""

    def _take_alpha(self, value: float) -> float:
        """A new α from this iteration on (checked); a new one is watched afresh, from the cost where it starts."""
        value = validate_alpha(value)
        if value != self._alpha:
            self.diverged_at, self._divergence_base = None, self.cost
        self._alpha = value
        self.history.set_alpha(self.iteration, value)
        self.overflow = None
        return value

    @property
    def halted(self) -> bool:
        """Whether the next step would overflow (``overflow`` says why); a new α, optimizer or data clears it."""
        return self.overflow is not None

    @property
    def cost(self) -> float:
        """J at the parameters now, plus (λ/2m) Σ‖W‖² under L2: the J the optimizer minimizes."""
        return float(self.loss.cost(self.z, self.y)) + self.penalty()

    @property
    def stretch_start_cost(self) -> float:
        """J where the current α and optimizer took over (or the data last changed): ending above it is diverging."""
        return self._divergence_base
