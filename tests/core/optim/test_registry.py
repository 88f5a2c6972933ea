"""Every optimizer in the registry, whatever it is: its spec is whole, and the engine follows its plain reference
on every path (Gram and primal, batch and mini-batch, with L2 and decay), on small problems and the course's data."""

import importlib
from dataclasses import fields

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.stability import edge_of_stability
from visualizer.core.optim import optimizers
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import HYPERS, SPECS, STATE_ARRAYS
from visualizer.core.reference.optimizers import STEPS, optimize_reference
from visualizer.model.settings import RunSettings

KINDS = list(SPECS)
#: (kind, method, batch): the Gram path only for the kinds that keep w in the span (the others are refused there)
PATHS = [(k, method, batch) for k in KINDS for method in ("gram", "primal") for batch in (None, 5)
         if method == "primal" or SPECS[k].span_preserving]
EXTRAS = [dict(), dict(lam=0.8), dict(decay=0.3), dict(lam=2.0, decay=0.05, decay_kind="exponential")]


def test_the_lists_others_import_derive_from_the_registry():
    assert tuple(SPECS) == optimizers.KINDS
    assert tuple(k for k, s in SPECS.items() if s.span_preserving) == optimizers.SPAN_PRESERVING
    assert {"gd", "momentum", "rmsprop", "adam"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_spec_is_whole(kind):
    spec = SPECS[kind]
    assert spec.key == kind and spec.label and spec.short and spec.name and spec.rule
    module, name = spec.reference.rsplit(".", 1)
    assert getattr(importlib.import_module(module), name) is STEPS[kind]  # the pointer names its plain version
    assert (spec.edge is None) == bool(spec.no_edge) == (not spec.edge_formula)
    assert not (spec.span_preserving and spec.edge is None and "coordinate" in spec.no_edge)


def test_hyperparameters_are_fields_of_the_optimizer_and_the_settings_with_their_defaults():
    for name, hyper in HYPERS.items():
        assert getattr(Optimizer(), name) == getattr(RunSettings(), name) == hyper.default
        assert Optimizer(**{name: hyper.default}) == Optimizer()
    own = {f.name for f in fields(Optimizer)} - {"kind", "batch_size", "lam", "decay", "decay_kind"}
    assert own == set(HYPERS)


@pytest.mark.parametrize("kind", KINDS)
def test_the_state_a_step_keeps_is_what_the_spec_says(kind):
    X, Y = make_problem(6, 12, seed=1)
    gd = GradientDescent(X, Y, alpha=0.05, method="primal", optimizer=Optimizer(kind, batch_size=4))
    gd.step(3)
    assert set(gd.opt_state.arrays) == {a.name for a in SPECS[kind].state} <= set(STATE_ARRAYS)
    assert gd.opt_state.t == 3


@pytest.mark.parametrize("extra", EXTRAS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()) or "plain")
@pytest.mark.parametrize("kind, method, batch", PATHS)
def test_the_engine_follows_the_plain_reference_on_every_path(kind, method, batch, extra):
    n_x, m = (30, 12) if method == "gram" else (6, 12)
    for init in ("zeros", "random"):  # random: w0 is a column of its own on the Gram path
        X, Y = make_problem(n_x, m, seed=7)
        opt = dict(kind=kind, batch_size=batch, **extra)
        gd = GradientDescent(X, Y, alpha=0.05, seed=3, init=init, method=method, optimizer=Optimizer(**opt))
        w0 = gd.param.w(gd.theta_start)
        gd.step(40)
        w, b, costs = optimize_reference(X, Y, 0.05, 40, seed=3, w0=w0, **opt)
        assert gd.method == method
        assert np.allclose(gd.history.costs.values, costs, rtol=1e-12, atol=1e-14)
        assert np.allclose(gd.w, w, rtol=1e-11, atol=1e-13) and gd.b == pytest.approx(b, rel=1e-11, abs=1e-13)


@pytest.mark.parametrize("kind", [k for k in KINDS if not SPECS[k].span_preserving])
def test_coordinate_wise_optimizers_are_refused_on_the_gram_path(kind):
    X, Y = make_problem(50, 10)
    assert GradientDescent(X, Y, optimizer=Optimizer(kind)).method == "primal"
    with pytest.raises(ValueError, match="primal path only"):
        GradientDescent(X, Y, optimizer=Optimizer(kind), method="gram")


@pytest.mark.parametrize("kind", KINDS)
def test_replays_and_rewinds_follow_every_optimizer(kind):
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.1, metric_stride=10, optimizer=Optimizer(kind, batch_size=5, lam=0.3))
    gd.step(23)
    after = gd.theta.copy()
    theta, state = gd.full_state_at(9)
    ghost, _ = gd.simulate(theta, 0.1, 14, state=state)
    assert np.allclose(ghost, gd.history.costs.values[9:23], rtol=1e-13)
    gd.rewind(9)
    assert np.array_equal(gd.theta, theta)
    gd.step(14)
    assert np.allclose(gd.theta, after, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_the_edge_of_stability_is_a_formula_or_a_sentence(kind):
    X, Y = make_problem(10, 20, seed=2)
    opt = Optimizer(kind, beta=0.5)
    edge = edge_of_stability(GradientDescent(X, Y, method="primal", optimizer=opt))
    spec = SPECS[kind]
    if spec.edge is None:
        assert edge.alpha is None and edge.reason == "adaptive" and edge.why == spec.no_edge
    else:
        assert edge.alpha > 0 and edge.formula == spec.edge_formula


def quadratic(kind: str, alpha: float, curvature: float, beta: float, steps: int = 4000) -> float:
    """The kind's plain step on J = curvature·w²/2 from w = 1: |w| at the end."""
    w, b = np.array([1.0]), 0.0
    state = {"v_w": np.zeros(1), "v_b": 0.0, "s_w": np.zeros(1), "s_b": 0.0, "t": 0}
    hp = {"beta": beta, "beta1": beta, "beta2": 0.999, "epsilon": 1e-8}

    def gradients(w_at, b_at):
        return curvature * w_at, 0.0

    for _ in range(steps):
        if not abs(w[0]) < 1e12:
            return abs(w[0])
        dw, db = gradients(w, b)
        w, b = STEPS[kind](w, b, dw, db, gradients, alpha, state, hp)
    return abs(w[0])


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("curvature", [0.3, 4.0])
@pytest.mark.parametrize("kind", [k for k in KINDS if SPECS[k].edge is not None])
def test_each_edge_formula_separates_convergence_from_blow_up_on_a_quadratic(kind, beta, curvature):
    edge = SPECS[kind].edge(curvature, Optimizer(kind, beta=beta))
    assert quadratic(kind, 0.97 * edge, curvature, beta) < 1e-3
    assert not quadratic(kind, 1.03 * edge, curvature, beta) < 1e3  # NaN once it overflows


@pytest.mark.course
@pytest.mark.parametrize("kind", KINDS)
def test_course_data_follows_the_reference(course, kind):
    train, _ = course
    for opt in (dict(kind=kind, batch_size=64, lam=0.7), dict(kind=kind, decay=0.2)):
        gd = GradientDescent(train.X, train.Y, alpha=0.001, optimizer=Optimizer(**opt))
        assert gd.method == ("gram" if SPECS[kind].span_preserving else "primal")
        gd.step(30)
        w, b, costs = optimize_reference(train.X, train.Y, 0.001, 30, **opt)
        assert np.allclose(gd.history.costs.values, costs, rtol=1e-11)
        assert np.allclose(gd.w, w, rtol=1e-9, atol=1e-12) and gd.b == pytest.approx(b, rel=1e-9, abs=1e-12)
