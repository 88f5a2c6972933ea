"""The Hessian of a network's J, through exact Hessian-vector products, and its largest eigenvalue.

``hessian_vector(net, θ, X, Y, v)`` is H v exactly (Pearlmutter's R-operator, 1994): the
forward and backward passes differentiated once more along v, at the cost of about two
gradients and without forming H. ``sharpness`` finds λmax by power iteration on H v, the
quantity that full-batch descent drives up to 2/α (Cohen et al., 2021).

With R{·} the derivative along v = (V_l, v_l), and δ_l = dJ/dZ_l · m:

    R{Z_l} = V_l A_{l-1} + v_l + W_l R{A_{l-1}},        R{A_l} = g'(Z_l) R{Z_l},  R{A_0} = 0
    R{δ_L} = L''(Z_L) R{Z_L}
    R{dW_l} = (R{δ_l} A_{l-1}ᵀ + δ_l R{A_{l-1}}ᵀ) / m + (λ/m) V_l,    R{db_l} = Σ R{δ_l} / m
    R{δ_{l-1}} = (V_lᵀ δ_l + W_lᵀ R{δ_l}) g'(Z_{l-1}) + (W_lᵀ δ_l) g''(Z_{l-1}) R{Z_{l-1}}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.models.activations import get_activation
from visualizer.core.models.network import Network, forward


def hessian_vector(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray, v: np.ndarray) -> np.ndarray:
    """H v, with H the Hessian of J (L2 included) at θ; v and the result in θ's layout."""
    g, loss = get_activation(net.activation), get_loss(net.loss)
    y = np.asarray(Y, dtype=float).reshape(1, -1)
    m = y.shape[1]
    Zs, As = forward(net, theta, X)
    layers, directions = net.split(theta), net.split(np.asarray(v, dtype=float))
    # Forward along v.
    RZ, RA = [], [None]  # R{A_0} = 0: X does not move
    for l, ((W, _), (V, vb)) in enumerate(zip(layers, directions, strict=True), start=1):
        rz = V @ As[l - 1] + vb
        if l > 1:
            rz += W @ RA[l - 1]
        RZ.append(rz)
        if l < len(layers):
            RA.append(g.slope(Zs[l - 1], As[l]) * rz)
    # Backward along v.
    out = np.empty(net.size)
    results = net.split(out)
    delta = loss.dz(Zs[-1], y)
    r_delta = loss.curvature(Zs[-1], y) * RZ[-1]
    for l in range(len(layers), 0, -1):
        (W, _), (V, _), (rW, rb) = layers[l - 1], directions[l - 1], results[l - 1]
        rW[:] = r_delta @ As[l - 1].T / m + (net.lam / m) * V
        if l > 1:
            rW += delta @ RA[l - 1].T / m
        rb[:] = r_delta.sum(axis=1, keepdims=True) / m
        if l > 1:
            z, a = Zs[l - 2], As[l - 1]
            dA = W.T @ delta
            r_dA = V.T @ delta + W.T @ r_delta
            slope = g.slope(z, a)
            delta, r_delta = dA * slope, r_dA * slope + dA * g.bend(z, a) * RZ[l - 2]
    return out


@dataclass(frozen=True)
class Sharpness:
    """λmax of H, its eigenvector (unit length, θ's layout) and the products it took."""

    value: float
    vector: np.ndarray
    products: int
    converged: bool


def sharpness(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray, *, start: np.ndarray | None = None,
              tol: float = 1e-6, max_products: int = 200, seed: int = 0) -> Sharpness:
    """λmax by power iteration, stopped when two estimates agree to ``tol`` (relative).

    Power iteration finds the eigenvalue largest in size. Away from a minimum that may be a
    negative one; then it runs again on H − μI (μ that negative value), whose largest is
    λmax − μ. ``start`` (e.g. the last eigenvector found) makes a live estimate cheap.
    """
    def product(v):
        return hessian_vector(net, theta, X, Y, v)

    first = _power(product, _unit(start, net.size, seed), tol, max_products)
    if first.value >= 0:
        return first
    shift = first.value
    shifted = _power(lambda v: product(v) - shift * v, _unit(None, net.size, seed + 1), tol,
                     max_products - first.products)
    return Sharpness(shifted.value + shift, shifted.vector, first.products + shifted.products,
                     first.converged and shifted.converged)


def _unit(start: np.ndarray | None, size: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(size) if start is None else np.array(start, dtype=float)
    return v / np.linalg.norm(v)


def _power(product, v: np.ndarray, tol: float, budget: int) -> Sharpness:
    value, used = 0.0, 0
    while used < budget:
        w = product(v)
        used += 1
        previous, value = value, float(v @ w)
        norm = float(np.linalg.norm(w))
        if norm == 0.0:
            return Sharpness(0.0, v, used, True)
        v = w / norm
        if used > 1 and abs(value - previous) <= tol * abs(value):
            return Sharpness(value, v, used, True)
    return Sharpness(value, v, used, False)
