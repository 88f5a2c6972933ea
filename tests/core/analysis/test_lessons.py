import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.lessons import cut_1d, graph_values, one_feature, time_vectorization


def test_graph_values_follow_the_lecture():
    rng = np.random.default_rng(0)
    w, x, b = rng.normal(size=5), rng.random(5), 0.3
    for y in (0.0, 1.0):
        g = graph_values(w, b, x, y)
        a = 1 / (1 + np.exp(-(w @ x + b)))
        assert g.a == pytest.approx(a) and g.dz == pytest.approx(a - y)
        assert g.da == pytest.approx(-y / a + (1 - y) / (1 - a))
        assert g.dz == pytest.approx(g.da * a * (1 - a))  # the chain rule through sigma
        assert np.allclose(g.dw, x * (a - y)) and g.db == g.dz


def test_loops_and_vectors_agree_and_vectors_win():
    X, Y = make_problem(300, 40, seed=1)
    t = time_vectorization(X, Y, np.full(300, 0.01), 0.1, budget_s=0.3)
    assert 1 <= t.m_loop <= 40 and t.max_difference < 1e-12
    assert t.loop_seconds_full >= t.loop_seconds and t.speedup > 1


def test_one_feature_bowl_is_convex_and_any_start_reaches_the_same_minimum():
    X, Y = make_problem(50, 60, seed=2)
    f, direction = one_feature(X, Y)
    assert f.shape == (1, 60) and np.isclose(np.linalg.norm(direction), 1)
    ends = []
    for start in ((-3.0, 2.0), (4.0, -1.0), (0.5, 0.5)):
        gd = GradientDescent(f, Y, alpha=0.5, start=(np.array([start[0]]), start[1]))
        assert gd.w[0] == start[0] and gd.b == start[1]
        gd.step(4000)
        ends.append((gd.w[0], gd.b))
    assert np.allclose(ends, ends[0], atol=1e-3)
    J = cut_1d("cross-entropy", f, Y, 0.0, np.linspace(-5, 5, 101))
    assert np.all(np.diff(J, 2) > -1e-12)


def test_bowl_grid_and_click_runs():
    from visualizer.core.analysis.lessons import Bowl

    X, Y = make_problem(50, 60, seed=2)
    bowl = Bowl(X, Y)
    W, B = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    J = bowl.grid(W, B)
    z = np.multiply.outer(W, bowl.f[0])[:, None, :] + B[None, :, None]
    direct = np.mean(np.logaddexp(0, z) - bowl.y * z, axis=-1)
    assert np.allclose(J, direct, rtol=1e-5)
    run = bowl.start(-2.0, 1.0)
    assert (run.w[0], run.b) == (-2.0, 1.0)
    slope = bowl.slope(run)
    bowl.step(1)
    assert np.sign(run.w[0] - (-2.0)) == -np.sign(slope)  # negative slope moves w right, positive left
