"""Sharpness (λmax of the Hessian) followed along a network's run, and the edge of stability on the flower."""

from types import SimpleNamespace

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.analysis.sharpening import LIVE_SHARPNESS, LiveSharpness, SharpnessProbe, follow_sharpness
from visualizer.core.models import Network, NetworkDescent, gradient, hessian_vector, initial_parameters, sharpness
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.planar import load_planar


def tiny_run(activation):
    X, Y = make_problem(3, 30, seed=1)
    net = Network(3, (5, 3), activation=activation, lam=0.1)
    return NetworkDescent(net, X - 0.5, Y, initial_parameters(net, "random", 1, 1.0), alpha=0.5)


def full_hessian(net, theta, X, Y):
    """H column by column: H e_k for each unit vector e_k."""
    return np.array([hessian_vector(net, theta, X, Y, e) for e in np.eye(net.size)]).T


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_each_record_is_the_largest_eigenvalue_of_the_full_hessian(activation):
    run = tiny_run(activation)
    probe = SharpnessProbe()
    for _ in range(10):
        record = probe(run)
        expected = np.linalg.eigvalsh(full_hessian(run.net, run.theta, run.X, run.y)).max()
        assert record["sharpness"] == pytest.approx(expected, rel=1e-3)
        assert record["edge"] == pytest.approx(2.0 / record["sharpness"])
        run.step(20)


def flower_run():
    """The course's week-3 model on its flower: 4 tanh units, seed 2, scale 0.01, α = 1.2."""
    points = load_planar("planar:flower")
    net = Network(2, (4,), activation="tanh")
    return NetworkDescent(net, points.X, points.Y, initial_parameters(net, "random", 2, 0.01), alpha=1.2)


def test_a_warm_start_makes_each_record_a_few_products():
    """Measured on the flower from 500 to 1475 (every 25): 2 products a record warm, 6 from a random start."""
    run = flower_run()
    run.step(500)
    probe, warm, cold = SharpnessProbe(), [], []
    for _ in range(40):
        record = probe(run)
        warm.append(record["products"])
        cold.append(sharpness(run.net, run.theta, run.X, run.y, tol=probe.tol).products)
        tight = sharpness(run.net, run.theta, run.X, run.y, tol=1e-12, max_products=5000).value
        assert record["sharpness"] == pytest.approx(tight, rel=1e-4)
        run.step(25)
    assert max(warm[1:]) <= 4 and sum(warm[1:]) < 0.5 * sum(cold[1:])


def test_sharpness_agrees_with_a_difference_of_two_gradients():
    run = tiny_run("tanh")
    run.step(30)
    net, theta, X, Y = run.net, run.theta, run.X, run.y
    found = sharpness(net, theta, X, Y, tol=1e-12, max_products=2000)
    v, eps = found.vector, 1e-5
    Hv = (gradient(net, theta + eps * v, X, Y)[1] - gradient(net, theta - eps * v, X, Y)[1]) / (2 * eps)
    assert v @ Hv == pytest.approx(found.value, rel=1e-7)
    assert np.max(np.abs(Hv - found.value * v)) <= 1e-5 * found.value  # v is an eigenvector: H v = λ v


def test_follow_sharpness_records_every_so_often_and_says_what_it_cost():
    run = tiny_run("tanh")
    trace = follow_sharpness(run, 50, 20)
    assert trace.iterations.tolist() == [0, 20, 40, 50]
    assert trace.costs.size == 50 and trace.threshold == pytest.approx(4.0)
    assert trace.products >= 2 * trace.iterations.size
    with pytest.raises(ValueError, match="every 1 or more"):
        follow_sharpness(run, 10, 0)


def test_the_courses_flower_run_climbs_to_the_edge_of_stability_and_stays_near_it():
    """Cohen et al. (2021): full-batch descent's sharpness rises until it reaches 2/α, then hovers there while J
    falls, not monotonically. The course's own run (4 tanh units, seed 2, 0.01, α = 1.2, 2/α = 1.667), measured
    every 25 iterations: λmax 0.250 at 0 (0.15 of 2/α), rising while J falls at every step; it first reaches 2/α
    at 7,150 (7,132 measured every step), peaks 4 % above it at 7,825 (λmax 1.737), then falls back and hovers
    7-11 % below it from 8,500 on, alternating from one step to the next (0.929 and 0.895 of 2/α at the end).
    J rises at 1,107 of the 2,849 steps after 7,150 and ends at 0.217819, above its 0.217213 there: here J did
    not keep falling over those 2,849 steps. It is where the course's costs turn chaotic (0.217504 at 7000,
    0.219454 at 8000)."""
    run = flower_run()
    trace = follow_sharpness(run, 10_000, 25)
    ratio = trace.sharpness / trace.threshold
    reached = int(np.argmax(ratio >= 1.0))
    at = int(trace.iterations[reached])
    assert ratio[0] < 0.2 and ratio[reached - 1] < 1.0
    assert 6_500 <= at <= 7_500
    assert np.all(np.diff(trace.costs[:at + 1]) < 0)  # J fell at every step on the way up
    assert 1.0 < ratio.max() < 1.1  # it overshoots a little
    late = ratio[trace.iterations >= 8_500]
    assert late.min() > 0.85 and late.max() < 0.95  # then hovers just below 2/α
    rises = np.diff(trace.costs[at:]) > 0
    assert 0.2 < rises.mean() < 0.6  # and J no longer falls at every step
    assert trace.costs[-1] > trace.costs[at]  # nor, over these 2,849 steps, at all


def test_a_window_run_records_its_optimizers_edge_where_affordable():
    """LiveSharpness records the optimizer's own edge from λmax (2/λmax for descent), none for an adaptive one,
    and none on a network too large to follow live."""
    net = Network(2, (3,), activation="tanh")
    X, Y = np.random.default_rng(0).standard_normal((2, 40)), (np.arange(40) % 2).reshape(1, -1)
    run = SimpleNamespace(net=net, theta=initial_parameters(net, "random", 1, 1.0), X=X, y=Y, m=40)
    top = SharpnessProbe(tol=1e-10, budget=400).measure(net, run.theta, X, Y)["sharpness"]
    run.optimizer = Optimizer()
    assert LiveSharpness(tol=1e-10, budget=400)(run)["edge"] == pytest.approx(2 / top, rel=1e-6)
    run.optimizer = Optimizer(kind="momentum", beta=0.9)
    assert LiveSharpness(tol=1e-10, budget=400)(run)["edge"] == pytest.approx(2 * 1.9 / (0.1 * top), rel=1e-6)
    run.optimizer = Optimizer(kind="adam")
    assert np.isnan(LiveSharpness()(run)["edge"])
    run.optimizer, run.m = Optimizer(), LIVE_SHARPNESS // net.size + 1
    record = LiveSharpness()(run)
    assert list(record) == ["edge"] and np.isnan(record["edge"])
