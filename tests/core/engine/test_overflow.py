"""A step that would overflow is refused in the engine, the one place that makes the numbers, and one
sentence says which setting made it overflow, from what the step measured (issue 21, groups 3 and 10)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.analysis.stability import edge_of_stability
from visualizer.core.analysis.surface import surface_view
from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.engine.metrics import cost_text
from visualizer.core.optim.optimizers import Optimizer

ADAM_OVERFLOW = Optimizer(kind="adam", batch_size=1, beta1=0.999, beta2=0.0, epsilon=1e-300)


def _everything_finite(gd: GradientDescent) -> None:
    m = gd.metrics()
    assert np.isfinite(gd.theta).all() and np.isfinite(gd.z).all() and np.isfinite(gd.cost)
    assert np.isfinite(gd.a()).all() and all(np.isfinite(v) for v in m.values() if v is not None)
    assert np.isfinite(gd.history.costs.values).all()
    assert all(np.isfinite(a).all() for a in gd.opt_state.arrays.values())


def test_adam_dividing_by_a_tiny_epsilon_stops_with_the_full_cost_still_finite(course):
    """The lesson's Adam: each batch's own cost stayed finite while the full J (every example's z) was inf."""
    train, test = course
    gd = GradientDescent(train.X, train.Y, alpha=1e6, optimizer=ADAM_OVERFLOW, X_test=test.X, Y_test=test.Y,
                         metric_stride=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way
        ran = gd.step(20)
    assert ran < 20 and gd.halted
    _everything_finite(gd)
    assert gd.overflow == (f"the step overflowed at iteration {gd.iteration}: "
                           "Adam with ε = 1e-300 and β₂ = 0 divides by √s + ε ≈ 1e-300")


def test_l2_past_its_edge_is_blamed_on_lambda_not_alpha(course):
    train, _ = course
    gd = GradientDescent(train.X, train.Y, alpha=0.005, optimizer=Optimizer(lam=1e6))
    gd.step(1000)
    assert gd.halted
    _everything_finite(gd)
    factor = 1 - 0.005 * 1e6 / train.m
    assert gd.overflow == (f"the step overflowed at iteration {gd.iteration}: with λ = 1e6 and α = 0.005, "
                           f"L2 multiplies w by 1 − α·λ/m = {factor:.3g} each step")


@pytest.mark.parametrize("kind", ["gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"])
def test_every_optimizer_at_an_absurd_alpha_stops_finite_and_names_alpha(kind):
    X, Y = make_problem(30, 40, seed=3, scale=10.0)
    gd = GradientDescent(X, Y, alpha=1e6, optimizer=Optimizer(kind=kind, batch_size=5, epsilon=1e-300))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(40):
            if gd.step(500) < 500:
                break
    if gd.halted:
        assert gd.overflow.startswith(f"the step overflowed at iteration {gd.iteration}: ")
        assert "1e6" in gd.overflow or "ε" in gd.overflow
    _everything_finite(gd)


def test_a_new_alpha_clears_the_overflow():
    X, Y = make_problem(40, 20, seed=2, scale=10.0)
    gd = GradientDescent(X, Y, alpha=1e307)
    gd.step(50)
    assert gd.halted and "gradient descent with α = 1e307 steps too far" in gd.overflow
    gd.alpha = 0.01
    assert gd.overflow is None and not gd.halted and gd.step(10) == 10


def test_an_edge_of_stability_that_overflows_is_no_number_not_nan():
    """Before: "edge of stability 2/λmax ≈ nan (α is below it)" (NaN compares below everything)."""
    X, Y = make_problem(20, 30, seed=1)
    gd = GradientDescent(X * 1e200, Y, alpha=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        edge = edge_of_stability(gd)
    assert edge.alpha is None and edge.reason == "not finite" and "not a finite" in edge.why


def test_costs_are_written_in_powers_of_ten_from_a_million():
    assert cost_text(0.6931471805599453) == "0.693147" and cost_text(123456.5) == "123456.500000"
    assert cost_text(6.561680330542621e269) == "6.56168e+269"


def test_the_surface_of_a_run_thrown_far_out_is_drawn_in_float64_without_warnings(course):
    """|w| ~ 1e150 with L2: the float32 grid overflowed to inf (and warned) and the surface went blank."""
    train, _ = course
    gd = GradientDescent(train.X, train.Y, alpha=0.005, optimizer=Optimizer(lam=1e6))
    gd.step(1000)
    assert gd.halted
    path = np.stack([gd.theta_start, gd.theta])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), path, l2=1e6 / (2 * gd.m))
    assert np.isfinite(view.J).any() and np.isfinite([view.s[0], view.s[-1], view.t[0], view.t[-1]]).all()
