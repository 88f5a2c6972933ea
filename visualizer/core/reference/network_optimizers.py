"""The lecture's optimizers on an L-layer network, written its way: a dict of W1, b1, ..., W_L, b_L, one
``update_parameters_with_<kind>`` loop over the layers per optimizer, ``random_mini_batches`` per epoch
and L2 as week 5's ``backward_propagation_with_regularization`` adds it (λ/m · W_l, m the whole set).

An oracle for core/models/optimized.py, which runs core/optim's transforms on the flat θ instead. Only
the shuffle is shared (``mini_batches``, through ``epoch_order``): it decides which examples form each
batch. Nothing here reads the optimizer registry.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.models.activations import get_activation
from visualizer.core.reference.optimizers import mini_batches


def forward_backward(params: dict, X, Y, activation: str, loss: str, lam: float, m: int):
    """(J_reg, grads) of a batch: the course's L_model_forward, compute_cost and L_model_backward, with
    (λ/2m)·Σ‖W_l‖² and (λ/m)·W_l for the whole set's m."""
    g, loss = get_activation(activation), get_loss(loss)
    L, B = len(params) // 2, X.shape[1]
    Y = np.asarray(Y, dtype=float).reshape(1, -1)
    caches, A = [], X
    for l in range(1, L + 1):
        A_prev = A
        Z = np.dot(params[f"W{l}"], A_prev) + params[f"b{l}"]
        A = Z if l == L else g.value(Z)  # the output's σ is in the loss: dL/dz from Z_L itself
        caches.append((A_prev, Z, A))
    cost = float(loss.cost(A.reshape(-1), Y.reshape(-1)))
    cost += lam / (2 * m) * sum(float(np.sum(np.square(params[f"W{l}"]))) for l in range(1, L + 1))
    grads = {}
    dZ = loss.dz(A, Y)
    for l in range(L, 0, -1):
        A_prev, _, _ = caches[l - 1]
        grads[f"dW{l}"] = 1.0 / B * np.dot(dZ, A_prev.T) + lam / m * params[f"W{l}"]
        grads[f"db{l}"] = 1.0 / B * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            _, Z_prev, A_prev_act = caches[l - 2]
            dZ = np.dot(params[f"W{l}"].T, dZ) * g.slope(Z_prev, A_prev_act)
    return cost, grads


def _names(params: dict) -> list[str]:
    return [f"{p}{l}" for l in range(1, len(params) // 2 + 1) for p in ("W", "b")]


def update_gd(params, grads, state, alpha, hp, gradients):
    for k in _names(params):
        params[k] = params[k] - alpha * grads[f"d{k}"]


def update_momentum(params, grads, state, alpha, hp, gradients):
    for k in _names(params):
        state["v"][k] = hp["beta"] * state["v"][k] + (1 - hp["beta"]) * grads[f"d{k}"]
        params[k] = params[k] - alpha * state["v"][k]


def update_rmsprop(params, grads, state, alpha, hp, gradients):
    for k in _names(params):
        state["s"][k] = hp["beta2"] * state["s"][k] + (1 - hp["beta2"]) * grads[f"d{k}"] ** 2
        params[k] = params[k] - alpha * grads[f"d{k}"] / (np.sqrt(state["s"][k]) + hp["epsilon"])


def update_adam(params, grads, state, alpha, hp, gradients):
    state["t"] = t = state["t"] + 1
    for k in _names(params):
        state["v"][k] = hp["beta1"] * state["v"][k] + (1 - hp["beta1"]) * grads[f"d{k}"]
        state["s"][k] = hp["beta2"] * state["s"][k] + (1 - hp["beta2"]) * grads[f"d{k}"] ** 2
        v_corrected = state["v"][k] / (1 - hp["beta1"] ** t)
        s_corrected = state["s"][k] / (1 - hp["beta2"] ** t)
        params[k] = params[k] - alpha * v_corrected / (np.sqrt(s_corrected) + hp["epsilon"])


def update_nesterov(params, grads, state, alpha, hp, gradients):
    ahead = {k: params[k] - alpha * hp["beta"] * state["v"][k] for k in _names(params)}
    grads = gradients(ahead)  # the gradient at the look-ahead point
    for k in _names(params):
        state["v"][k] = hp["beta"] * state["v"][k] + (1 - hp["beta"]) * grads[f"d{k}"]
        params[k] = params[k] - alpha * state["v"][k]


def update_adagrad(params, grads, state, alpha, hp, gradients):
    for k in _names(params):
        state["s"][k] = state["s"][k] + grads[f"d{k}"] ** 2
        params[k] = params[k] - alpha * grads[f"d{k}"] / (np.sqrt(state["s"][k]) + hp["epsilon"])


UPDATES = {"gd": update_gd, "momentum": update_momentum, "rmsprop": update_rmsprop, "adam": update_adam,
           "nesterov": update_nesterov, "adagrad": update_adagrad}


def network_optimize_reference(X, Y, params0: dict, alpha0: float, iterations: int, kind: str = "gd",
                               batch_size=None, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8, lam=0.0, decay=0.0,
                               decay_kind="inverse", seed: int = 0, activation: str = "relu",
                               loss: str = "cross-entropy"):
    """``iterations`` updates (one per batch) from ``params0``: (params after, each batch's J_reg before its
    update). α of epoch e: α₀/(1 + decay·e) (inverse) or α₀·(1 − decay)ᵉ (exponential)."""
    if kind not in UPDATES:
        raise ValueError(f"unknown optimizer {kind!r}")
    params = {k: np.array(v, dtype=float) for k, v in params0.items()}
    m = X.shape[1]
    state = {"v": {k: np.zeros_like(v) for k, v in params.items()},
             "s": {k: np.zeros_like(v) for k, v in params.items()}, "t": 0}
    hp = {"beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    costs, epoch = [], 0
    while len(costs) < iterations:
        if decay == 0:
            alpha = alpha0
        elif decay_kind == "inverse":
            alpha = alpha0 / (1 + decay * epoch)
        else:
            alpha = alpha0 * (1 - decay) ** epoch
        for Xb, Yb in mini_batches(X, Y, m if batch_size is None else batch_size, seed, epoch):
            if len(costs) == iterations:
                break
            cost, grads = forward_backward(params, Xb, Yb, activation, loss, lam, m)
            costs.append(cost)

            def gradients(at, Xb=Xb, Yb=Yb):
                return forward_backward(at, Xb, Yb, activation, loss, lam, m)[1]

            UPDATES[kind](params, grads, state, alpha, hp, gradients)
        epoch += 1
    return params, np.array(costs)


__all__ = ["UPDATES", "forward_backward", "network_optimize_reference"]
