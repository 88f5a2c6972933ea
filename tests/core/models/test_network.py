"""The network's maths: the course's initialization, forward pass, cost and gradients."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.models import ACTIVATIONS, Network, cost, forward, gradient, initial_parameters, output_z
from visualizer.core.reference.lecture import vectorized_gradients

LOSSES = ("cross-entropy", "squared-error")


def numerical_gradient(net, theta, X, Y, eps=1e-6):
    grad = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = eps
        grad[k] = (cost(net, theta + e, X, Y) - cost(net, theta - e, X, Y)) / (2 * eps)
    return grad


def test_random_start_is_the_courses_legacy_draw_in_layer_order():
    net = Network(5, (4, 3))
    theta = initial_parameters(net, "random", seed=2, scale=0.01)
    state = np.random.get_state()
    try:  # the course: np.random.seed(2); W1 = randn(4, 5) * 0.01; W2 = randn(3, 4) * 0.01; ...
        np.random.seed(2)
        course = [np.random.randn(n, p) * 0.01 for n, p in ((4, 5), (3, 4), (1, 3))]
    finally:
        np.random.set_state(state)
    for (W, b), expected in zip(net.split(theta), course, strict=True):
        assert np.array_equal(W, expected)
        assert np.array_equal(b, np.zeros((W.shape[0], 1)))


def test_named_scales_divide_as_the_course_writes_it():
    net = Network(8, (4,))
    raw = [np.random.RandomState(1).randn(4, 8)]
    lecun = net.split(initial_parameters(net, "random", 1, "lecun"))[0][0]
    he = net.split(initial_parameters(net, "random", 1, "he"))[0][0]
    assert np.array_equal(lecun, raw[0] / np.sqrt(8))  # the deep model's randn(...) / np.sqrt(n_prev)
    assert np.allclose(he, raw[0] * np.sqrt(2 / 8), rtol=1e-15)
    assert np.array_equal(initial_parameters(net, "random", 1, 0.5)[:8], raw[0][0] * 0.5)


def test_zeros_start_and_bad_choices():
    net = Network(3, (2,))
    assert not initial_parameters(net, "zeros").any()
    for scale in (0, -1.0, float("nan"), "huge", True):
        with pytest.raises(ValueError, match="scale"):
            initial_parameters(net, "random", 1, scale)
    with pytest.raises(ValueError, match="initialization"):
        initial_parameters(net, "ones")
    for bad in ((0,), (2.5,), (-3,)):
        with pytest.raises(ValueError, match="layer sizes"):
            Network(3, bad)
    with pytest.raises(ValueError, match="activation"):
        Network(3, (2,), activation="softmax")
    with pytest.raises(ValueError, match="λ"):
        Network(3, (2,), lam=-1.0)


def test_parameters_round_trip_through_the_flat_vector():
    net = Network(4, (3, 2))
    rng = np.random.default_rng(0)
    params = [(rng.standard_normal(w), rng.standard_normal(b)) for w, b in net.shapes()]
    theta = net.join(params)
    assert theta.size == net.size == 3 * 5 + 2 * 4 + 1 * 3
    for (W, b), (W2, b2) in zip(net.split(theta), params, strict=True):
        assert np.array_equal(W, W2) and np.array_equal(b, b2)


def test_forward_is_the_courses_two_layer_pass():
    X, Y = make_problem(6, 9, seed=1)
    net = Network(6, (4,), activation="tanh")
    theta = initial_parameters(net, "random", 2, 0.5)
    (W1, b1), (W2, b2) = net.split(theta)
    A2 = 1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ X + b1) + b2)))
    Zs, As = forward(net, theta, X)
    assert np.allclose(As[-1], A2, rtol=1e-14)
    course_cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / 9
    assert cost(net, theta, X, Y) == pytest.approx(course_cost, rel=1e-13)


@pytest.mark.parametrize("loss", LOSSES)
def test_no_hidden_layer_is_logistic_regression(loss):
    X, Y = make_problem(7, 11, seed=2)
    net = Network(7, (), loss=loss)
    rng = np.random.default_rng(3)
    w, b = rng.standard_normal(7), 0.3
    J, grad = gradient(net, net.join([(w.reshape(1, -1), [[b]])]), X, Y)
    J_ref, dw, db = vectorized_gradients(w, b, X, Y, loss)
    assert pytest.approx(J_ref, rel=1e-14) == J
    assert np.allclose(grad, np.append(dw, db), rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("lam", [0.0, 0.8])
def test_every_gradient_matches_finite_differences(activation, loss, lam):
    X, Y = make_problem(5, 13, seed=4)
    X = X - 0.5  # inputs of both signs, so ReLU units are on and off
    net = Network(5, (4, 3), activation=activation, loss=loss, lam=lam)
    theta = initial_parameters(net, "random", 7, 1.0) + 0.1
    J, grad = gradient(net, theta, X, Y)
    assert pytest.approx(cost(net, theta, X, Y), rel=1e-14) == J
    numeric = numerical_gradient(net, theta, X, Y)
    assert np.max(np.abs(grad - numeric)) <= 1e-7 * max(1.0, np.max(np.abs(grad)))


def test_l2_is_on_every_weight_and_no_bias():
    X, Y = make_problem(3, 5, seed=5)
    plain, penalized = Network(3, (2,)), Network(3, (2,), lam=2.0)
    theta = initial_parameters(plain, "random", 1, 1.0) + 0.2
    squares = sum(float(np.sum(W * W)) for W, _ in plain.split(theta))
    assert cost(penalized, theta, X, Y) == pytest.approx(cost(plain, theta, X, Y) + 2.0 / (2 * 5) * squares)
    difference = gradient(penalized, theta, X, Y)[1] - gradient(plain, theta, X, Y)[1]
    assert np.allclose(difference, 2.0 / 5 * theta * penalized.weight_mask(), rtol=1e-12, atol=1e-15)


def test_prediction_is_one_where_the_output_is_above_one_half():
    X, _ = make_problem(4, 20, seed=6)
    net = Network(4, (3,), activation="relu")
    theta = initial_parameters(net, "random", 3, 1.0)
    z = output_z(net, theta, X)
    assert np.array_equal(z > 0, forward(net, theta, X)[1][-1] > 0.5)
