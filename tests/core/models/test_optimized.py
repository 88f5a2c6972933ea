"""Every optimizer of the lab on a network: against a plain numpy loop written the course's way, and against
logistic regression's engine where the two models are one (no hidden layer)."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.models import Network, NetworkDescent, cost, initial_parameters
from visualizer.core.models.optimized import NetworkOptimized, network_trainer
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import SPECS
from visualizer.core.reference.network_optimizers import UPDATES, network_optimize_reference
from visualizer.data.planar import load_planar

EXACT = 1e-12
PARAMS = 1e-10  # θ after 60 steps: AdaGrad divides rounding-level differences of tiny gradients by √s


def relative(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))) / np.max(np.abs(b)))


def as_dict(net, theta):
    return {name: v.copy() for l, (W, b) in enumerate(net.split(theta), start=1)
            for name, v in ((f"W{l}", W), (f"b{l}", b))}


def test_the_reference_has_every_optimizer_of_the_registry():
    assert set(UPDATES) == set(SPECS)


#: (batch size, λ, decay, decay kind): batches of 16 of 40 (the last of each epoch 8), L2, both decays.
CASES = [(None, 0.0, 0.0, "inverse"), (16, 0.3, 0.2, "inverse"), (16, 0.0, 0.1, "exponential")]


@pytest.mark.parametrize("case", CASES, ids=["batch", "mini-l2-inverse", "mini-exponential"])
@pytest.mark.parametrize("kind", list(SPECS))
def test_every_optimizer_is_the_plain_loop(kind, case):
    batch_size, lam, decay, decay_kind = case
    X, Y = make_problem(5, 40, seed=11)
    net = Network(5, (4, 3), activation="tanh", lam=lam)
    theta0 = initial_parameters(net, "random", 2, 0.5)
    opt = Optimizer(kind=kind, batch_size=batch_size, lam=lam, decay=decay, decay_kind=decay_kind)
    alpha = 0.05 if kind in ("rmsprop", "adam", "adagrad") else 0.5
    run = network_trainer(net, X, Y, theta0, alpha=alpha, optimizer=opt, seed=7)
    if opt.is_plain(40):
        assert isinstance(run, NetworkDescent)  # the fast loop keeps plain descent
        run = NetworkOptimized(net, X, Y, theta0, alpha=alpha, optimizer=opt, seed=7)
    assert run.step(60) == 60
    params, costs = network_optimize_reference(
        X, Y, as_dict(net, theta0), alpha, 60, kind, batch_size, lam=lam, decay=decay, decay_kind=decay_kind,
        seed=7, activation="tanh")
    assert relative(run.costs, costs) <= EXACT
    assert relative(run.theta, net.join([(params[f"W{l}"], params[f"b{l}"]) for l in (1, 2, 3)])) <= PARAMS
    assert run.costs[0] != run.costs[-1]


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "leaky-relu", "linear"])
def test_every_activation_under_adam_with_mini_batches(activation):
    X, Y = make_problem(4, 30, seed=12)
    net = Network(4, (3,), activation=activation, loss="squared-error" if activation == "linear" else "cross-entropy",
                  lam=0.1)
    theta0 = initial_parameters(net, "random", 3, 0.5)
    run = NetworkOptimized(net, X, Y, theta0, alpha=0.02, optimizer=Optimizer(kind="adam", batch_size=8, lam=0.1),
                           seed=4)
    run.step(40)
    params, costs = network_optimize_reference(X, Y, as_dict(net, theta0), 0.02, 40, "adam", 8, lam=0.1, seed=4,
                                               activation=activation, loss=net.loss)
    assert relative(run.costs, costs) <= EXACT


@pytest.mark.parametrize("kind", list(SPECS))
def test_the_flowers_week_3_network_under_every_optimizer(kind):
    """Every 10th point of the course's flower, 4 tanh units from seed 2 at scale 0.01 as the course starts."""
    flower = load_planar("planar:flower")
    X, Y = flower.X[:, ::10], flower.Y[:, ::10]
    net = Network(2, (4,), activation="tanh", lam=0.05)
    theta0 = initial_parameters(net, "random", 2, 0.01)
    alpha = 0.02 if kind in ("rmsprop", "adam", "adagrad") else 1.2
    opt = Optimizer(kind=kind, batch_size=16, lam=0.05, decay=0.05, decay_kind="exponential")
    run = NetworkOptimized(net, X, Y, theta0, alpha=alpha, optimizer=opt, seed=2)
    run.step(50)
    params, costs = network_optimize_reference(X, Y, as_dict(net, theta0), alpha, 50, kind, 16, lam=0.05, decay=0.05,
                                               decay_kind="exponential", seed=2, activation="tanh")
    assert relative(run.costs, costs) <= EXACT
    assert relative(run.theta, net.join([(params["W1"], params["b1"]), (params["W2"], params["b2"])])) <= PARAMS


