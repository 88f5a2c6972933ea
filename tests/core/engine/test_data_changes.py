"""An edit of the data undone before any step gives the run back whole, its past replayable again."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer


@pytest.fixture
def run():
    X, Y = make_problem(30, 12)  # m < n_x: the Gram path, whose matrix an added example extends
    gd = GradientDescent(X, Y, alpha=0.5)
    gd.step(20)
    return gd


def test_an_addition_undone_before_a_step_gives_the_run_back(run):
    X, y = run.param.X, run.y.copy()
    theta, at_5 = run.theta.copy(), run.state_at(5)
    saved = run.before_edit()
    run.add_examples(np.ones((30, 1)), np.ones((1, 1)))
    assert run.m == 13 and run.replay_from == 20
    assert run.undo_edit(saved)
    assert run.m == 12 and run.param.X is X and np.array_equal(run.y, y) and np.array_equal(run.theta, theta)
    assert run.replay_from == 0 and np.array_equal(run.state_at(5), at_5)
    run.step(3)
    fresh = GradientDescent(X, y.reshape(1, -1), alpha=0.5)
    fresh.step(20)
    fresh.step(3)  # in the same chunks: a chunk's rounding is its own
    assert np.array_equal(run.theta, fresh.theta)  # the same run, to the last bit


def test_after_a_step_nothing_is_given_back(run):
    saved = run.before_edit()
    run.replace_data(run.param.X[:, :10], run.y[:10])
    run.step(1)
    assert not run.undo_edit(saved) and run.m == 10 and run.replay_from == 20


def test_another_optimizer_since_the_edit_keeps_the_edit(run):
    saved = run.before_edit()
    run.replace_data(run.param.X[:, :10], run.y[:10])
    run.optimizer = Optimizer("adam")
    assert not run.undo_edit(saved) and run.m == 10


def test_the_alpha_chosen_since_the_edit_stays(run):
    saved = run.before_edit()
    run.replace_data(run.param.X[:, :10], run.y[:10])
    run.alpha = 0.1
    assert run.undo_edit(saved) and run.alpha == 0.1 and run.m == 12
