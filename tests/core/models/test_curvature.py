"""Hessian-vector products against finite differences of gradients, and λmax against the full Hessian."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.models import ACTIVATIONS, Network, gradient, hessian_vector, initial_parameters, sharpness


def problem(activation, loss="cross-entropy", lam=0.3, hidden=(4, 3), seed=0):
    X, Y = make_problem(5, 17, seed=seed)
    X = X - 0.5
    net = Network(5, hidden, activation=activation, loss=loss, lam=lam)
    nudge = 0.1 * np.random.default_rng(seed).standard_normal(net.size)
    theta = initial_parameters(net, "random", seed + 1, 1.0) + nudge
    return net, theta, X, Y


def hessian(net, theta, X, Y):
    return np.array([hessian_vector(net, theta, X, Y, e) for e in np.eye(net.size)])


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
@pytest.mark.parametrize("hidden", [(), (4, 3)])
def test_hessian_vector_matches_finite_differences(activation, loss, hidden):
    net, theta, X, Y = problem(activation, loss, hidden=hidden)
    v = np.random.default_rng(9).standard_normal(net.size)
    eps = 1e-5
    numeric = (gradient(net, theta + eps * v, X, Y)[1] - gradient(net, theta - eps * v, X, Y)[1]) / (2 * eps)
    exact = hessian_vector(net, theta, X, Y, v)
    assert np.max(np.abs(exact - numeric)) <= 1e-6 * np.max(np.abs(exact))


def test_hessian_is_symmetric_and_includes_l2():
    net, theta, X, Y = problem("tanh", lam=0.0)
    H = hessian(net, theta, X, Y)
    assert np.allclose(H, H.T, atol=1e-14)
    penalized = Network(net.n_x, net.hidden, net.activation, lam=2.0)
    H2 = hessian(penalized, theta, X, Y)
    assert np.allclose(H2 - H, np.diag(2.0 / X.shape[1] * net.weight_mask()), atol=1e-14)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_sharpness_is_the_largest_eigenvalue(activation):
    net, theta, X, Y = problem(activation)
    H = hessian(net, theta, X, Y)
    found = sharpness(net, theta, X, Y, tol=1e-12, max_products=3000)
    assert found.converged
    assert found.value == pytest.approx(np.linalg.eigvalsh(H).max(), rel=1e-8)
    assert np.allclose(H @ found.vector, found.value * found.vector, atol=1e-4 * found.value)
    again = sharpness(net, theta, X, Y, start=found.vector, tol=1e-12)
    assert again.products < found.products  # a warm start is cheaper


def test_sharpness_is_the_largest_even_when_a_negative_one_is_larger_in_size():
    """Squared error far from a minimum curves down strongly: power iteration alone would find that."""
    net = Network(2, (3,), activation="tanh", loss="squared-error")
    X = np.array([[1.0, -1.0, 2.0, 0.5], [0.5, 1.5, -1.0, 2.0]])
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    theta = np.random.default_rng(11).standard_normal(net.size) * 3
    eigenvalues = np.linalg.eigvalsh(hessian(net, theta, X, Y))
    assert -eigenvalues.min() > eigenvalues.max() > 0  # the case this test is about
    found = sharpness(net, theta, X, Y, tol=1e-12, max_products=5000)
    assert found.value == pytest.approx(eigenvalues.max(), rel=1e-6)
