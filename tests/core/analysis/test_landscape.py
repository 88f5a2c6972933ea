"""A network's J sliced for the Surface panel, and logistic regression's bowl beside the flower's landscape."""

import numpy as np
import pytest

from visualizer.core.analysis.landscape import (
    bowl_and_landscape,
    default_weights,
    defined_surface_view,
    logistic_network,
    network_surface_view,
)
from visualizer.core.models import Network, NetworkDescent, cost, initial_parameters
from visualizer.core.models.slices import NetworkSlice, parameter_index, path_plane
from visualizer.data.planar import load_planar


@pytest.fixture(scope="module")
def flower_runs():
    """The course's flower network (4 tanh units, seed 2, 0.01, α = 1.2) and logistic regression, 600 steps each,
    with the network's path every 50 steps."""
    points = load_planar("planar:flower")
    X, Y = points.X, points.Y
    net = Network(2, (4,), activation="tanh")
    run = NetworkDescent(net, X, Y, initial_parameters(net, "random", 2, 0.01), alpha=1.2)
    path = [run.theta]
    for _ in range(12):
        run.step(50)
        path.append(run.theta)
    logistic = NetworkDescent(logistic_network(net), X, Y, np.zeros(3), alpha=1.2)
    logistic.step(600)
    return net, X, Y, run.theta, np.array(path), logistic.theta


def second_differences(J):
    return np.concatenate([np.diff(J, 2, axis=0).ravel(), np.diff(J, 2, axis=1).ravel()])


def test_logistic_regressions_slice_is_a_bowl_and_the_flower_networks_is_not(flower_runs):
    net, X, Y, theta, _, logistic_theta = flower_runs
    bowl, landscape = bowl_and_landscape(net, X, Y, logistic_theta, theta, seed=0, grid=21)
    assert np.array_equal(bowl.s, landscape.s) and np.array_equal(bowl.t, landscape.t)  # sliced the same way
    assert bowl.kind == landscape.kind == "random"
    assert second_differences(bowl.J).min() >= -1e-12  # convex along every line of the grid
    assert second_differences(landscape.J).min() < -0.01  # not convex somewhere
    assert bowl.current[2] == pytest.approx(cost(logistic_network(net), logistic_theta, X, Y), abs=1e-12)
    with pytest.raises(ValueError, match="at random or along their paths"):
        bowl_and_landscape(net, X, Y, logistic_theta, theta, kind="weights")


def test_the_principal_view_puts_the_path_on_the_slice(flower_runs):
    net, X, Y, theta, path, _ = flower_runs
    view = network_surface_view(net, X, Y, theta, path, kind="principal", grid=9)
    assert view.kind == "principal" and view.J.shape == (9, 9)
    assert view.current[2] == pytest.approx(cost(net, theta, X, Y), abs=1e-12)
    assert view.s.min() <= view.path_s.min() and view.path_s.max() <= view.s.max()
    assert view.t.min() <= view.path_t.min() and view.path_t.max() <= view.t.max()
    assert view.path_distance[-1] == pytest.approx(0.0, abs=1e-12)  # the last point is θ itself
    plane = path_plane(net, path, theta)
    for k in (0, 5):  # J drawn under the path is J at the path's projection onto the plane
        projected = theta + view.path_s[k] * plane.d1 + view.path_t[k] * plane.d2
        assert view.path_J[k] == pytest.approx(cost(net, projected, X, Y), abs=1e-12)
    ds, dt = view.downhill  # a small step along the downhill arrow lowers J on the slice
    step = 1e-4 / np.hypot(ds, dt)
    assert NetworkSlice(net, X, Y, plane).costs_at(np.array([step * ds]), np.array([step * dt]))[0] < view.current[2]


def test_two_weights_view_shows_the_weights_own_changes(flower_runs):
    net, X, Y, theta, path, _ = flower_runs
    i, j = parameter_index(net, "W1", 0, 1), parameter_index(net, "b2", 0)
    view = network_surface_view(net, X, Y, theta, path, kind="weights", weights=(i, j), grid=5)
    assert np.allclose(view.path_s, path[:, i] - theta[i], atol=1e-12)
    assert np.allclose(view.path_t, path[:, j] - theta[j], atol=1e-12)
    assert (view.s_label, view.t_label) == ("change in W1[0, 1]", "change in b2[0]")
    with pytest.raises(ValueError, match="unknown plane"):
        network_surface_view(net, X, Y, theta, path, kind="sideways")
    with pytest.raises(ValueError, match="two weights"):
        network_surface_view(net, X, Y, theta, path, kind="weights")


def test_a_plane_undefined_here_is_replaced_by_the_next_with_a_sentence(flower_runs):
    net, X, Y, theta, path, _ = flower_runs
    zero = np.zeros(net.size)
    view = defined_surface_view(net, X, Y, zero, zero[None], "random", grid=3)  # no weights, a one-point path
    assert view.kind == "weights" and view.note.startswith("No plane of random directions here: every weight is zero")
    assert "Shown instead: two weights" in view.note
    view = defined_surface_view(net, X, Y, theta, theta[None], "principal", grid=3)
    assert view.kind == "random" and "fewer than two directions" in view.note
    view = defined_surface_view(net, X, Y, theta, path, "w-direction", grid=3)  # logistic regression's kind
    assert view.kind == "random" and view.note == ""
    view = defined_surface_view(net, X, Y, theta, path, "weights", grid=3)
    first, second = default_weights(net)
    moved = theta.copy()
    moved[first] += view.s[0]
    moved[second] += view.t[2]
    assert view.note == "" and view.s_label == "change in W1[0, 0]" and view.t_label == "change in W1[0, 1]"
    assert view.J[0, 2] == pytest.approx(cost(net, moved, X, Y), rel=1e-12)
