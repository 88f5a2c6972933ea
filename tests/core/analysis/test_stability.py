import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent, sigmoid
from visualizer.core.analysis.stability import lambda_max, stable_alpha, suggest, sweep, sweep_curves
from visualizer.core.models.network_run import NetworkRun


def full_hessian(X, y_len, z):
    a = sigmoid(z)
    A = np.vstack([X, np.ones((1, y_len))])
    return A @ np.diag(a * (1 - a)) @ A.T / y_len


@pytest.mark.parametrize("n_x, m", [(30, 12), (6, 40)])  # Gram and primal paths
def test_lambda_max_matches_eigvalsh(n_x, m):
    X, Y = make_problem(n_x, m, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5, init="random", seed=1)
    gd.step(7)
    expected = np.linalg.eigvalsh(full_hessian(X, m, gd.z)).max()
    assert lambda_max(gd) == pytest.approx(expected, rel=1e-8)


def test_the_edge_is_local_a_step_just_above_it_rises_at_first_one_below_falls():
    """2/λmax here: the first steps of α = 0.9 edge fall, the first of 3 edge rises (the quadratic picture, locally)."""
    X, Y = make_problem(20, 40, seed=2)
    edge = stable_alpha(GradientDescent(X, Y))
    first_steps = {}
    for factor in (0.45, 0.9, 3.0):
        run = GradientDescent(X, Y, alpha=factor * edge)
        run.step(3)
        first_steps[factor] = run.history.costs.values
    assert np.all(np.diff(first_steps[0.45]) < 0) and np.all(np.diff(first_steps[0.9]) < 0)
    assert first_steps[3.0][1] > first_steps[3.0][0]


@pytest.mark.course
def test_course_edge_at_the_start(course):
    train, _ = course
    gd = GradientDescent(train.X, train.Y)
    assert stable_alpha(gd) == pytest.approx(0.0036, abs=0.00005)


def test_sweep_is_deterministic_and_suggests_a_steady_alpha():
    X, Y = make_problem(25, 30, seed=5)
    alphas = np.logspace(-4, 2, 13)
    a, b = sweep(X, Y, alphas, 60), sweep(X, Y, alphas, 60)
    assert [(p.final_cost, p.diverged, p.steady) for p in a] == [(p.final_cost, p.diverged, p.steady) for p in b]
    best = suggest(a)
    assert best is not None and any(p.diverged or not p.steady for p in a if p.alpha > best)
    assert all(np.isfinite(p.final_cost) for p in a)


def test_the_sweep_trains_the_model_it_is_given():
    """The explorer's sweep of α on a network's window sweeps the network (the registry's trainer), not
    logistic regression: each point is the network's own run."""
    X, Y = make_problem(3, 12, seed=2)
    points, curves = sweep_curves(X, Y, [0.5, 2.0], 20, hidden=(3,), activation="tanh", init="random", seed=4)
    for point, curve in zip(points, curves, strict=True):
        run = NetworkRun(X, Y, hidden=(3,), activation="tanh", init="random", seed=4, alpha=point.alpha)
        run.step(20)
        assert point.final_cost == run.cost and curve[:-1].tolist() == run.history.costs.values.tolist()


def test_comparison_shares_a_start_and_a_slice():
    from visualizer.core.analysis.compare import Comparison

    X, Y = make_problem(30, 20, seed=6)
    comp = Comparison(X[:, :15], Y[:, :15], X[:, 15:], Y[:, 15:], iterations=120)
    for alpha in (0.3, 0.03, 50.0):
        comp.add(alpha)
    while comp.step(25):
        pass
    rows = comp.summaries()
    assert [r.alpha for r in rows] == [50.0, 0.3, 0.03] and all(r.iteration == 120 for r in rows)
    assert not any(r.diverged for r in rows)  # separable: α = 50 rose at first, then ended lowest
    assert rows[0].final_cost < rows[1].final_cost < rows[2].final_cost
    view = comp.shared_slice()
    for s, t, distance in view.paths.values():
        assert (s[0], t[0]) == pytest.approx((0.0, 0.0), abs=1e-9)  # every path starts at the common start
        assert np.all(np.isfinite(s)) and np.all(distance >= 0)
    best = min(comp.runs.values(), key=lambda gd: gd.cost)
    s, t, distance = view.paths[best.alpha]
    assert distance[-1] < 1e-6 * max(1.0, abs(s[-1]))  # the plane holds the best run's end point


