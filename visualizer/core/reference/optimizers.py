"""The lecture's optimizers, written its way (plain loops over epochs and mini-batches, one formula a
line, float64 in (w, b) space), kept as oracles for the engine (core/optim, core/engine/minibatch.py).
Each kind's spec points at its step here (``OptimizerSpec.reference``); nothing here reads the registry.

Only the shuffle is shared with the engine (``epoch_order``): it defines which examples form
each batch, so both must draw the same one.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.optim.state import epoch_order
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


#: kind -> its step, written the lecture's way: ``step(w, b, dw, db, gradients, alpha, state, hp) -> (w, b)``,
#: where (dw, db) is the batch's gradient of J_reg at (w, b), ``gradients(w, b)`` gives it anywhere,
#: ``state`` a dict of the arrays kept (changed in place) and ``hp`` the hyperparameters.
STEPS = {}


def _step(function):
    STEPS[function.__name__] = function
    return function


@_step
def gd(w, b, dw, db, gradients, alpha, state, hp):
    return w - alpha * dw, b - alpha * db


@_step
def momentum(w, b, dw, db, gradients, alpha, state, hp):
    state["v_w"] = hp["beta"] * state["v_w"] + (1 - hp["beta"]) * dw
    state["v_b"] = hp["beta"] * state["v_b"] + (1 - hp["beta"]) * db
    return w - alpha * state["v_w"], b - alpha * state["v_b"]


@_step
def rmsprop(w, b, dw, db, gradients, alpha, state, hp):
    state["s_w"] = hp["beta2"] * state["s_w"] + (1 - hp["beta2"]) * dw ** 2
    state["s_b"] = hp["beta2"] * state["s_b"] + (1 - hp["beta2"]) * db ** 2
    return (w - alpha * dw / (np.sqrt(state["s_w"]) + hp["epsilon"]),
            b - alpha * db / (np.sqrt(state["s_b"]) + hp["epsilon"]))


@_step
def adam(w, b, dw, db, gradients, alpha, state, hp):
    beta1, beta2, epsilon = hp["beta1"], hp["beta2"], hp["epsilon"]
    state["t"] = t = state["t"] + 1
    state["v_w"] = beta1 * state["v_w"] + (1 - beta1) * dw
    state["v_b"] = beta1 * state["v_b"] + (1 - beta1) * db
    state["s_w"] = beta2 * state["s_w"] + (1 - beta2) * dw ** 2
    state["s_b"] = beta2 * state["s_b"] + (1 - beta2) * db ** 2
    v_w_corrected, v_b_corrected = state["v_w"] / (1 - beta1 ** t), state["v_b"] / (1 - beta1 ** t)
    s_w_corrected, s_b_corrected = state["s_w"] / (1 - beta2 ** t), state["s_b"] / (1 - beta2 ** t)
    return (w - alpha * v_w_corrected / (np.sqrt(s_w_corrected) + epsilon),
            b - alpha * v_b_corrected / (np.sqrt(s_b_corrected) + epsilon))


@_step
def nesterov(w, b, dw, db, gradients, alpha, state, hp):
    beta = hp["beta"]
    dw, db = gradients(w - alpha * beta * state["v_w"], b - alpha * beta * state["v_b"])  # at the look-ahead
    state["v_w"] = beta * state["v_w"] + (1 - beta) * dw
    state["v_b"] = beta * state["v_b"] + (1 - beta) * db
    return w - alpha * state["v_w"], b - alpha * state["v_b"]


@_step
def adagrad(w, b, dw, db, gradients, alpha, state, hp):
    state["s_w"] = state["s_w"] + dw ** 2
    state["s_b"] = state["s_b"] + db ** 2
    return (w - alpha * dw / (np.sqrt(state["s_w"]) + hp["epsilon"]),
            b - alpha * db / (np.sqrt(state["s_b"]) + hp["epsilon"]))


def optimize_reference(X, Y, alpha0: float, iterations: int, kind: str = "gd", batch_size=None, beta=0.9,
                       beta1=0.9, beta2=0.999, epsilon=1e-8, lam=0.0, decay=0.0, decay_kind="inverse",
                       seed: int = 0, loss="cross-entropy", w0=None, b0: float = 0.0):
    """``iterations`` updates (one per batch) of the course's optimizers; returns (w, b, batch costs).

    The batch costs are J_reg of each iteration's batch at its parameters before its update.
    """
    if kind not in STEPS:
        raise ValueError(f"unknown optimizer {kind!r}")
    loss = get_loss(loss)
    m = X.shape[1]
    w = np.zeros(X.shape[0]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    state = {"v_w": np.zeros_like(w), "v_b": 0.0, "s_w": np.zeros_like(w), "s_b": 0.0, "t": 0}
    hp = {"beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
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

            def gradients(w_at, b_at, Xb=Xb, Yb=Yb):
                return regularized_gradients(w_at, b_at, Xb, Yb, lam, loss, m)[1:]

            w, b = STEPS[kind](w, b, dw, db, gradients, alpha, state, hp)
        epoch += 1
    return w, b, np.array(costs)


__all__ = ["STEPS", "mini_batches", "numerical_regularized_gradient", "optimize_reference", "regularized_cost",
           "regularized_gradients"]
