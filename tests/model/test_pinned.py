"""Kept cost curves ("Keep this run"), without a window: what is kept, its label, and the state's list."""

import numpy as np
import pytest

from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import load_data
from visualizer.model.pinned import MAX_PINNED, MAX_POINTS, data_name, pinned_curve
from visualizer.model.settings import RunSettings
from visualizer.model.state import DataSets, WindowState


@pytest.fixture(scope="module")
def demo():
    return load_data()


def small(m=40, n=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    return X, (X[0:1] + 0.3 * rng.normal(size=(1, m)) > 0).astype(int)


def test_a_kept_curve_is_the_runs_costs_with_its_alpha_and_examples_seen():
    X, Y = small()
    gd = GradientDescent(X, Y, alpha=0.1)
    gd.step(30)
    gd.alpha = 0.2
    gd.step(20)
    curve = pinned_curve(gd.history, 50, RunSettings(alpha=0.2), 40, "/data/course/train_catvnoncat.h5")
    assert list(curve.iterations) == list(range(50))
    assert np.array_equal(curve.costs, gd.history.costs.values[:50])
    assert list(curve.alphas[[0, 29, 30, 49]]) == [0.1, 0.1, 0.2, 0.2]
    assert np.array_equal(curve.x("examples"), 40 * np.arange(50)) and curve.x("epochs")[10] == 10
    assert curve.label == ("α=0.2, gradient descent, B=all, λ=0, changed at 30 · train_catvnoncat.h5")
    assert curve.short == "α=0.2 GD"


def test_with_mini_batches_the_full_cost_is_kept_and_the_label_names_every_hyperparameter():
    X, Y = small()
    opt = Optimizer(kind="adam", batch_size=8, lam=0.5, decay=0.1, decay_kind="exponential")
    gd = GradientDescent(X, Y, alpha=0.01, optimizer=opt, metric_stride=5)
    gd.step(25)
    settings = RunSettings(alpha=0.01, optimizer="adam", batch_size=8, lam=0.5, decay=0.1,
                           decay_kind="exponential", loss="squared-error")
    curve = pinned_curve(gd.history, 25, settings, 40, "assets/demo/train")
    its, full = gd.history.metric("train_cost", 25)
    assert np.array_equal(curve.iterations, its) and np.array_equal(curve.costs, full)  # not one batch's J
    assert np.array_equal(curve.seen, 8 * its)
    assert curve.label == ("α=0.01, Adam β₁=0.9 β₂=0.999 ε=1e-08, B=8, λ=0.5, exponential decay 0.1, "
                           "loss=squared-error · demo/train")
    assert curve.short == "α=0.01 Adam B=8 λ=0.5"


def test_a_long_run_is_kept_at_most_max_points_points():
    X, Y = small(m=10, n=2)
    gd = GradientDescent(X, Y, alpha=0.01)
    gd.step(MAX_POINTS + 10)
    curve = pinned_curve(gd.history, MAX_POINTS + 10, RunSettings(alpha=0.01), 10, "x.h5")
    assert MAX_POINTS // 2 <= curve.costs.size <= MAX_POINTS and curve.iterations[1] == 2


def test_data_names():
    assert data_name("/a/b/train_catvnoncat.h5") == "train_catvnoncat.h5"
    assert data_name("assets/demo/test") == "demo/test" and data_name("pets") == "pets"


def test_the_state_keeps_removes_and_restores_curves_with_one_event_each(demo):
    state = WindowState(DataSets(*demo))
    X, Y = small()
    gd = GradientDescent(X, Y)
    gd.step(5)
    curve = pinned_curve(gd.history, 5, RunSettings(), 40, "x.h5")
    heard = []
    state.events.pinned.connect(lambda new, old: heard.append(len(new)))
    for _ in range(MAX_PINNED):
        state.keep(curve)
    with pytest.raises(ValueError, match="remove one first"):
        state.keep(curve)
    state.unpin(0)
    with pytest.raises(ValueError):
        state.unpin(MAX_PINNED)
    kept = state.pinned
    state.change_settings(alpha=0.02, loss="squared-error")  # a new α, a new run: the curves stay
    state.set_data(*demo, fresh=True)
    assert state.pinned is kept
    state.unpin()
    state.set_pinned(kept)
    assert heard == [*range(1, MAX_PINNED + 1), MAX_PINNED - 1, 0, MAX_PINNED - 1]
