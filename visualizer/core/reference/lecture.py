"""The lecture's own implementations, kept as oracles and for the vectorization lesson.

``loop_gradients`` is the for-loop version from the lecture (over examples, then over
features); ``vectorized_gradients`` is the course's ``propagate``. The engine is
checked against both, and ``numerical_gradient`` checks all of them.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.losses import Loss, get_loss


def vectorized_gradients(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, loss: str | Loss = "cross-entropy"):
    """(J, dw, db) with dz = dL/dz, dw = X dz^T / m and db = mean(dz), as in the course."""
    loss = get_loss(loss)
    y = np.asarray(Y, dtype=float).reshape(-1)
    z = np.asarray(w, dtype=float).reshape(-1) @ X + b
    dz = loss.dz(z, y)
    m = y.size
    return float(loss.cost(z, y)), X @ dz / m, float(dz.sum() / m)


def loop_gradients(w, b: float, X, Y, loss: str | Loss = "cross-entropy"):
    """(J, dw, db) with explicit loops over the m examples and the n_x features."""
    loss = get_loss(loss)
    n_x, m = len(X), len(X[0])
    J, db = 0.0, 0.0
    dw = [0.0] * n_x
    for i in range(m):
        z = b
        for j in range(n_x):
            z += w[j] * X[j][i]
        y = float(Y[0][i]) if np.ndim(Y) == 2 else float(Y[i])
        J += float(loss.values(np.array(z), y))
        dz = float(loss.dz(np.array([z]), np.array([y]))[0])
        for j in range(n_x):
            dw[j] += X[j][i] * dz
        db += dz
    return J / m, np.array(dw) / m, db / m


def gradient_descent_reference(X, Y, alpha: float, iterations: int, loss: str | Loss = "cross-entropy",
                               w0=None, b0: float = 0.0):
    """The course's ``optimize``: plain float64 vectorized descent; returns (w, b, costs)."""
    w = np.zeros(X.shape[0]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    costs = []
    for _ in range(iterations):
        J, dw, db = vectorized_gradients(w, b, X, Y, loss)
        costs.append(J)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, np.array(costs)


def numerical_gradient(w, b: float, X, Y, loss: str | Loss = "cross-entropy", eps: float = 1e-6, indices=None):
    """Centred differences (J(theta + eps e_k) - J(theta - eps e_k)) / 2 eps.

    Returns (dw at ``indices`` (all by default), db).
    """
    loss = get_loss(loss)
    y = np.asarray(Y, dtype=float).reshape(-1)
    w = np.asarray(w, dtype=float).reshape(-1)
    z = w @ X + b

    def J(zz):
        return float(loss.cost(zz, y))

    indices = range(w.size) if indices is None else indices
    dw = np.array([(J(z + eps * X[k]) - J(z - eps * X[k])) / (2 * eps) for k in indices])
    db = (J(z + eps) - J(z - eps)) / (2 * eps)
    return dw, db


def relative_difference(a, b) -> float:
    """|a - b| / (|a| + |b|), the course's measure for a gradient check."""
    a, b = np.ravel(a), np.ravel(b)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def course_reference_model(train_x, train_y, test_x, test_y, iterations=2000, learning_rate=0.005):
    """The course's notebook code, verbatim in spirit, as the benchmarks' yardstick.

    It computes log(sigmoid) directly, so large learning rates give NaN costs here.
    """

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    w = np.zeros((train_x.shape[0], 1))
    b = 0.0
    m = train_x.shape[1]
    costs = []
    with np.errstate(all="ignore"):
        for i in range(iterations):
            A = sigmoid(np.dot(w.T, train_x) + b)
            cost = -1 / m * np.sum(train_y * np.log(A) + (1 - train_y) * np.log(1 - A))
            dw = 1 / m * np.dot(train_x, (A - train_y).T)
            db = 1 / m * np.sum(A - train_y)
            w = w - learning_rate * dw
            b = b - learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
    predict_train = (sigmoid(np.dot(w.T, train_x) + b) > 0.5).astype(float)
    predict_test = (sigmoid(np.dot(w.T, test_x) + b) > 0.5).astype(float)
    return {
        "costs": costs,
        "w": w,
        "b": b,
        "train_accuracy": 100 - np.mean(np.abs(predict_train - train_y)) * 100,
        "test_accuracy": 100 - np.mean(np.abs(predict_test - test_y)) * 100,
    }


__all__ = [
    "course_reference_model",
    "gradient_descent_reference",
    "loop_gradients",
    "numerical_gradient",
    "relative_difference",
    "vectorized_gradients",
]
