"""Exact slices of a network's J: every grid value is network.cost at that θ, and the planes are Li et al.'s."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.models import ACTIVATIONS, Network, cost, initial_parameters
from visualizer.core.models.slices import (
    NetworkSlice,
    parameter_index,
    parameter_name,
    path_plane,
    random_direction,
    random_plane,
    weights_plane,
)


def small(activation="tanh", loss="cross-entropy", lam=0.3):
    X, Y = make_problem(5, 17, seed=0)
    net = Network(5, (4, 3), activation=activation, loss=loss, lam=lam)
    return net, initial_parameters(net, "random", 1, 1.0), X - 0.5, Y


def a_path(net, theta):
    """Three points off θ in different directions: a path with a principal plane."""
    rng = np.random.default_rng(5)
    return theta + 0.3 * rng.standard_normal((3, net.size))


def planes(net, theta):
    return [random_plane(net, theta, seed=3), path_plane(net, a_path(net, theta), theta),
            weights_plane(net, theta, parameter_index(net, "W1", 0, 2), parameter_index(net, "b2", 1))]


def assert_grid_is_the_cost(net, X, Y, plane, a, b, tol=1e-10):
    J = NetworkSlice(net, X, Y, plane).grid(a, b)
    assert J.shape == (a.size, b.size)
    for i, j in np.ndindex(J.shape):
        assert J[i, j] == pytest.approx(cost(net, plane.origin + a[i] * plane.d1 + b[j] * plane.d2, X, Y), abs=tol)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
def test_every_grid_value_is_the_cost_there(activation, loss):
    net, theta, X, Y = small(activation, loss)
    for plane in planes(net, theta):
        assert_grid_is_the_cost(net, X, Y, plane, np.linspace(-2, 2, 5), np.linspace(-1.5, 1.5, 4))


def test_the_grid_is_the_cost_without_l2_and_on_logistic_regression():
    for hidden in ((4, 3), ()):
        net, theta, X, Y = small()
        net = Network(5, hidden, activation="relu")
        theta = initial_parameters(net, "random", 2, 1.0)
        assert_grid_is_the_cost(net, X, Y, random_plane(net, theta, 1), np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))


@pytest.mark.course
def test_the_deep_models_slice_is_the_cost_on_the_cat_images(course):
    train, _ = course
    net = Network(train.X.shape[0], (20, 7, 5), activation="relu", lam=0.7)
    theta = initial_parameters(net, "random", 1, "lecun")
    plane = random_plane(net, theta, seed=0)
    sl = NetworkSlice(net, train.X, train.Y, plane)
    a, b = np.array([-1.0, 0.0, 0.35, 1.0]), np.array([1.0, 0.0, -0.8, -1.0])
    for ak, bk, J in zip(a, b, sl.costs_at(a, b), strict=True):
        expected = cost(net, theta + ak * plane.d1 + bk * plane.d2, train.X, train.Y)
        assert abs(J - expected) <= 1e-10


def test_random_directions_are_normalized_per_unit_as_li_et_al_do():
    net, theta, _, _ = small()
    theta[net.offsets()[1] - 1] = 0.7  # a nonzero bias in layer 1
    d = random_direction(net, theta, np.random.default_rng(0))
    for (V, v), (W, _) in zip(net.split(d), net.split(theta), strict=True):
        assert np.allclose(np.linalg.norm(V, axis=1), np.linalg.norm(W, axis=1), rtol=1e-12)
        assert not v.any()  # their --xignore biasbn
    copied = random_direction(net, theta, np.random.default_rng(0), biases="copy")
    for (_, v), (_, b) in zip(net.split(copied), net.split(theta), strict=True):
        assert np.array_equal(v, b)
    again = random_plane(net, theta, seed=3)
    assert np.array_equal(again.d1, random_plane(net, theta, seed=3).d1)
    assert not np.allclose(again.d1, random_plane(net, theta, seed=4).d1)
    with pytest.raises(ValueError, match="biases"):
        random_direction(net, theta, np.random.default_rng(0), biases="keep")


def test_data_of_the_wrong_shape_is_refused_with_the_shape_expected():
    net, theta, X, Y = small()
    with pytest.raises(ValueError, match=r"X must have shape \(5, 17\)"):
        NetworkSlice(net, X[:4], Y, random_plane(net, theta))


def test_random_plane_at_zero_weights_says_why_not():
    net = Network(3, (2,))
    with pytest.raises(ValueError, match="every weight is zero"):
        random_plane(net, initial_parameters(net, "zeros"))


def test_path_plane_holds_a_path_that_lies_in_a_plane():
    net, theta, X, Y = small()
    rng = np.random.default_rng(1)
    u, v = rng.standard_normal((2, net.size))
    path = theta + np.outer(np.linspace(2, 0, 6), u) + np.outer(np.sin(np.linspace(0, 3, 6)), v)
    plane = path_plane(net, path, theta)
    D = np.stack([plane.d1, plane.d2])
    assert np.allclose(D @ D.T, np.eye(2), atol=1e-12)
    a, b, distance = NetworkSlice(net, X, Y, plane).coordinates(path)
    assert np.max(distance) < 1e-12 * np.max(np.abs(path - theta))
    assert np.allclose(theta + np.outer(a, plane.d1) + np.outer(b, plane.d2), path, atol=1e-12)
    assert "% of the path's spread" in plane.s_label
    with pytest.raises(ValueError, match="fewer than two directions"):
        path_plane(net, theta + np.outer(np.arange(4.0), u), theta)


def test_coordinates_of_points_off_a_skew_plane():
    net, theta, X, Y = small()
    plane = random_plane(net, theta, seed=2)  # d1, d2 not orthogonal
    sl = NetworkSlice(net, X, Y, plane)
    a, b, distance = sl.coordinates(np.stack([theta + 0.3 * plane.d1 - 0.2 * plane.d2, theta]))
    assert np.allclose([a[0], b[0], a[1], b[1]], [0.3, -0.2, 0.0, 0.0], atol=1e-12)
    assert np.allclose(distance, 0.0, atol=1e-12)


def test_two_chosen_weights_move_only_themselves():
    net, theta, X, Y = small()
    i, j = parameter_index(net, "W2", 2, 1), parameter_index(net, "b1", 3)
    assert (parameter_name(net, i), parameter_name(net, j)) == ("W2[2, 1]", "b1[3]")
    assert net.split(theta)[1][0][2, 1] == theta[i] and net.split(theta)[0][1][3, 0] == theta[j]
    plane = weights_plane(net, theta, i, j)
    moved = plane.origin + 0.5 * plane.d1 - 0.25 * plane.d2
    assert np.flatnonzero(moved != theta).tolist() == sorted([i, j])
    assert (plane.s_label, plane.t_label) == ("change in W2[2, 1]", "change in b1[3]")
    for bad in (("W0", 0, 0), ("W3", 1, 0), ("b1", 4, 0), ("x1", 0, 0), ("W1", 0, 5)):
        with pytest.raises(ValueError):
            parameter_index(net, *bad)
    with pytest.raises(ValueError, match="two different"):
        weights_plane(net, theta, i, i)
