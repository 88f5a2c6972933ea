"""The models the app can train, one spec each: everything else asks here.

* ``logistic``: one sigmoid neuron, today's engine (core/engine/gradient_descent.py), with
  w of shape (n_x,) and a scalar b. J is convex with cross-entropy (not with squared error).
* ``network``: hidden layers (core/models/network.py, run fast by core/models/descent.py and
  driven as the window drives a run by core/models/network_run.py), W_l of shape (n_l, n_{l-1})
  and b_l of shape (n_l, 1). J is not convex: initialization
  matters, and zeros leave every hidden unit of a layer the same for ever.

Both keep the first layer's weights in their start + span(xᵢ) under gradient descent
(the gradient is dZ Xᵀ / m), which their Gram paths use when m < n_x.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.engine.losses import get_loss
from visualizer.core.models.network import Network
from visualizer.core.models.network_run import NetworkRun

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ModelSpec:
    """A model: its name and label, what trains it, and what the rest of the app needs to know."""

    name: str
    label: str
    #: The run the window, lessons and checks drive: GradientDescent, or NetworkRun (which takes the model
    #: settings ``options`` names as keyword arguments besides GradientDescent's).
    trainer: type
    #: Does J stay convex in the parameters with this loss?
    convex_losses: tuple[str, ...]
    #: Does gradient descent keep the first layer's weights in their start + span(xᵢ)?
    first_layer_in_span: bool
    #: Does it take hidden layers?
    has_hidden: bool
    #: The settings (the constraint table's MODEL_SETTINGS) its trainer takes besides GradientDescent's.
    options: tuple[str, ...] = ()

    def is_convex(self, loss: str) -> bool:
        return get_loss(loss).name in self.convex_losses

    def parameter_shapes(self, n_x: int, hidden: tuple[int, ...] = ()) -> list[tuple[str, Shape]]:
        """[(name, shape)] of the parameters, in training order: w and b, or W1, b1, W2, ..."""
        hidden = tuple(hidden)
        if hidden and not self.has_hidden:
            raise ValueError(f"{self.label} has no hidden layers")
        if not self.has_hidden:
            return [("w", (n_x,)), ("b", ())]
        if not hidden:
            raise ValueError(f"a {self.label.lower()} needs at least one hidden layer; none is logistic regression")
        shapes = Network(n_x, hidden).shapes()
        return [entry for l, (w, b) in enumerate(shapes, start=1) for entry in ((f"W{l}", w), (f"b{l}", b))]


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec("logistic", "Logistic regression", GradientDescent, ("cross-entropy",), True, False),
        ModelSpec("network", "Neural network", NetworkRun, (), True, True, ("hidden", "activation", "init_scale")),
    )
}


def get_model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}") from None


def model_for(hidden: tuple[int, ...] | list[int]) -> ModelSpec:
    """No hidden layer is logistic regression (its engine and exact figures); any is a network."""
    return MODELS["network" if len(hidden) else "logistic"]


def model_of(run) -> ModelSpec:
    """The model a run (a trainer's instance) trains."""
    return next(spec for spec in MODELS.values() if isinstance(run, spec.trainer))
