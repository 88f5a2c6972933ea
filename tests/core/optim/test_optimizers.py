"""Mini-batches, momentum, RMSProp, Adam, L2 and α decay against the lecture's own loops."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.reference.lecture import gradient_descent_reference
from visualizer.core.reference.optimizers import (
    numerical_regularized_gradient,
    optimize_reference,
    regularized_cost,
    regularized_gradients,
)

KINDS = ["gd", "momentum", "rmsprop", "adam"]


def _agree(gd, X, Y, alpha, n, **opt):
    w, b, costs = optimize_reference(X, Y, alpha, n, seed=gd.seed, **opt)
    assert np.allclose(gd.history.costs.values, costs, rtol=1e-12, atol=1e-14)
    assert np.allclose(gd.w, w, rtol=1e-12, atol=1e-13)
    assert gd.b == pytest.approx(b, rel=1e-12, abs=1e-13)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(KINDS), st.sampled_from([1, 3, 7, None]), st.sampled_from([0.0, 0.8]),
       st.sampled_from([(0.0, "inverse"), (0.3, "inverse"), (0.05, "exponential")]),
       st.sampled_from(["gram", "primal", "auto"]), st.integers(0, 1000))
def test_engine_follows_the_lecture_loops(kind, batch, lam, decay, method, seed):
    n_x, m = (30, 12) if method != "primal" else (6, 12)
    X, Y = make_problem(n_x, m, seed=seed)
    if method == "gram" and kind in ("rmsprop", "adam"):
        method = "auto"
    opt = dict(kind=kind, batch_size=batch, lam=lam, decay=decay[0], decay_kind=decay[1])
    gd = GradientDescent(X, Y, alpha=0.05, seed=seed, method=method, optimizer=Optimizer(**opt))
    gd.step(40)
    _agree(gd, X, Y, 0.05, 40, **opt)
    assert gd.method == ("primal" if kind in ("rmsprop", "adam") else gd.method)


@pytest.mark.parametrize("kind", ["gd", "momentum"])
@pytest.mark.parametrize("init", ["zeros", "random"])
def test_gram_path_is_exact_for_span_preserving_optimizers_with_l2(kind, init):
    """w stays in w0 + span(x_i); L2 shrinks w0's coefficient too."""
    X, Y = make_problem(40, 15, seed=4)
    opt = Optimizer(kind=kind, batch_size=4, lam=2.0, decay=0.1)
    runs = [GradientDescent(X, Y, alpha=0.1, init=init, seed=3, method=k, optimizer=opt) for k in ("gram", "primal")]
    for gd in runs:
        gd.step(60)
    gram, primal = runs
    assert gram.method == "gram" and gram.theta.size == 15 + (init == "random") + 1
    assert np.allclose(gram.history.costs.values, primal.history.costs.values, rtol=1e-12)
    assert np.allclose(gram.w, primal.w, rtol=1e-11, atol=1e-14)
    w0 = gram.param.w(gram.theta_start)
    w, b, _ = optimize_reference(X, Y, 0.1, 60, kind=kind, batch_size=4, lam=2.0, decay=0.1, seed=3, w0=w0)
    assert np.allclose(gram.w, w, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", ["rmsprop", "adam"])
def test_coordinate_wise_optimizers_take_the_primal_path_and_say_why(kind):
    X, Y = make_problem(50, 10)
    gd = GradientDescent(X, Y, optimizer=Optimizer(kind=kind))
    assert gd.method == "primal" and "separately" in gd.path_reason
    with pytest.raises(ValueError, match="primal path only"):
        GradientDescent(X, Y, optimizer=Optimizer(kind=kind), method="gram")
    assert GradientDescent(X, Y, optimizer=Optimizer(kind="momentum", batch_size=2)).method == "gram"


def test_batch_of_m_is_todays_engine_bit_for_bit():
    X, Y = make_problem(30, 12, seed=3)
    plain = GradientDescent(X, Y, alpha=0.3)
    for opt in (Optimizer(batch_size=12), Optimizer(lam=0.0), Optimizer(decay=0.0, decay_kind="exponential")):
        gd = GradientDescent(X, Y, alpha=0.3, optimizer=opt)
        assert opt.is_plain(12)
        gd.step(50)
        if plain.iteration < 50:
            plain.step(50)
        assert np.array_equal(gd.theta, plain.theta)
        assert np.array_equal(gd.history.costs.values, plain.history.costs.values)


@pytest.mark.parametrize("method", ["gram", "primal"])
@pytest.mark.parametrize("batch", [None, 5])
def test_momentum_with_beta_zero_is_plain_descent(method, batch):
    X, Y = make_problem(30, 12, seed=1) if method == "gram" else make_problem(5, 12, seed=1)
    gd = GradientDescent(X, Y, alpha=0.2, method=method, optimizer=Optimizer(kind="momentum", beta=0.0,
                                                                              batch_size=batch))
    plain = GradientDescent(X, Y, alpha=0.2, method=method, optimizer=Optimizer(batch_size=batch, decay=0.0))
    gd.step(80)
    plain.step(80)
    assert np.allclose(gd.history.costs.values, plain.history.costs.values, rtol=1e-12)
    assert np.allclose(gd.theta, plain.theta, rtol=1e-12, atol=1e-15)
    if batch is None:  # and plain batch descent is the course's
        w, b, costs = gradient_descent_reference(X, Y, 0.2, 80)
        assert np.allclose(gd.w, w, rtol=1e-12) and np.allclose(gd.history.costs.values, costs, rtol=1e-12)


def test_lambda_zero_changes_nothing():
    X, Y = make_problem(8, 20, seed=6)
    a = GradientDescent(X, Y, alpha=0.1, optimizer=Optimizer(kind="adam", batch_size=3))
    b = GradientDescent(X, Y, alpha=0.1, optimizer=Optimizer(kind="adam", batch_size=3, lam=0.0))
    a.step(30)
    b.step(30)
    assert np.array_equal(a.theta, b.theta) and a.cost == b.cost


problems = st.tuples(st.integers(1, 7), st.integers(1, 9), st.integers(0, 2**31 - 1),
                     st.sampled_from(["cross-entropy", "squared-error"]), st.floats(0.0, 5.0))


@settings(max_examples=60, deadline=None)
@given(problems)
def test_regularized_gradient_matches_centred_differences(problem):
    n_x, m, seed, loss, lam = problem
    rng = np.random.default_rng(seed)
    X, Y = rng.random((n_x, m)), rng.integers(0, 2, (1, m)).astype(float)
    w, b = rng.normal(0, 1.5, n_x), float(rng.normal())
    _, dw, db = regularized_gradients(w, b, X, Y, lam, loss)
    ndw, ndb = numerical_regularized_gradient(w, b, X, Y, lam, loss)
    assert np.allclose(dw, ndw, atol=1e-8, rtol=1e-6) and abs(db - ndb) < 1e-8 + 1e-6 * abs(db)
    gd = GradientDescent(X, Y, loss=loss, start=(w, b), method="primal", optimizer=Optimizer(lam=lam))
    assert np.allclose(gd.gradient(), np.append(dw, db), rtol=1e-12, atol=1e-14)


def test_full_cost_at_a_stride_and_batch_costs_every_iteration():
    X, Y = make_problem(6, 40, seed=2)
    gd = GradientDescent(X, Y, alpha=0.5, metric_stride=10, optimizer=Optimizer(batch_size=8, lam=1.0))
    gd.step(35)
    its, full = gd.history.metric("train_cost")
    assert its.tolist() == [0, 10, 20, 30] and len(gd.history.costs) == 35
    probe = GradientDescent(X, Y, alpha=0.5, optimizer=Optimizer(batch_size=8, lam=1.0))
    probe.step(20)
    w, b = probe.w, probe.b
    assert full[2] == pytest.approx(regularized_cost(w, b, X, Y, 1.0), rel=1e-12)
    assert gd.opt_state.epoch == 35 // 5 and gd.opt_state.position == (35 % 5) * 8


def test_mid_run_changes_are_recorded_and_replayed():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2, metric_stride=10)
    gd.step(20)
    gd.optimizer = Optimizer(kind="momentum", batch_size=4)
    gd.step(25)
    gd.alpha = 0.05
    gd.optimizer = Optimizer(kind="momentum", batch_size=4, lam=0.5)
    gd.step(25)
    assert [(i, o.kind, o.batch_size, o.lam) for i, o in gd.history.optimizer_changes] == [
        (0, "gd", None, 0.0), (20, "momentum", 4, 0.0), (45, "momentum", 4, 0.5)]
    w, b, c1 = gradient_descent_reference(X, Y, 0.2, 20)
    assert np.allclose(gd.history.costs.values[:20], c1, rtol=1e-12)
    theta, state = gd.full_state_at(57)
    replayed = gd.theta.copy()
    gd.rewind(57)
    assert np.array_equal(gd.theta, theta) and gd.opt_state.epoch == state.epoch
    gd.step(13)
    assert np.allclose(gd.theta, replayed, rtol=1e-13, atol=1e-15)


