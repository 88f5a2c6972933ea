"""Momentum in the course's averaged form: v ← β·v + (1 − β)·g, θ ← θ − α·v.

On a quadratic this is the heavy ball with step α(1 − β): stable while α < 2(1 + β)/((1 − β)·λmax).
"""

from __future__ import annotations

from visualizer.core.optim.spec import BETA, VELOCITY, OptimizerSpec
from visualizer.core.optim.transforms import Transform, average


def scale_by_momentum(beta: float) -> Transform:
    def update(u, state, params, alpha, new):
        new["v"] = average(state.arrays.get("v"), beta, u)
        return new["v"]

    return Transform(update)


SPEC = OptimizerSpec(
    key="momentum", label="Momentum", short="Momentum", name="momentum",
    rule="v = β·v + (1 − β)·g, θ := θ − α·v",
    hyper=(BETA,), state=(VELOCITY,), transform=lambda opt: scale_by_momentum(opt.beta), span_preserving=True,
    edge=lambda top, opt: 2.0 * (1.0 + opt.beta) / ((1.0 - opt.beta) * top), edge_formula="2(1+β)/((1−β)λmax)",
    reference="visualizer.core.reference.optimizers.momentum",
)
