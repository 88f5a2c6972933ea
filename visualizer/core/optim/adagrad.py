"""AdaGrad: s ← s + g², θ ← θ − α·g / (√s + ε), each coordinate scaled on its own.

s sums every squared gradient so far, so each coordinate's step only shrinks: large early gradients
slow a coordinate for good. Scaling coordinates separately leaves w0 + span(x_i): the primal path.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.spec import EPSILON, SQUARES, OptimizerSpec
from visualizer.core.optim.transforms import Transform


def scale_by_adagrad(epsilon: float) -> Transform:
    def update(u, state, params, alpha, new):
        s = state.arrays.get("s")
        new["s"] = u * u if s is None else s + u * u
        return u / (np.sqrt(new["s"]) + epsilon)

    return Transform(update)


SPEC = OptimizerSpec(
    key="adagrad", label="AdaGrad", short="AdaGrad", name="AdaGrad",
    rule="s = s + g², θ := θ − α·g / (√s + ε)",
    hyper=(EPSILON,), state=(SQUARES,), transform=lambda opt: scale_by_adagrad(opt.epsilon), span_preserving=False,
    edge=None,
    no_edge="AdaGrad divides each coordinate's step by √s + ε (s sums every g² so far): no single α is "
            "the edge of stability, and none is drawn.",
    reference="visualizer.core.reference.optimizers.adagrad",
)
