"""What every model's run reads the same way from its own fields: the windows, lessons and CLI ask a logistic
regression and a network these alike, so they are written once."""

from __future__ import annotations


class RunReadings:
    """Needs ``loss``, ``z``, ``y``, ``penalty()``, ``overflow`` and ``_divergence_base`` from the run."""

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
