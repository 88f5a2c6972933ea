"""The hidden layers' activations g, with g' and g'' (backward pass and Hessian-vector products).

Each is written in terms of z and a = g(z) together, so the derivatives reuse what the
forward pass already holds: tanh' = 1 - a², σ' = a (1 - a). ReLU's slope at 0 is 0, as in
the course's ``relu_backward`` (``dZ[Z <= 0] = 0``); leaky ReLU has slope 0.01 below 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.core.engine.losses import sigmoid

#: Leaky ReLU's slope below 0.
LEAK = 0.01

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """g(z), and its first and second derivatives given (z, a = g(z))."""

    name: str
    label: str
    value: Callable[[Array], Array]
    slope: Callable[[Array, Array], Array]
    bend: Callable[[Array, Array], Array]


def _zero(z: Array, a: Array) -> Array:
    return np.zeros_like(z)


def _tanh_bend(z: Array, a: Array) -> Array:
    return -2.0 * a * (1.0 - a * a)


def _sigmoid_bend(z: Array, a: Array) -> Array:
    return a * (1.0 - a) * (1.0 - 2.0 * a)


ACTIVATIONS: dict[str, Activation] = {
    g.name: g
    for g in (
        Activation("relu", "ReLU", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float), _zero),
        Activation("tanh", "tanh", np.tanh, lambda z, a: 1.0 - a * a, _tanh_bend),
        Activation("sigmoid", "sigmoid σ", sigmoid, lambda z, a: a * (1.0 - a), _sigmoid_bend),
        Activation("leaky-relu", "leaky ReLU", lambda z: np.where(z > 0, z, LEAK * z),
                   lambda z, a: np.where(z > 0, 1.0, LEAK), _zero),
        Activation("linear", "linear (none)", lambda z: np.array(z, dtype=float), lambda z, a: np.ones_like(z),
                   _zero),
    )
}


def get_activation(name: str | Activation) -> Activation:
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