@pytest.mark.parametrize("kind", ["momentum", "adam"])
def test_no_hidden_layer_is_logistic_regressions_engine_step_for_step(kind):
    """The same shuffle (seed, epoch), the same L2 with the whole set's m and the same decay: one model."""
    X, Y = make_problem(3, 50, seed=13)  # n_x < m: the engine's primal path
    opt = Optimizer(kind=kind, batch_size=16, lam=0.5, decay=0.3)
    engine = GradientDescent(X, Y, alpha=0.1, optimizer=opt, seed=9)
    engine.step(45)
    net = Network(3, (), lam=0.5)
    run = NetworkOptimized(net, X, Y, np.zeros(net.size), alpha=0.1, optimizer=opt, seed=9)
    run.step(45)
    assert relative(run.costs, engine.history.costs.values) <= 1e-10
    assert relative(run.theta, np.append(engine.w, engine.b)) <= 1e-10


def test_full_cost_is_recorded_at_the_stride_of_a_mini_batch_run():
    X, Y = make_problem(4, 30, seed=14)
    net = Network(4, (3,), activation="tanh", lam=0.2)
    run = NetworkOptimized(net, X, Y, initial_parameters(net, "random", 1, 0.5), alpha=0.3,
                           optimizer=Optimizer(kind="momentum", batch_size=7, lam=0.2), record_every=10)
    run.step(25)
    run.step(10)
    assert [i for i, _ in run.recorded] == [0, 10, 20, 30]
    again = NetworkOptimized(net, X, Y, initial_parameters(net, "random", 1, 0.5), alpha=0.3,
                             optimizer=Optimizer(kind="momentum", batch_size=7, lam=0.2))
    again.step(20)
    assert run.recorded[2][1] == pytest.approx(again.cost(), rel=1e-14)


def test_an_overflowing_step_stops_the_run_before_it():
    X, Y = make_problem(4, 20, seed=15, scale=1e3)
    net = Network(4, (3,), activation="linear")
    run = NetworkOptimized(net, X, Y, initial_parameters(net, "random", 1, 1.0), alpha=1e160,
                           optimizer=Optimizer(kind="momentum", batch_size=5))
    done = run.step(200)
    assert run.diverged and done < 200 and run.iteration == done == run.costs.size
    assert np.isfinite(run.costs).all() and np.isfinite(run.theta).all() and np.isfinite(run.cost())
    assert run.overflow.startswith(f"the step overflowed at iteration {done}: ") and run.step(5) == 0


def test_lambda_is_the_networks_and_a_different_one_is_refused():
    X, Y = make_problem(4, 10, seed=16)
    net = Network(4, (2,), lam=0.5)
    with pytest.raises(ValueError, match="λ is the network's"):
        network_trainer(net, X, Y, np.zeros(net.size), alpha=0.1, optimizer=Optimizer(kind="adam", lam=0.2))
    with pytest.raises(ValueError, match="λ is the network's"):
        network_trainer(net, X, Y, np.zeros(net.size), alpha=0.1, optimizer=Optimizer(lam=0.2))


