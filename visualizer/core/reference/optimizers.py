"""The lecture's optimizers, written its way (plain loops over epochs and mini-batches, one formula a
line, float64 in (w, b) space), kept as oracles for the engine (core/optimizers.py, core/minibatch.py).

Only the shuffle is shared with the engine (``epoch_order``): it defines which examples form
each batch, so both must draw the same one.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.optim.optimizers import epoch_order
from visualizer.core.reference.lecture import vectorized_gradients


def regularized_cost(w, b, X, Y, lam: float, loss="cross-entropy", m: int | None = None) -> float:
    """J_reg = J + (lam / 2m) |w|^2, m the training set's size (not the batch's) unless given."""
    J, _, _ = vectorized_gradients(w, b, X, Y, loss)
    m = np.size(Y) if m is None else m
    return J + lam / (2 * m) * float(np.sum(np.square(w)))


def regularized_gradients(w, b, X, Y, lam: float, loss="cross-entropy", m: int | None = None):
    """(J_reg, dw, db) of a batch: its mean gradient, plus (lam / m) w for the whole set's m."""
    J, dw, db = vectorized_gradients(w, b, X, Y, loss)
    m = np.size(Y) if m is None else m
    return J + lam / (2 * m) * float(np.sum(np.square(w))), dw + lam / m * np.asarray(w, dtype=float), db


def numerical_regularized_gradient(w, b, X, Y, lam: float, loss="cross-entropy", eps: float = 1e-6):
    """Centred differences of J_reg in every coordinate of w, and in b."""
    w = np.asarray(w, dtype=float)
    dw = np.empty_like(w)
    for k in range(w.size):
        plus, minus = w.copy(), w.copy()
        plus[k] += eps
        minus[k] -= eps
        dw[k] = (regularized_cost(plus, b, X, Y, lam, loss) - regularized_cost(minus, b, X, Y, lam, loss)) / (2 * eps)
    db = (regularized_cost(w, b + eps, X, Y, lam, loss) - regularized_cost(w, b - eps, X, Y, lam, loss)) / (2 * eps)
    return dw, db


def mini_batches(X, Y, batch_size: int, seed: int, epoch: int):
    """The course's random_mini_batches: shuffle, then cut into batches of batch_size; the last may be smaller."""
    m = X.shape[1]
    if batch_size >= m:
        return [(X, Y)]
    order = epoch_order(m, seed, epoch)
    X_shuffled, Y_shuffled = X[:, order], np.asarray(Y).reshape(1, -1)[:, order]
    batches = []
    for k in range(0, m, batch_size):
        batches.append((X_shuffled[:, k : k + batch_size], Y_shuffled[:, k : k + batch_size]))
    return batches


def optimize_reference(X, Y, alpha0: float, iterations: int, kind: str = "gd", batch_size=None, beta=0.9,
                       beta1=0.9, beta2=0.999, epsilon=1e-8, lam=0.0, decay=0.0, decay_kind="inverse",
                       seed: int = 0, loss="cross-entropy", w0=None, b0: float = 0.0):
    """``iterations`` updates (one per batch) of the course's optimizers; returns (w, b, batch costs).

    The batch costs are J_reg of each iteration's batch at its parameters before its update.
    """
    loss = get_loss(loss)
    m = X.shape[1]
    w = np.zeros(X.shape[0]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    v_w, v_b = np.zeros_like(w), 0.0
    s_w, s_b = np.zeros_like(w), 0.0
    t = 0
    costs = []
    epoch = 0
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
            cost, dw, db = regularized_gradients(w, b, Xb, Yb, lam, loss, m)
            costs.append(cost)
            if kind == "gd":
                w = w - alpha * dw
                b = b - alpha * db
            elif kind == "momentum":
                v_w = beta * v_w + (1 - beta) * dw
                v_b = beta * v_b + (1 - beta) * db
                w = w - alpha * v_w
                b = b - alpha * v_b
            elif kind == "rmsprop":
                s_w = beta2 * s_w + (1 - beta2) * dw ** 2
                s_b = beta2 * s_b + (1 - beta2) * db ** 2
                w = w - alpha * dw / (np.sqrt(s_w) + epsilon)
                b = b - alpha * db / (np.sqrt(s_b) + epsilon)
            elif kind == "adam":
                t = t + 1
                v_w = beta1 * v_w + (1 - beta1) * dw
                v_b = beta1 * v_b + (1 - beta1) * db
                s_w = beta2 * s_w + (1 - beta2) * dw ** 2
                s_b = beta2 * s_b + (1 - beta2) * db ** 2
                v_w_corrected, v_b_corrected = v_w / (1 - beta1 ** t), v_b / (1 - beta1 ** t)
                s_w_corrected, s_b_corrected = s_w / (1 - beta2 ** t), s_b / (1 - beta2 ** t)
                w = w - alpha * v_w_corrected / (np.sqrt(s_w_corrected) + epsilon)
                b = b - alpha * v_b_corrected / (np.sqrt(s_b_corrected) + epsilon)
            else:
                raise ValueError(f"unknown optimizer {kind!r}")
        epoch += 1
    return w, b, np.array(costs)


__all__ = ["mini_batches", "numerical_regularized_gradient", "optimize_reference", "regularized_cost",
           "regularized_gradients"]
