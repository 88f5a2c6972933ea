"""The fast loop against the plain one: the same θ and the same J at every iteration."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.models import ACTIVATIONS, Network, NetworkDescent, cost, descend, initial_parameters
from visualizer.core.models.descent import CHUNK, choose_method

EXACT = 1e-10


def relative(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def compare(net, X, Y, theta0, alpha, iterations, method):
    fast = NetworkDescent(net, X, Y, theta0, alpha=alpha, method=method)
    assert fast.step(iterations) == iterations
    theta, costs = descend(net, theta0, X, Y, alpha, iterations)
    assert fast.costs.shape == (iterations,) and fast.iteration == iterations
    assert relative(fast.costs, costs) <= EXACT
    assert relative(fast.theta, theta) <= EXACT
    return fast


@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_fast_loop_is_the_plain_loop_for_every_activation(method, activation):
    X, Y = make_problem(40, 15, seed=1)
    net = Network(40, (5, 3), activation=activation)
    # α = 0.1 keeps the run stable: at 0.3 the linear network's run moves 4e-6 when θ₀ moves 1e-15.
    compare(net, X, Y, initial_parameters(net, "random", 2, 0.5), 0.1, 2 * CHUNK + 17, method)


@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("hidden", [(), (6,), (5, 4, 3)])
@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
def test_fast_loop_is_the_plain_loop_with_l2_and_either_loss(method, hidden, loss):
    X, Y = make_problem(30, 12, seed=2)
    net = Network(30, hidden, activation="tanh", loss=loss, lam=0.7)
    compare(net, X, Y, initial_parameters(net, "random", 3, "he"), 0.2, 300, method)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_fast_loop_from_zeros(method):
    """W1₀ = 0 takes the gram path's shortcut (no W1₀X term)."""
    X, Y = make_problem(25, 10, seed=3)
    net = Network(25, (4,), activation="sigmoid", lam=0.3)
    compare(net, X, Y, initial_parameters(net, "zeros"), 0.5, 200, method)


@pytest.mark.parametrize("lam", [0.0, 0.4])
def test_float32_images_train_as_their_float64_values(lam):
    """Large image sets keep X in float32; K = XᵀX and W1₀X are summed in float64 all the same."""
    X, Y = make_problem(60, 14, seed=9)
    X32 = X.astype(np.float32)
    net = Network(60, (4,), activation="relu", lam=lam)
    theta0 = initial_parameters(net, "random", 1, 0.3)
    run = NetworkDescent(net, X32, Y, theta0, alpha=0.2)
    run.step(300)
    assert run.method == "gram"
    theta, costs = descend(net, theta0, X32.astype(np.float64), Y, 0.2, 300)
    assert relative(run.costs, costs) <= EXACT and relative(run.theta, theta) <= EXACT


def test_gram_when_examples_are_fewer_than_inputs():
    assert choose_method(12288, 209) == "gram"
    assert choose_method(2, 400) == "primal"
    assert choose_method(2, 400, "gram") == "gram"
    with pytest.raises(ValueError, match="method"):
        choose_method(2, 400, "fast")


def test_zeros_keep_every_hidden_unit_the_same():
    """Every unit of a layer gets the same gradient from zeros, so their rows stay equal for ever."""
    X, Y = make_problem(6, 30, seed=4)
    net = Network(6, (4,), activation="sigmoid")
    run = NetworkDescent(net, X, Y, initial_parameters(net, "zeros"), alpha=1.0)
    run.step(500)
    W1 = net.split(run.theta)[0][0]
    assert np.abs(W1).max() > 1e-3  # the units moved ...
    assert np.array_equal(W1, np.repeat(W1[:1], 4, axis=0))  # ... all alike
    random = NetworkDescent(net, X, Y, initial_parameters(net, "random", 1, 0.5), alpha=1.0)
    random.step(500)
    W1 = net.split(random.theta)[0][0]
    assert np.abs(W1 - W1[:1]).max() > 1e-2


def test_steps_in_pieces_are_one_run():
    X, Y = make_problem(20, 8, seed=5)
    net = Network(20, (3,), activation="relu")
    theta0 = initial_parameters(net, "random", 1, 0.5)
    whole = NetworkDescent(net, X, Y, theta0, alpha=0.4)
    whole.step(600)
    pieces = NetworkDescent(net, X, Y, theta0, alpha=0.4)
    for n in (1, 255, 100, 244):
        pieces.step(n)
    assert np.array_equal(pieces.costs, whole.costs) and np.array_equal(pieces.theta, whole.theta)
    assert pieces.cost() == pytest.approx(cost(net, whole.theta, X, Y), rel=1e-15)


def test_alpha_change_takes_effect_on_the_next_step():
    X, Y = make_problem(20, 8, seed=6)
    net = Network(20, (3,), activation="tanh", lam=0.1)
    theta0 = initial_parameters(net, "random", 1, 0.5)
    run = NetworkDescent(net, X, Y, theta0, alpha=0.1)
    run.step(50)
    run.alpha = 0.6
    run.step(50)
    theta, first = descend(net, theta0, X, Y, 0.1, 50)
    theta, second = descend(net, theta, X, Y, 0.6, 50)
    assert relative(run.costs, np.concatenate([first, second])) <= EXACT
    assert relative(run.theta, theta) <= EXACT
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            run.alpha = bad


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_divergence_stops_before_the_first_non_finite_iteration(method):
    X, Y = make_problem(10, 8, seed=7, scale=1e3)
    net = Network(10, (3,), activation="linear")
    run = NetworkDescent(net, X, Y, initial_parameters(net, "random", 1, 1.0), alpha=1e3, method=method)
    done = run.step(1000)
    assert run.diverged and 0 < done < 1000 and run.iteration == done
    assert np.isfinite(run.costs).all() and run.costs.shape == (done,)
    assert np.isfinite(run.theta).all()
    assert run.step(10) == 0


def test_bad_shapes_are_refused():
    net = Network(5, (2,))
    with pytest.raises(ValueError, match=r"\(5, m\)"):
        NetworkDescent(net, np.zeros((4, 3)), np.zeros((1, 3)), initial_parameters(net), alpha=0.1)
