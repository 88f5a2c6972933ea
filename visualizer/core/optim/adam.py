"""Adam: momentum's v (β₁) and RMSProp's s (β₂), both bias-corrected by the update count t:
θ ← θ − α·(v / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)."""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.spec import BETA1, BETA2, EPSILON, SQUARES, VELOCITY, OptimizerSpec
from visualizer.core.optim.transforms import Transform, average


def scale_by_adam(beta1: float, beta2: float, epsilon: float) -> Transform:
    def update(u, state, params, alpha, new):
        t = state.t + 1
        new["v"] = average(state.arrays.get("v"), beta1, u)
        new["s"] = average(state.arrays.get("s"), beta2, u * u)
        return (new["v"] / (1.0 - beta1**t)) / (np.sqrt(new["s"] / (1.0 - beta2**t)) + epsilon)

    return Transform(update)


SPEC = OptimizerSpec(
    key="adam", label="Adam", short="Adam", name="Adam",
    rule="v and s as in momentum (β₁) and RMSProp (β₂), with bias correction v/(1 − β₁ᵗ) and s/(1 − β₂ᵗ)",
    hyper=(BETA1, BETA2, EPSILON), state=(VELOCITY, SQUARES),
    transform=lambda opt: scale_by_adam(opt.beta1, opt.beta2, opt.epsilon), span_preserving=False, edge=None,
    no_edge="Adam divides each coordinate's step by √s + ε, so no single α is the edge of stability: "
                 "none is drawn.",
    reference="visualizer.core.reference.optimizers.adam",
)
