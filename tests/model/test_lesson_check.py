"""The lesson checker measures what the window's own run does: J, accuracies, losses, the edge and the path."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.stability import stable_alpha
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.dataset import Dataset
from visualizer.model.expectations import parse
from visualizer.model.lesson_check import check
from visualizer.model.settings import RunSettings


def dataset(X, Y) -> Dataset:
    m = X.shape[1]
    return Dataset(X=X, Y=Y.astype(np.int64), images=np.zeros((m, 2, 2, 3), np.uint8), names=[str(i) for i in range(m)],
                   classes=("no", "yes"), source="made")


@pytest.fixture(scope="module")
def problem():
    X, Y = make_problem(30, 40, seed=3)
    return dataset(X[:, :28], Y[:, :28]), dataset(X[:, 28:], Y[:, 28:])


def results(problem, settings, *sentences):
    train, test = problem
    return check([parse(s) for s in sentences], train, test, settings)


def test_values_are_those_of_the_run_the_window_makes(problem):
    train, test = problem
    gd = GradientDescent(train.X, train.Y, alpha=0.3, X_test=test.X, Y_test=test.Y)
    gd.step(120)
    m = gd.metrics()
    J = np.append(gd.history.costs.values, gd.cost)
    r = results(problem, RunSettings(alpha=0.3), "J at 120 < J at 0", "train accuracy at 120 >= 0",
                "test J at 120 > 0", "max J in 0..120 >= 0", "largest loss at 120 > 0")
    assert all(x.holds for x in r)
    assert r[0].measured == f"J at 120 = {J[120]:.6g}; J at 0 = {J[0]:.6g}"
    assert r[1].measured == f"train accuracy at 120 = {m['train_accuracy']:.6g}"
    assert r[2].measured == f"test J at 120 = {m['test_cost']:.6g}"
    assert r[3].measured == f"max J in 0..120 = {J.max():.6g} at iteration {int(np.argmax(J))}"
    largest = gd.loss.values(gd.z, gd.y).max()
    assert r[4].measured == f"largest loss at 120 = {largest:.6g}"


def test_a_failing_expectation_says_what_was_measured(problem):
    (r,) = results(problem, RunSettings(alpha=0.3), "J at 50 > J at 0")
    assert not r.holds and r.line().startswith("FAILS: J at 50 > J at 0  [J at 50 = ")


def test_the_path_zig_zags_between_one_and_two_over_lambda_and_not_below(problem):
    """Along the top direction a step of α in (1/λ, 2/λ) lands across the valley: the next one comes back."""
    train, _ = problem
    edge = stable_alpha(GradientDescent(train.X, train.Y))  # 2/λmax at the start
    fast, slow = results(problem, RunSettings(alpha=0.9 * edge), "path zig-zags at every step in 0..10",
                         "J falls at every step in 0..10")
    assert fast.holds and slow.holds, (fast.measured, slow.measured)
    (calm,) = results(problem, RunSettings(alpha=0.3 * edge), "path never zig-zags in 0..10")
    assert calm.holds, calm.measured


def test_counts_and_verdicts_of_j_in_a_range(problem):
    r = results(problem, RunSettings(alpha=50.0), "J rises at least once in 0..5", "J in 0..300 is unstable at first",
                "J in 0..300 is diverged", "rising losses in 0..3 >= 1")
    assert [x.holds for x in r] == [True, True, False, True]
    assert r[1].measured.startswith("unstable at first: J rose from 0.693 to ")


def test_each_with_gets_its_own_run_from_the_same_start(problem):
    r = results(problem, RunSettings(alpha=0.01), "with alpha = 0.3: J at 100 < 0.5 * J at 0",
                "J at 100 > 0.5 * J at 0", "with loss = squared-error: J at 0 < 0.2")
    assert [x.holds for x in r] == [True, True, True]


def test_mini_batches_are_checked_on_the_full_j(problem):
    train, test = problem
    settings = RunSettings(alpha=0.3, batch_size=4)
    (r,) = results(problem, settings, "J at 30 < J at 0")
    gd = GradientDescent(train.X, train.Y, alpha=0.3, X_test=test.X, Y_test=test.Y, optimizer=Optimizer(batch_size=4))
    gd.step(30)
    assert r.measured.startswith(f"J at 30 = {gd.cost:.6g}")  # not the cost of iteration 30's batch


def test_the_lowest_test_j_is_found_between_the_metric_rows(problem):
    train, test = problem
    gd = GradientDescent(train.X, train.Y, alpha=0.3, X_test=test.X, Y_test=test.Y)
    tests = []
    for _ in range(60):
        tests.append(gd.metrics()["test_cost"])
        gd.step(1)
    tests.append(gd.metrics()["test_cost"])
    (r,) = results(problem, RunSettings(alpha=0.3), "min test J in 0..60 <= test J at 60")
    k = int(np.argmin(tests))
    assert r.holds and r.measured.startswith(f"min test J in 0..60 = {tests[k]:.6g} at iteration {k}")


def test_a_run_that_stops_being_finite_fails_what_it_never_reached(problem):
    train, test = problem
    huge = (dataset(train.X * 1e152, train.Y), None)
    r = check([parse("J at 500 < 10"), parse("J in 0..500 is diverged"), parse("J rises at least once in 0..500")],
              *huge, RunSettings(alpha=1e6))
    assert [x.holds for x in r] == [False, False, False]
    assert r[0].measured == "J at 500 = not reached" and r[1].measured.startswith("the run stopped at iteration")