def test_adam_moves_a_gram_run_to_the_primal_path():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2)
    gd.step(10)
    w = gd.w
    gd.optimizer = Optimizer(kind="adam", batch_size=3)
    assert gd.method == "primal" and np.allclose(gd.w, w) and gd.replay_from == 10
    assert gd.step(10) == 10 and np.all(np.isfinite(gd.w)) and gd.cost < gd.history.costs.values[0]


def test_the_engine_asserts_only_what_it_needs():
    """B > m is batch descent in the engine (refusing it is the settings' rule, at the boundary); an optimizer
    it has no step for, or a batch that never ends an epoch, is refused here."""
    X, Y = make_problem(5, 6)
    gd = GradientDescent(X, Y, optimizer=Optimizer(batch_size=7))
    assert gd.optimizer.is_plain(6) and gd.step(3) == 3
    for bad in (dict(batch_size=0), dict(batch_size=2.0), dict(kind="sgd"), dict(decay_kind="step")):
        with pytest.raises(ValueError):
            Optimizer(**bad)


def test_stochastic_descent_does_not_flag_noisy_batch_costs_as_divergence():
    X, Y = make_problem(10, 60, seed=5, scale=3.0)
    gd = GradientDescent(X, Y, alpha=0.05, metric_stride=20, optimizer=Optimizer(batch_size=1))
    gd.step(600)
    assert gd.diverged_at is None and gd.cost < gd.start_cost


