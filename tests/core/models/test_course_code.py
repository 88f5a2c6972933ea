"""The fast loop against the course's own week-4 code (core/reference/course_network.py)."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.models import Network, NetworkDescent, initial_parameters
from visualizer.core.models.activations import ACTIVATIONS
from visualizer.core.models.kernels import backward_ops, forward_ops
from visualizer.core.reference.course_network import course_model, course_parameters
from visualizer.data.planar import load_planar


@pytest.mark.parametrize(("activation", "hidden", "scale"), [("relu", (7,), 0.01), ("relu", (6, 4, 3), "lecun"),
                                                             ("tanh", (4,), 0.01)])
def test_same_start_and_same_run_as_the_courses_code(activation, hidden, scale):
    X, Y = make_problem(50, 20, seed=8)
    net = Network(50, hidden, activation=activation)
    theta0 = initial_parameters(net, "random", seed=1, scale=scale)
    params = course_parameters(net.sizes, seed=1, scale=scale)
    assert np.array_equal(theta0, net.join([(params[f"W{l}"], params[f"b{l}"]) for l in range(1, net.depth + 1)]))
    after, costs = course_model(X, Y, params, 0.05, 600, activation)
    run = NetworkDescent(net, X, Y, theta0, alpha=0.05)
    run.step(600)
    theta = net.join([(after[f"W{l}"], after[f"b{l}"]) for l in range(1, net.depth + 1)])
    assert np.max(np.abs(run.costs - costs)) <= 1e-10 * costs.max()
    assert np.max(np.abs(run.theta - theta)) <= 1e-10 * np.abs(theta).max()


def test_flower_as_the_courses_code_runs_it():
    flower = load_planar("planar:flower")
    net = Network(2, (4,), activation="tanh")
    theta0 = initial_parameters(net, "random", seed=2, scale=0.01)
    _, costs = course_model(flower.X, flower.Y, course_parameters(net.sizes, 2), 1.2, 1000, "tanh")
    run = NetworkDescent(net, flower.X, flower.Y, theta0, alpha=1.2)
    run.step(1000)
    assert np.max(np.abs(run.costs - costs)) <= 1e-10


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_fast_loops_activations_are_the_reference_ones(name):
    g = ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    Z, dA = rng.standard_normal((3, 50)), rng.standard_normal((3, 50))
    Z[0, :5] = 0.0  # the kink
    A, dZ = np.empty_like(Z), np.empty_like(Z)
    for op in forward_ops(name, Z, A):
        op()
    assert np.array_equal(A, g.value(Z))
    for op in backward_ops(name, dA, Z, A, dZ):
        op()
    assert np.array_equal(dZ, dA * g.slope(Z, A))
