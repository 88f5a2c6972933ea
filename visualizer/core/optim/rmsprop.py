"""RMSProp: s ← β₂·s + (1 − β₂)·g², θ ← θ − α·g / (√s + ε), each coordinate scaled on its own."""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.spec import BETA2, EPSILON, SQUARES, OptimizerSpec
from visualizer.core.optim.transforms import Transform, average


def scale_by_rmsprop(beta2: float, epsilon: float) -> Transform:
    def update(u, state, params, alpha, new):
        new["s"] = average(state.arrays.get("s"), beta2, u * u)
        return u / (np.sqrt(new["s"]) + epsilon)

    return Transform(update)


SPEC = OptimizerSpec(
    key="rmsprop", label="RMSProp", short="RMSProp", name="RMSProp",
    rule="s = β₂·s + (1 − β₂)·g², θ := θ − α·g / (√s + ε)",
    hyper=(BETA2, EPSILON), state=(SQUARES,), transform=lambda opt: scale_by_rmsprop(opt.beta2, opt.epsilon),
    span_preserving=False, edge=None,
    no_edge="RMSProp divides each coordinate's step by √s + ε, so no single α is the edge of stability: "
                 "none is drawn.",
    reference="visualizer.core.reference.optimizers.rmsprop",
)
