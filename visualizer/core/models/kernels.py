"""The activations as steps of the fast loop's plan: A = g(Z) and dZ = dA * g'(Z) into buffers.

Each function returns zero-argument operations bound to the buffers of one layer, so an
iteration is a list of calls with nothing looked up and no array allocated. The values
are activations.py's, operation for operation (a test compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from visualizer.core.models.activations import LEAK, get_activation

Op = Callable[[], object]


def forward_ops(name: str, Z: np.ndarray, out: np.ndarray) -> list[Op]:
    """out = g(Z)."""
    get_activation(name)
    if name == "relu":
        return [partial(np.maximum, Z, 0.0, out=out)]
    if name == "tanh":
        return [partial(np.tanh, Z, out=out)]
    if name == "sigmoid":  # σ(z) = 1/2 + tanh(z/2)/2, as engine.losses.sigmoid
        return [partial(np.multiply, Z, 0.5, out=out), partial(np.tanh, out, out=out),
                partial(np.multiply, out, 0.5, out=out), partial(np.add, out, 0.5, out=out)]
    if name == "leaky-relu":  # max(z, 0.01 z): z above 0, 0.01 z below
        return [partial(np.multiply, Z, LEAK, out=out), partial(np.maximum, out, Z, out=out)]
    return [partial(np.copyto, out, Z)]


def backward_ops(name: str, dA: np.ndarray, Z: np.ndarray, A: np.ndarray, out: np.ndarray) -> list[Op]:
    """out = dA * g'(Z), with A = g(Z) as the forward pass left it."""
    get_activation(name)
    if name in ("relu", "leaky-relu"):
        above = np.empty(Z.shape, dtype=bool)
        find = partial(np.greater, Z, 0.0, out=above)
        if name == "relu":
            return [find, partial(np.multiply, dA, above, out=out)]
        return [find, partial(np.multiply, dA, LEAK, out=out), partial(np.copyto, out, dA, where=above)]
    if name == "linear":
        return [partial(np.copyto, out, dA)]
    s = np.empty(Z.shape)
    if name == "tanh":  # 1 − a²
        slope = [partial(np.multiply, A, A, out=s), partial(np.subtract, 1.0, s, out=s)]
    else:  # σ: a (1 − a)
        slope = [partial(np.subtract, 1.0, A, out=s), partial(np.multiply, s, A, out=s)]
    return [*slope, partial(np.multiply, dA, s, out=out)]
