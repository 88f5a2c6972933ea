"""Per-example losses of a sigmoid unit, written in terms of z so they stay finite.

The course computes ``log(sigmoid(z))``, which is ``log(0) = -inf`` once z is large
and gives NaN costs at big learning rates. Here every loss goes through
``softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|)`` and
``sigmoid(z) = (1 + tanh(z/2)) / 2``, both exact and finite for every finite z.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^-z), without overflow for large |z|."""
    z = np.asarray(z)
    return 0.5 + 0.5 * np.tanh(0.5 * (z if z.dtype.kind == "f" else z.astype(float)))


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log1p(e^-|z|): finite and accurate for every finite z.

    Same value as numpy's logaddexp(0, z) to the last bit or so, and faster here.
    """
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


class Loss:
    """A per-example loss L(sigmoid(z), y), written as a function of z."""

    name: str
    label: str
    convex: bool

    def values(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """L for each example; z may carry extra leading axes (grids, histories)."""
        raise NotImplementedError

    def dz_writer(self, y: np.ndarray):
        """A function f(z, out) writing dL/dz into ``out``; the hot loop allocates nothing."""
        raise NotImplementedError

    def curvature(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """d²L/dz² for each example: the weights of the Hessian [X; 1] diag(.) [X; 1]^T / m."""
        raise NotImplementedError

    def cost(self, z: np.ndarray, y: np.ndarray) -> np.ndarray | float:
        """J = mean of L over the last axis."""
        return np.mean(self.values(z, y), axis=-1)

    def dz(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.empty(np.shape(z))
        self.dz_writer(y)(np.asarray(z, dtype=float), out)
        return out


class CrossEntropy(Loss):
    """L = -(y log a + (1-y) log(1-a)) = softplus(z) - y z, and dL/dz = a - y."""

    name = "cross-entropy"
    label = "Cross-entropy (log loss)"
    convex = True

    def values(self, z, y):
        return softplus(z) - y * z

    def curvature(self, z, y):
        a = sigmoid(z)
        return a * (1.0 - a)

    def dz_writer(self, y):
        h = 0.5 - np.asarray(y, dtype=float)

        def write(z, out):  # a - y = tanh(z/2)/2 + 1/2 - y
            np.multiply(z, 0.5, out=out)
            np.tanh(out, out=out)
            out *= 0.5
            out += h

        return write


class SquaredError(Loss):
    """L = (a - y)^2 / 2, and dL/dz = (a - y) a (1 - a). Not convex in (w, b)."""

    name = "squared-error"
    label = "Squared error"
    convex = False

    def values(self, z, y):
        return 0.5 * (sigmoid(z) - y) ** 2

    def curvature(self, z, y):
        """d/dz of (a - y) s with s = a(1 - a): s (s + (a - y)(1 - 2a)), negative where J curves down."""
        a = sigmoid(z)
        s = a * (1.0 - a)
        return s * (s + (a - y) * (1.0 - 2.0 * a))

    def dz_writer(self, y):
        def write(z, out):
            a = sigmoid(z)
            np.subtract(a, y, out=out)
            out *= a * (1.0 - a)

        return write


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (CrossEntropy(), SquaredError())}


def get_loss(name: str | Loss) -> Loss:
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
