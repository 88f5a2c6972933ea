"""Budget 0, "until J stops falling": when a run has stopped going down, and the sentence that says so."""

from __future__ import annotations

#: J has not gone PLATEAU (relative, above 1) below its lowest in PLATEAU_ITERATIONS iterations.
PLATEAU, PLATEAU_ITERATIONS = 1e-7, 200


class Plateau:
    """Follows J from a press of Train; ``after`` says when J has stopped falling, in the sentence the window shows."""

    def __init__(self, iteration: int, cost: float):
        self.since, self.best = iteration, cost  # inf - 1e-7 * inf is NaN: no J was ever "below" it

    def after(self, iteration: int, cost: float) -> str | None:
        if cost < self.best - PLATEAU * max(1.0, abs(self.best)):
            self.best, self.since = cost, iteration
        elif iteration - self.since >= PLATEAU_ITERATIONS:
            return (f"J has not gone {PLATEAU:g} below its lowest, {self.best:.6g} at iteration {self.since}, in "
                    f"{iteration - self.since} iterations: stopped at iteration {iteration}.")
        return None
