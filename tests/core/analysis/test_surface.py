import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent, SurfaceSlice, principal_plane, view_ranges, w_direction_plane


def _trained(loss="cross-entropy", method="auto", init="zeros", n_x=60, m=25, steps=60):
    X, Y = make_problem(n_x, m, seed=7)
    gd = GradientDescent(X, Y, alpha=0.05, loss=loss, method=method, init=init, seed=3)
    gd.step(steps)
    return gd


def _direct_cost(gd, plane, s, t):
    theta = plane.origin + s * plane.d1 + t * plane.d2
    w = gd.param.w(theta)
    z = w @ gd.param.X + theta[-1]
    return float(gd.loss.cost(z, gd.y))


@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("init", ["zeros", "random"])
def test_grid_is_exact_at_grid_points(loss, method, init):
    gd = _trained(loss, method, init)
    for plane in (w_direction_plane(gd.param, gd.theta, gd.gradient()),
                  principal_plane(gd.param, np.array(gd.trajectory.thetas), gd.theta, gd.gradient())):
        sl = SurfaceSlice(gd.param, gd.loss, gd.y, plane)
        S, T = np.linspace(-3, 4, 23), np.linspace(-2, 2, 17)
        J = sl.grid(S, T)
        assert J.shape == (23, 17)
        for i, j in [(0, 0), (5, 11), (22, 16), (13, 3)]:
            # S and T are float32 on the grid; compare at the float32 coordinates it used
            s, t = float(np.float32(S[i])), float(np.float32(T[j]))
            assert J[i, j] == pytest.approx(_direct_cost(gd, plane, s, t), rel=2e-6, abs=1e-9)


def test_current_point_lies_on_the_w_direction_plane():
    gd = _trained()
    plane = w_direction_plane(gd.param, gd.theta, gd.gradient())
    sl = SurfaceSlice(gd.param, gd.loss, gd.y, plane)
    p = sl.points(gd.theta[None])
    assert p.s[0] == pytest.approx(np.linalg.norm(gd.w), rel=1e-10)
    assert p.t[0] == pytest.approx(gd.b, abs=1e-12)
    assert p.distance[0] < 1e-6 * np.linalg.norm(gd.w)
    assert sl.cost_at(p.s[0], p.t[0]) == pytest.approx(gd.cost, rel=1e-12)


def test_at_zero_weights_the_plane_follows_the_gradient():
    X, Y = make_problem(30, 10)
    gd = GradientDescent(X, Y)
    plane = w_direction_plane(gd.param, gd.theta, gd.gradient())
    dw = gd.param.w(np.append(gd.gradient()[:-1], 0.0))
    assert np.allclose(gd.param.w(plane.d1), -dw / np.linalg.norm(dw))


def test_principal_plane_holds_the_path():
    gd = _trained(steps=200)
    thetas = np.array(gd.trajectory.thetas)
    plane = principal_plane(gd.param, thetas, gd.theta, gd.gradient())
    sl = SurfaceSlice(gd.param, gd.loss, gd.y, plane)
    pts = sl.points(thetas)
    spread = np.linalg.norm(gd.param.w(thetas[0]) - gd.w) + abs(thetas[0][-1] - gd.b)
    assert pts.distance.max() < 0.2 * spread  # two directions capture most of a descent path
    assert np.allclose(gd.param.inner(np.stack([plane.d1, plane.d2]), np.stack([plane.d1, plane.d2])), np.eye(2),
                       atol=1e-9)
    (s0, s1), (t0, t1) = view_ranges(pts)
    assert s0 < pts.s.min() and s1 > pts.s.max() and t0 < pts.t.min() and t1 > pts.t.max()


def test_cross_entropy_slice_is_convex_and_squared_error_need_not_be():
    gd = _trained(n_x=40, m=30)
    plane = w_direction_plane(gd.param, gd.theta, gd.gradient())
    S = np.linspace(-40, 40, 81)
    ce = SurfaceSlice(gd.param, gd.loss, gd.y, plane).grid(S, np.linspace(-20, 20, 41))
    assert (np.diff(ce, 2, axis=0) > -1e-6).all() and (np.diff(ce, 2, axis=1) > -1e-6).all()


def test_the_view_moves_in_steps_as_the_path_grows():
    from visualizer.core.analysis.surface import PlanePoints

    def ranges(s_max):
        s = np.linspace(0.0, s_max, 50)
        return view_ranges(PlanePoints(s, 0.01 * s, np.zeros_like(s)))

    assert ranges(1.91) == ranges(1.92)  # a step further: the same view, the same axes
    (s0, s1), (t0, t1) = ranges(1.92)
    assert s0 < 0 and s1 > 1.92 and t0 < 0 and t1 > 0.0192  # every point with a margin
    for edge in (s0, s1):
        assert abs(edge / 0.5 - round(edge / 0.5)) < 1e-9  # at multiples of half a power of ten
    assert ranges(3.5) != ranges(1.92)