@pytest.mark.course
def test_course_comparison_table(course):
    from visualizer.core.analysis.compare import COURSE_ALPHAS, Comparison

    train, test = course
    comp = Comparison(train.X, train.Y, test.X, test.Y, iterations=1500)
    for alpha in COURSE_ALPHAS:
        comp.add(alpha)
    while comp.step(500):
        pass
    table = {r.alpha: (r.train_accuracy, r.test_accuracy) for r in comp.summaries()}
    assert table == {0.01: (pytest.approx(99.52153110047847), 68.0), 0.001: (pytest.approx(88.99521531100478), 64.0),
                     0.0001: (pytest.approx(68.42105263157895), 36.0)}


def exact_hessian(X, y, z, loss):
    A = np.vstack([X, np.ones((1, y.size))])
    return A @ np.diag(loss.curvature(z, y)) @ A.T / y.size


@pytest.mark.parametrize("n_x, m", [(30, 12), (6, 40)])  # Gram and primal paths
@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
def test_the_spectrum_is_that_of_the_loss_in_use(n_x, m, loss):
    from visualizer.core.analysis.stability import eigen_range

    X, Y = make_problem(n_x, m, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5, init="random", seed=1, loss=loss)
    gd.step(7)
    eig = np.linalg.eigvalsh(exact_hessian(X, gd.y, gd.z, gd.loss))
    low, top = eigen_range(gd)
    assert top == pytest.approx(eig.max(), rel=1e-7)
    assert low == pytest.approx(min(eig.min(), 0.0), abs=1e-7 * abs(eig).max())


@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
def test_curvature_is_the_derivative_of_dz(loss):
    from visualizer.core.engine.losses import get_loss

    L = get_loss(loss)
    z = np.linspace(-8, 8, 41)
    for y in (0.0, 1.0):
        h = 1e-6
        numeric = (L.dz(z + h, np.full_like(z, y)) - L.dz(z - h, np.full_like(z, y))) / (2 * h)
        assert np.allclose(L.curvature(z, np.full_like(z, y)), numeric, atol=1e-8)


def test_squared_error_where_j_curves_down_has_no_single_edge():
    from visualizer.core.analysis.stability import edge_of_stability

    X, Y = make_problem(8, 30, seed=3)
    gd = GradientDescent(X, Y, loss="squared-error", init="random", seed=2)
    gd.theta[:] *= 0
    gd.theta[-1] = 6.0  # every a near 1: the examples with y = 0 sit where squared error curves down
    gd.z = gd.param.train.z(gd.theta)
    assert edge_of_stability(gd).reason == "not convex" and stable_alpha(gd) is None


def test_a_saturated_point_is_flat_not_an_infinite_edge():
    from visualizer.core.analysis.stability import edge_of_stability

    X, Y = make_problem(8, 30, seed=3)
    gd = GradientDescent(X, Y, alpha=500.0)
    gd.step(50)
    assert edge_of_stability(gd).reason == "flat"


def test_an_alpha_that_rose_then_ended_below_every_steady_one_is_not_marked_diverged():
    """The sweep marked α = 0.1 on the demo set diverged (J passed 10x its start) though it ends at 0.00074."""
    from visualizer.core.analysis.stability import lower_after_a_rise
    from visualizer.data import load_data

    train, _ = load_data()
    points = sweep(train.X, train.Y, [0.001, 0.1], 2000)
    assert [(p.diverged, p.steady) for p in points] == [(False, True), (False, False)]
    assert points[1].final_cost < points[0].final_cost / 100
    assert suggest(points) == 0.001 and lower_after_a_rise(points) is points[1]