def test_float32_images_train_as_their_float64_values():
    """Large image sets keep X in float32; each batch is taken to float64 before any product."""
    X, Y = make_problem(30, 24, seed=17)
    X32 = X.astype(np.float32)
    net = Network(30, (4,), activation="relu", lam=0.2)
    theta0 = initial_parameters(net, "random", 1, 0.3)
    opt = Optimizer(kind="adam", batch_size=10, lam=0.2, decay=0.1)
    runs = [NetworkOptimized(net, A, Y, theta0, alpha=0.01, optimizer=opt, seed=3) for A in (X32, X32.astype(float))]
    for run in runs:
        run.step(30)
    assert np.array_equal(runs[0].costs, runs[1].costs) and np.array_equal(runs[0].theta, runs[1].theta)


SPAN_KINDS = [k for k, spec in SPECS.items() if spec.span_preserving]


@pytest.mark.parametrize("case", CASES, ids=["batch", "mini-l2-inverse", "mini-exponential"])
@pytest.mark.parametrize("kind", SPAN_KINDS)
def test_the_first_layers_span_is_the_plain_loop(kind, case):
    """W1 = c₀ W1₀ + C Xᵀ (m = 16 < n_x = 60): the same run as the plain loop, with no n_x-wide product."""
    batch_size, lam, decay, decay_kind = case
    X, Y = make_problem(60, 16, seed=18)
    net = Network(60, (4, 3), activation="tanh", lam=lam)
    theta0 = initial_parameters(net, "random", 2, 0.3)
    opt = Optimizer(kind=kind, batch_size=None if batch_size is None else 6, lam=lam, decay=decay,
                    decay_kind=decay_kind)
    run = NetworkOptimized(net, X, Y, theta0, alpha=0.5, optimizer=opt, seed=5, method="gram")
    assert run.method == "gram" and run.step(60) == 60
    params, costs = network_optimize_reference(
        X, Y, as_dict(net, theta0), 0.5, 60, kind, opt.batch_size, lam=lam, decay=decay, decay_kind=decay_kind,
        seed=5, activation="tanh")
    assert relative(run.costs, costs) <= 1e-10
    assert relative(run.theta, net.join([(params[f"W{l}"], params[f"b{l}"]) for l in (1, 2, 3)])) <= 1e-10
    assert run.cost() == pytest.approx(cost(net, run.theta, X, Y), rel=1e-14)


def test_the_span_is_chosen_where_it_is_exact_and_cheaper():
    X, Y = make_problem(60, 16, seed=19)
    net = Network(60, (3,), lam=0.1)
    theta0 = initial_parameters(net, "random", 1, 0.1)

    def method(**opt):
        return NetworkOptimized(net, X, Y, theta0, alpha=0.1, optimizer=Optimizer(lam=0.1, **opt)).method

    assert method(kind="momentum") == method(kind="nesterov") == method(decay=0.1) == "gram"
    assert method(kind="momentum", batch_size=8) == "gram"  # 8·16 + 16² < 8·60
    assert method(kind="adam") == method(kind="rmsprop") == method(kind="adagrad") == "primal"
    assert method(kind="momentum", batch_size=1) == "primal"  # 1·16 + 16² > 1·60: a row of X is cheaper
    with pytest.raises(ValueError, match="primal path only"):
        NetworkOptimized(net, X, Y, theta0, alpha=0.1, optimizer=Optimizer(kind="adam", lam=0.1), method="gram")
    wide = Network(4, (3,))
    X4, Y4 = make_problem(4, 16, seed=19)
    assert NetworkOptimized(wide, X4, Y4, initial_parameters(wide), alpha=0.1,
                            optimizer=Optimizer(kind="momentum")).method == "primal"  # m ≥ n_x
