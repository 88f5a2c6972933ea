"""The course's L-layer model (week 4's ``L_model_forward``, ``compute_cost``, ``L_model_backward``
and ``update_parameters``), kept as an oracle and as the plain loop the benchmark times.

Written as the course writes it: a dict of W1, b1, ..., caches per layer, the cost from
log(A_L), dA_L = −(Y/A_L − (1−Y)/(1−A_L)) and the sigmoid's dZ = dA σ(Z)(1 − σ(Z)); hidden
units are ReLU as in week 4 or tanh as in week 3.
"""

from __future__ import annotations

import numpy as np


def course_parameters(layer_dims, seed: int = 1, scale: float | str = 0.01) -> dict:
    """``initialize_parameters_deep``: np.random.seed(seed), W_l = randn(n_l, n_{l-1}) · 0.01 (or
    ``/ np.sqrt(n_{l-1})`` for ``"lecun"``), b_l = 0; on a private RandomState with the same numbers."""
    rng = np.random.RandomState(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        W = rng.randn(layer_dims[l], layer_dims[l - 1])
        params[f"W{l}"] = W / np.sqrt(layer_dims[l - 1]) if scale == "lecun" else W * scale
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _hidden(Z, activation):
    return np.maximum(0, Z) if activation == "relu" else np.tanh(Z)


def course_model(X, Y, params: dict, alpha: float, iterations: int, activation: str = "relu"):
    """``L_layer_model``'s loop: (parameters after, the cost before each step)."""
    params = {k: v.copy() for k, v in params.items()}
    L, m = len(params) // 2, X.shape[1]
    costs = []
    for _ in range(iterations):
        caches, A = [], X
        for l in range(1, L + 1):
            A_prev = A
            Z = np.dot(params[f"W{l}"], A_prev) + params[f"b{l}"]
            A = _sigmoid(Z) if l == L else _hidden(Z, activation)
            caches.append((A_prev, Z, A))
        cost = (1.0 / m) * (-np.dot(Y, np.log(A).T) - np.dot(1 - Y, np.log(1 - A).T))
        costs.append(float(np.squeeze(cost)))
        dA = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))
        grads = {}
        for l in range(L, 0, -1):
            A_prev, Z, A_l = caches[l - 1]
            if l == L:
                dZ = dA * A_l * (1 - A_l)
            elif activation == "relu":
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            else:
                dZ = dA * (1 - np.power(A_l, 2))  # week 3's (1 - A1²)
            grads[f"dW{l}"] = 1.0 / m * np.dot(dZ, A_prev.T)
            grads[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
            dA = np.dot(params[f"W{l}"].T, dZ)
        for l in range(1, L + 1):
            params[f"W{l}"] = params[f"W{l}"] - alpha * grads[f"dW{l}"]
            params[f"b{l}"] = params[f"b{l}"] - alpha * grads[f"db{l}"]
    return params, np.array(costs)
