"""Batch gradient descent with L2 stays in the engine's fast loop (it used to leave it for the per-batch one)."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.reference.optimizers import optimize_reference


@pytest.mark.parametrize("n_x, m", [(30, 12), (5, 12)])
def test_batch_descent_with_l2_is_plain_descent_of_j_reg(n_x, m):
    X, Y = make_problem(n_x, m, seed=2)
    gd = GradientDescent(X, Y, alpha=0.2, optimizer=Optimizer(lam=1.5))
    assert Optimizer(lam=1.5).is_plain(m) and gd.path_reason.startswith("batch gradient descent: ")
    assert not Optimizer(lam=1.5, decay=0.1).is_plain(m) and not Optimizer(lam=1.5, batch_size=4).is_plain(m)
    gd.step(300)
    w, b, costs = optimize_reference(X, Y, 0.2, 300, lam=1.5)
    assert np.allclose(gd.history.costs.values, costs, rtol=1e-12)
    assert np.allclose(gd.w, w, rtol=1e-11, atol=1e-14) and gd.cost == pytest.approx(costs[-1], rel=1e-3)


@pytest.mark.parametrize("init", ["zeros", "random"])
def test_the_fast_loops_norm_of_w_from_z_is_the_norm_of_w(init):
    X, Y = make_problem(30, 12, seed=4)
    for method in ("gram", "primal"):
        gd = GradientDescent(X, Y, alpha=0.3, init=init, seed=1, method=method, optimizer=Optimizer(lam=0.5))
        gd.step(7)
        assert gd.param.squared_w_at(gd.theta, gd.z) == pytest.approx(float(gd.w @ gd.w), rel=1e-12)
        assert gd.squared_w() == pytest.approx(float(gd.w @ gd.w), rel=1e-12)


def test_a_blow_up_with_l2_is_rolled_back_to_the_last_finite_state():
    X, Y = make_problem(30, 12, seed=3, scale=5.0)
    gd = GradientDescent(X, Y, alpha=1e4, optimizer=Optimizer(lam=3.0))
    ran = gd.step(500)
    assert gd.halted and gd.diverged_at is not None and ran < 500
    assert np.isfinite(gd.history.costs.values).all() and np.isfinite(gd.theta).all()


def test_replays_of_batch_descent_with_l2_land_where_the_run_did():
    X, Y = make_problem(30, 12, seed=5)
    gd = GradientDescent(X, Y, alpha=0.2, optimizer=Optimizer(lam=0.8))
    gd.step(600)
    theta = gd.state_at(450)
    ghost, _ = gd.simulate(theta, 0.2, 150)
    assert np.allclose(ghost, gd.history.costs.values[450:600], rtol=1e-12)
    end = gd.theta.copy()
    gd.rewind(450)
    gd.step(150)
    assert np.allclose(gd.theta, end, rtol=1e-12, atol=1e-15)
