"""A zig-zag across the valley, checked on the path: the sign of each step along the top Hessian direction.

Along the direction of largest curvature λmax, a step of α between 1/λmax and 2/λmax overshoots the bottom of
the valley and lands on the other side: the next step comes back. So the path zig-zags *across* the valley when
the component of consecutive steps along that direction keeps changing sign, whatever J does meanwhile.
The direction is the one at the point each step starts from (it turns as the run goes on).
"""

from __future__ import annotations

import numpy as np

from visualizer.core.analysis.stability import top_direction


class PathFollower:
    """Steps a run one iteration at a time and says how far each step went along the top Hessian direction at
    its start; the direction's sign is kept from one step to the next, so a sign change is a reversal."""

    def __init__(self):
        self._vector = np.zeros(0)
        self._previous: np.ndarray | None = None

    def step(self, gd) -> float | None:
        """One iteration of ``gd``; its component, or None when the run halts (the next step is not finite)."""
        direction = top_direction(gd, self._vector)[None]
        if self._previous is not None and gd.param.inner(direction, self._previous)[0, 0] < 0:
            direction, self._vector[:] = -direction, -self._vector
        self._previous = direction
        theta = gd.theta.copy()
        if gd.step(1) < 1:
            return None
        return float(gd.param.inner((gd.theta - theta)[None], direction)[0, 0])


def step_components(gd, steps: int) -> np.ndarray:
    """The components of the next ``steps`` steps of ``gd`` (fewer when it halts)."""
    follower, out = PathFollower(), []
    for _ in range(steps):
        c = follower.step(gd)
        if c is None:
            break
        out.append(c)
    return np.array(out)


def reversals(components: np.ndarray) -> int:
    """How many steps go back along the direction the step before went: a sign change of the component."""
    signs = np.sign(np.asarray(components, dtype=float))
    return int(np.count_nonzero(signs[1:] * signs[:-1] < 0))
