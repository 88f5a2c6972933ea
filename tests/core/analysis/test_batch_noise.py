"""The mini-batch lesson's numbers against batch gradients formed the plain way, in (w, b) space."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.batch_noise import BatchNoise
from visualizer.core.optim.optimizers import Optimizer, epoch_order


def plain_batch_gradient(X, y, w, b, rows, lam, m):
    """The lecture's dw = X_B dz_B / B, db = mean(dz_B), plus (λ/m) w."""
    a = 1 / (1 + np.exp(-(w @ X[:, rows] + b)))
    dz = a - y[rows]
    return np.append(X[:, rows] @ dz / rows.size + lam / m * w, dz.mean())


@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("lam", [0.0, 2.0])
def test_spreads_and_arrows_match_plain_batch_gradients(method, lam):
    X, Y = make_problem(40, 24, seed=8)
    gd = GradientDescent(X, Y, alpha=0.1, method=method, init="random", seed=1, optimizer=Optimizer(lam=lam))
    gd.step(20)
    y = Y.reshape(-1)
    w, b = gd.w, gd.b
    full = plain_batch_gradient(X, y, w, b, np.arange(24), lam, 24)
    noise = BatchNoise(gd, gd.theta)
    per_example = np.array([plain_batch_gradient(X, y, w, b, np.array([i]), lam, 24) for i in range(24)])
    assert noise.sigma2 == pytest.approx(np.mean(np.sum((per_example - full) ** 2, axis=1)), rel=1e-9)
    rows_list = [epoch_order(24, 3, 1)[k:k + 5] for k in range(0, 24, 5)]
    for rows in rows_list:
        g_batch = plain_batch_gradient(X, y, w, b, rows, lam, 24)
        assert noise.deviation(rows) == pytest.approx(np.sum((g_batch - full) ** 2), rel=1e-9, abs=1e-15)
    arrows = noise.arrows(5, seed=3, epoch=1)
    assert arrows.full == pytest.approx((np.linalg.norm(full), 0.0), abs=1e-12)
    d1 = -full / np.linalg.norm(full)
    batch_grads = np.array([plain_batch_gradient(X, y, w, b, rows, lam, 24) for rows in rows_list])
    assert arrows.batches[:, 0] == pytest.approx(-batch_grads @ d1, rel=1e-9)
    deviations = batch_grads - full
    perp = deviations - np.outer(deviations @ d1, d1)
    u = np.linalg.svd(perp)[2][0]  # the direction in which the batches scatter most, orthogonal to g
    across = -perp @ u
    sign = np.sign(across @ arrows.batches[:, 1])
    assert arrows.batches[:, 1] == pytest.approx(sign * across, rel=1e-7, abs=1e-12)


def test_the_spread_falls_as_one_over_b_and_vanishes_at_m():
    X, Y = make_problem(30, 64, seed=2)
    gd = GradientDescent(X, Y, alpha=0.1)
    gd.step(10)
    curve = BatchNoise(gd, gd.theta).spread([1, 2, 4, 8, 16, 32, 64], min_batches=64, max_epochs=64)
    assert curve.measured[-1] < 1e-12 * curve.measured[0] and curve.expected[-1] == 0.0  # rounding only
    assert np.all(np.diff(curve.measured) < 0)
    # averaged over many shuffles the measured spread is the sampling-without-replacement formula
    assert curve.measured[:-1] == pytest.approx(curve.expected[:-1], rel=0.2)
    assert curve.expected[0] == pytest.approx(curve.sigma2)