@pytest.mark.course
def test_course_figures_are_unchanged_by_explicit_defaults(course):
    train, test = course
    gd = GradientDescent(train.X, train.Y, alpha=0.005, X_test=test.X, Y_test=test.Y,
                         optimizer=Optimizer(batch_size=train.m, lam=0.0, decay=0.0))
    gd.step(2000)
    assert round(gd.history.costs.values[0], 6) == 0.693147 and round(gd.history.costs.values[1900], 6) == 0.140872
    m = gd.metrics()
    assert m["train_accuracy"] == pytest.approx(99.04306220095694) and m["test_accuracy"] == pytest.approx(70.0)


@pytest.mark.course
@pytest.mark.parametrize("kind", ["momentum", "adam"])
def test_course_data_mini_batches_follow_the_reference(course, kind):
    train, _ = course
    opt = Optimizer(kind=kind, batch_size=64, lam=0.7)
    gd = GradientDescent(train.X, train.Y, alpha=0.001, optimizer=opt)
    assert gd.method == ("gram" if kind == "momentum" else "primal")
    gd.step(30)
    w, b, costs = optimize_reference(train.X, train.Y, 0.001, 30, kind=kind, batch_size=64, lam=0.7)
    assert np.allclose(gd.history.costs.values, costs, rtol=1e-11)
    assert np.allclose(gd.w, w, rtol=1e-9, atol=1e-12)


def test_the_ghost_of_a_mini_batch_run_follows_its_optimizer():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2, optimizer=Optimizer(kind="momentum", batch_size=5))
    gd.step(17)
    theta, state = gd.full_state_at(7)
    ghost, thetas = gd.simulate(theta, 0.2, 10, every=5, state=state)
    assert np.allclose(ghost, gd.history.costs.values[7:17], rtol=1e-13)
    assert thetas.shape == (2, gd.param.dim) and np.array_equal(thetas[0], theta)
