"""Nesterov momentum in the course's averaged form: the gradient g is taken at the look-ahead point
θ − α·β·v (where momentum alone would go), then v ← β·v + (1 − β)·g and θ ← θ − α·v.

Each step is a combination of past gradients, so w stays in w0 + span(x_i) and the Gram path is exact.
On a quadratic it is Nesterov's method with step α(1 − β), stable while α < 2(1 + β)/((1 + 2β)(1 − β)·λmax):
below momentum's edge, since the look-ahead damps the overshoot that momentum lets build up.
"""

from __future__ import annotations

from visualizer.core.optim.momentum import scale_by_momentum
from visualizer.core.optim.spec import BETA, VELOCITY, OptimizerSpec
from visualizer.core.optim.transforms import Transform


def scale_by_nesterov(beta: float) -> Transform:
    def lookahead(theta, state, alpha):
        v = state.arrays.get("v")
        return theta if v is None else theta - alpha * beta * v

    return Transform(scale_by_momentum(beta).update, lookahead)


SPEC = OptimizerSpec(
    key="nesterov", label="Nesterov momentum", short="Nesterov", name="Nesterov momentum",
    rule="g taken at θ − α·β·v, v = β·v + (1 − β)·g, θ := θ − α·v",
    hyper=(BETA,), state=(VELOCITY,), transform=lambda opt: scale_by_nesterov(opt.beta), span_preserving=True,
    edge=lambda top, opt: 2.0 * (1.0 + opt.beta) / ((1.0 + 2.0 * opt.beta) * (1.0 - opt.beta) * top),
    edge_formula="2(1+β)/((1+2β)(1−β)λmax)",
    reference="visualizer.core.reference.optimizers.nesterov",
)
