"""The edge of stability for networks: λmax of the Hessian followed along a run, cheaply.

Gradient descent with step α is stable along the Hessian's top direction while λmax < 2/α.
On networks, full-batch descent drives λmax up ("progressive sharpening") until it reaches
2/α, then hovers there while J keeps falling, not monotonically (Cohen et al., "Gradient
descent on neural networks typically occurs at the edge of stability", 2021).

``SharpnessProbe`` records λmax and 2/λmax with a run's metrics, as logistic regression's
EdgeProbe (core/analysis/stability.py) records 2/λmax. Each record starts power iteration
from the last record's eigenvector: θ has moved little since, so a few exact
Hessian-vector products (core/models/curvature.py) are enough, not hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.models.curvature import sharpness
from visualizer.core.models.network import Network

#: Relative agreement of two successive estimates at which a record stops.
PROBE_TOL = 1e-4
#: At most this many Hessian-vector products per record (the first, from a random start, may need them).
PROBE_BUDGET = 60
#: m × parameters above which λmax is not followed live: one record costs a few Hessian-vector products, each
#: about two passes over the examples, which on the deep model (209 × 246,000) took 50 to 120 ms per record.
LIVE_SHARPNESS = 2_000_000


def sharpness_affordable(net: Network, m: int) -> bool:
    """Whether a window's run records λmax with its metrics: m × parameters at most LIVE_SHARPNESS."""
    return m * net.size <= LIVE_SHARPNESS


def not_recorded(net: Network, m: int) -> str:
    """The sentence saying why a network's 2/λmax is not recorded (``sharpness_affordable`` is False)."""
    return (f"2/λmax is not recorded for this network: m × parameters = {m:,} × {net.size:,} is above "
            f"{LIVE_SHARPNESS:,}, where each record of λmax would slow training down.")


class SharpnessProbe:
    """``probe(run)`` -> {"sharpness": λmax, "edge": 2/λmax, "products": how many H v it took}.

    ``run`` is anything with ``net``, ``theta``, ``X`` and ``y`` (a NetworkDescent), or a NetworkRun
    (``gd.probe = SharpnessProbe()``: its examples are ``param.X``). The edge is NaN where λmax ≤ 0 (no
    curvature to be unstable along).
    """

    def __init__(self, tol: float = PROBE_TOL, budget: int = PROBE_BUDGET, seed: int = 0):
        self.tol, self.budget, self.seed = tol, budget, seed
        self._vector: np.ndarray | None = None

    def measure(self, net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> dict[str, float]:
        start = self._vector if self._vector is not None and self._vector.size == net.size else None
        with np.errstate(over="ignore", invalid="ignore"):
            found = sharpness(net, theta, X, Y, start=start, tol=self.tol, max_products=self.budget, seed=self.seed)
        value = found.value
        if not np.isfinite(value):
            self._vector = None
            return {"sharpness": float("nan"), "edge": float("nan"), "products": float(found.products)}
        self._vector = found.vector
        return {"sharpness": value, "edge": 2.0 / value if value > 0 else float("nan"),
                "products": float(found.products)}

    def __call__(self, run) -> dict[str, float]:
        return self.measure(run.net, run.theta, run.param.X if hasattr(run, "param") else run.X, run.y)


class LiveSharpness(SharpnessProbe):
    """A window's network run's probe (``gd.probe = LiveSharpness()``): SharpnessProbe's record where
    ``sharpness_affordable``, else only an edge of NaN (the run's data may grow past it). The edge is the run's
    optimizer's (its spec's ``edge``: 2/λmax for gradient descent), as EdgeProbe records logistic regression's;
    NaN for an optimizer that has none."""

    def __call__(self, run) -> dict[str, float]:
        spec = run.optimizer.spec
        if spec.edge is None or not sharpness_affordable(run.net, run.m):
            return {"edge": float("nan")}
        record = super().__call__(run)
        if record["sharpness"] > 0:
            record["edge"] = spec.edge(record["sharpness"], run.optimizer)
        return record


@dataclass(frozen=True)
class SharpnessTrace:
    """λmax at ``iterations`` along a run, J before each step, and α: what the edge-of-stability plot draws."""

    iterations: np.ndarray
    sharpness: np.ndarray
    costs: np.ndarray
    alpha: float
    products: int  # Hessian-vector products spent on the whole trace

    @property
    def threshold(self) -> float:
        """2/α, the sharpness above which a step of α overshoots along the top direction."""
        return 2.0 / self.alpha


def follow_sharpness(run, iterations: int, every: int, probe: SharpnessProbe | None = None) -> SharpnessTrace:
    """Step ``run`` (a NetworkDescent) ``iterations`` times, measuring λmax before the first step and every
    ``every`` steps; stops early where the run diverges."""
    if every < 1:
        raise ValueError(f"measure every 1 or more iterations, not {every!r}")
    probe = SharpnessProbe() if probe is None else probe
    at, values, products, end = [], [], 0, run.iteration + iterations
    while True:
        record = probe(run)
        at.append(run.iteration)
        values.append(record["sharpness"])
        products += int(record["products"])
        if run.iteration >= end or run.diverged:
            break
        run.step(min(every, end - run.iteration))
    return SharpnessTrace(np.array(at), np.array(values), run.costs, float(run.alpha), products)
