"""Gradient descent: θ ← θ − α·g. Run in full batches without decay, the engine's fast loops take it."""

from __future__ import annotations

from visualizer.core.optim.spec import OptimizerSpec
from visualizer.core.optim.transforms import Transform


def identity() -> Transform:
    """u ← g: the gradient itself is the direction."""
    return Transform(lambda u, state, params, alpha, new: u)


SPEC = OptimizerSpec(
    key="gd", label="Gradient descent", short="GD", name="gradient descent",
    rule="θ := θ − α·g",
    hyper=(), state=(), transform=lambda opt: identity(), span_preserving=True,
    edge=lambda top, opt: 2.0 / top, edge_formula="2/λmax",
    reference="visualizer.core.reference.optimizers.gd",
)
