"""AdaGrad: s sums every squared gradient, so each coordinate's step is α·g / (√s + ε) and only shrinks."""

import numpy as np

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer


def test_s_is_the_sum_of_the_squared_gradients_and_the_first_step_is_alpha_per_coordinate():
    X, Y = make_problem(6, 20, seed=4)
    gd = GradientDescent(X, Y, alpha=0.05, optimizer=Optimizer("adagrad", lam=0.3))
    assert gd.method == "primal" and "separately" in gd.path_reason
    squares = np.zeros(gd.param.dim)
    for i in range(25):
        g, before = gd.gradient(), gd.theta.copy()
        squares += g * g
        gd.step(1)
        assert np.allclose(gd.opt_state.arrays["s"], squares, rtol=1e-13)
        assert np.allclose(before - gd.theta, 0.05 * g / (np.sqrt(squares) + 1e-8), rtol=1e-12, atol=1e-17)
        if i == 0:  # s = g²: every coordinate moves by about α, however small its gradient
            assert np.allclose(np.abs(before - gd.theta), 0.05, rtol=1e-4)  # up to ε/|g|


def test_a_switch_to_adagrad_starts_its_sum_from_zero():
    X, Y = make_problem(6, 20, seed=2)
    gd = GradientDescent(X, Y, alpha=0.05, optimizer=Optimizer("rmsprop"))
    gd.step(10)
    gd.optimizer = Optimizer("adagrad")
    g = gd.gradient()
    gd.step(1)
    assert np.allclose(gd.opt_state.arrays["s"], g * g, rtol=1e-13) and gd.opt_state.t == 1
