"""The slice under L2 is J_reg, and under a mini-batch it can be that batch's own J_reg."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent, SurfaceSlice, w_direction_plane
from visualizer.core.analysis.surface import surface_view
from visualizer.core.optim.optimizers import Optimizer


def _j_reg(gd, theta, lam, rows=None):
    """J + (λ/2m)|w|², computed from w itself (n_x numbers), not from the plane's inner products."""
    w = gd.param.w(theta)
    z = w @ gd.param.X + theta[-1]
    y = gd.y
    if rows is not None:
        z, y = z[rows], y[rows]
    return float(gd.loss.cost(z, y)) + lam / (2 * gd.m) * float(w @ w)


@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("init", ["zeros", "random"])
def test_the_l2_slice_is_j_reg_at_every_grid_point(method, init):
    X, Y = make_problem(40, 20, seed=3)
    lam = 3.0
    gd = GradientDescent(X, Y, alpha=0.05, method=method, init=init, seed=2, optimizer=Optimizer(lam=lam))
    gd.step(40)
    plane = w_direction_plane(gd.param, gd.theta, gd.gradient())
    sl = SurfaceSlice(gd.param, gd.loss, gd.y, plane, l2=lam / (2 * gd.m))
    S, T = np.linspace(-2, 3, 11), np.linspace(-1, 1, 7)
    J = sl.grid(S, T)
    for i, j in [(0, 0), (4, 5), (10, 6)]:
        s, t = float(np.float32(S[i])), float(np.float32(T[j]))
        theta = plane.origin + s * plane.d1 + t * plane.d2
        assert J[i, j] == pytest.approx(_j_reg(gd, theta, lam), rel=2e-6)
        assert sl.cost_at(s, t) == pytest.approx(_j_reg(gd, theta, lam), rel=1e-12)


def test_the_current_point_of_the_l2_view_is_the_run_s_cost():
    X, Y = make_problem(40, 20, seed=4)
    gd = GradientDescent(X, Y, alpha=0.05, optimizer=Optimizer(lam=2.0))
    gd.step(25)
    view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), np.array(gd.trajectory.thetas),
                        l2=2.0 / (2 * gd.m))
    assert view.current[2] == pytest.approx(gd.cost, rel=1e-10)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_this_batch_s_slice_at_the_current_point_is_the_cost_the_next_step_records(method):
    X, Y = make_problem(30, 24, seed=5)
    opt = Optimizer("momentum", batch_size=5, lam=0.5)
    gd = GradientDescent(X, Y, alpha=0.05, method=method, optimizer=opt)
    for _ in range(7):  # across an epoch boundary (24 = 4 batches of 5 and one of 4)
        rows = gd.batch_rows()
        assert rows is not None and rows.size in (4, 5)
        view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), np.array(gd.trajectory.thetas),
                            l2=0.5 / (2 * gd.m), rows=rows)
        assert view.current[2] == pytest.approx(_j_reg(gd, gd.theta, 0.5, rows), rel=1e-10)
        gd.step(1)
        assert gd.history.costs.values[-1] == pytest.approx(view.current[2], rel=1e-10)


def test_batch_rows_are_none_for_batch_descent_and_follow_a_replay():
    X, Y = make_problem(30, 24, seed=5)
    assert GradientDescent(X, Y).batch_rows() is None
    gd = GradientDescent(X, Y, optimizer=Optimizer(batch_size=5))
    seen = []
    for _ in range(6):
        seen.append(gd.batch_rows())
        gd.step(1)
    for it in (0, 3, 5):
        theta, state = gd.full_state_at(it)
        assert np.array_equal(gd.batch_rows(state), seen[it])
    assert np.array_equal(np.sort(np.concatenate(seen[:5])), np.arange(24))  # one epoch sees each example once
