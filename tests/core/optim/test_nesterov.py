"""Nesterov momentum: momentum whose gradient is taken at the look-ahead point θ − α·β·v."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.stability import edge_of_stability, eigen_range
from visualizer.core.optim.optimizers import Optimizer


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_the_second_step_takes_momentums_gradient_at_the_look_ahead(method):
    X, Y = make_problem(30, 12, seed=2) if method == "gram" else make_problem(5, 12, seed=2)
    alpha, beta = 0.3, 0.8
    nesterov = GradientDescent(X, Y, alpha=alpha, method=method, optimizer=Optimizer("nesterov", beta=beta))
    momentum = GradientDescent(X, Y, alpha=alpha, method=method, optimizer=Optimizer("momentum", beta=beta))
    for gd in (nesterov, momentum):
        gd.step(1)
    assert np.array_equal(nesterov.theta, momentum.theta)  # v = 0: the look-ahead is θ itself
    v = nesterov.opt_state.arrays["v"]
    ahead = nesterov.theta - alpha * beta * v
    g = nesterov.gradient(nesterov.param.train.z(ahead), ahead)
    expected = nesterov.theta - alpha * (beta * v + (1 - beta) * g)
    nesterov.step(1)
    momentum.step(1)
    assert np.allclose(nesterov.theta, expected, rtol=1e-13, atol=1e-15)
    assert not np.allclose(nesterov.theta, momentum.theta, rtol=1e-6)


def test_with_beta_zero_it_is_gradient_descent():
    X, Y = make_problem(30, 12, seed=1)
    gd = GradientDescent(X, Y, alpha=0.2, optimizer=Optimizer("nesterov", beta=0.0, batch_size=5))
    plain = GradientDescent(X, Y, alpha=0.2, optimizer=Optimizer(batch_size=5))
    gd.step(60)
    plain.step(60)
    assert gd.method == "gram" and np.allclose(gd.theta, plain.theta, rtol=1e-12, atol=1e-15)


def test_its_edge_is_below_momentums_and_holds_for_the_engine_near_the_minimum():
    X, Y = make_problem(8, 40, seed=6)
    base = GradientDescent(X, Y, alpha=1.0, optimizer=Optimizer(lam=1.0))
    base.step(3000)  # close to the minimum of J_reg, where J is close to its quadratic model
    opt = Optimizer("nesterov", beta=0.8, lam=1.0)
    edge = edge_of_stability(base, optimizer=opt)
    top = eigen_range(base)[1]
    assert edge.alpha == pytest.approx(2 * 1.8 / (2.6 * 0.2 * top)) and edge.formula == "2(1+β)/((1+2β)(1−β)λmax)"
    assert edge.alpha < edge_of_stability(base, optimizer=opt.with_(kind="momentum")).alpha
    ends = {}
    for factor in (0.9, 1.1):
        run = GradientDescent(X, Y, alpha=factor * edge.alpha, start=(base.w + 1e-3, base.b), optimizer=opt)
        run.step(3000)
        ends[factor] = run.cost - base.cost
    assert abs(ends[0.9]) < 1e-8 and not ends[1.1] < 1e-3
