"""The verdicts of a cost curve: one definition of falls, up and down, unstable at first, diverged."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.verdicts import judge, run_sentence, run_verdict
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import load_data


@pytest.mark.parametrize("costs, kind", [
    ([0.7, 0.6, 0.5, 0.4], "falls"),
    ([0.7, 0.5, 0.6, 0.3], "oscillates"),
    ([0.7, 2.0, 0.9, 0.1], "unstable"),
    ([0.7, 0.5, 0.9], "diverges"),
    ([0.7, 0.5, np.inf], "diverges"),
    ([0.7, 0.7, 0.7], "flat"),
    ([0.7], "flat"),
])
def test_each_kind(costs, kind):
    assert judge(costs).kind == kind


def test_unstable_names_its_peak_and_where_it_fell_to():
    v = judge([0.693, 2.28, 5.0, 1.0, 0.12], first=100)
    assert (v.kind, v.peak, v.peak_at, v.end, v.last) == ("unstable", 5.0, 102, 0.12, 104)
    assert v.sentence() == ("unstable at first: J rose from 0.693 to 5 at iteration 102, then fell to 0.12 at "
                            "iteration 104, below where it began.")
    assert not v.diverged


def test_a_rise_of_rounding_size_is_no_rise():
    """J near 1e-8 is a difference of numbers near 30: its last digits are noise, not a rise."""
    v = judge([0.693, 0.1, 1e-8, 1e-8 + 1e-14, 5e-9])
    assert v.kind == "falls" and v.rises == 0


def test_not_finite_ends_the_stretch_and_is_diverged():
    v = judge([0.7, 3.0, np.nan, 1.0])
    assert v.diverged and v.not_finite_at == 2 and v.end == 3.0
    assert "not finite from iteration 2" in v.sentence()


def test_a_run_that_ends_above_its_start_diverged_and_says_by_how_much():
    v = judge([0.125, 0.266, 0.2, 0.159])
    assert v.diverged
    assert v.sentence() == ("diverged: J ended at 0.159 at iteration 3, above 0.125 where it began at iteration 0; "
                            "its peak was 0.266 at iteration 1.")


def test_separable_data_large_steps_are_unstable_then_converge_not_diverged():
    """make_problem's labels are separable: α = 50 threw J up 1000-fold, then below its start (it was 'diverged')."""
    X, Y = make_problem(40, 20, seed=2, scale=3.0)
    gd = GradientDescent(X, Y, alpha=50.0)
    gd.step(300)
    v = run_verdict(gd)
    assert v.kind == "unstable" and not v.diverged
    assert v.peak > 100 * v.start and v.end < v.start


def test_non_separable_data_with_large_steps_diverges():
    rng = np.random.default_rng(0)
    X, Y = rng.random((3, 60)), (rng.random((1, 60)) < 0.5).astype(float)
    gd = GradientDescent(X, Y, alpha=100.0)
    gd.step(2000)
    v = run_verdict(gd)
    assert v.diverged and v.end > v.start and gd.diverged_at is None  # finite all along: it ends above


def test_the_verdict_is_of_the_current_alpha_from_where_it_took_over():
    X, Y = make_problem(40, 20, seed=2, scale=3.0)
    gd = GradientDescent(X, Y, alpha=50.0)
    gd.step(2)  # at J's peak
    gd.alpha = 0.01
    gd.step(30)
    v = run_verdict(gd)
    assert (v.first, v.last, v.kind) == (2, 32, "falls")
    assert run_verdict(gd, since=0).kind == "diverges"  # from iteration 0, J is still above 0.693


def test_a_thinned_history_still_starts_at_the_stretch():
    X, Y = make_problem(10, 8, seed=1)
    gd = GradientDescent(X, Y, alpha=0.5)
    gd.history.costs.capacity = 16
    gd.step(7)
    at_seven = gd.cost
    gd.alpha = 0.05
    gd.step(100)
    v = run_verdict(gd)
    assert gd.history.costs.stride > 1 and 7 % gd.history.costs.stride  # iteration 7 is no longer stored
    assert (v.first, v.start, v.kind) == (7, at_seven, "falls")


def test_mini_batches_are_judged_on_the_full_cost():
    """A batch's own J jumps at every step; the full J at the metric rows is the curve the learner reads."""
    X, Y = make_problem(10, 64, seed=3)
    gd = GradientDescent(X, Y, alpha=0.05, metric_stride=10, optimizer=Optimizer(batch_size=8))
    gd.step(200)
    v = run_verdict(gd)
    assert judge(gd.history.costs.values).kind != "falls"  # the batch costs go up and down
    assert v.every == 10 and v.kind == "falls"


def test_a_switch_of_optimizer_is_blamed_and_counted_from():
    """Momentum at α = 0.0135, then Adam (was core/analysis/divergence.py): the sentence names the switch and
    judges J from it; two steps in J is above where Adam took over (diverged), 100 steps in below (unstable)."""
    train, _ = load_data()
    gd = GradientDescent(train.X, train.Y, alpha=0.0135, optimizer=Optimizer("momentum"))
    gd.step(1500)
    start = gd.cost
    gd.optimizer = Optimizer("adam")
    gd.step(2)
    assert run_sentence(gd) == (f"After the switch to Adam at iteration 1500 (α = 0.0135): diverged: J ended at "
                                f"{gd.cost:.3g} at iteration 1502, above {start:.3g} where it began at iteration 1500.")
    gd.step(98)
    assert gd.cost < start
    assert run_sentence(gd).startswith(f"After the switch to Adam at iteration 1500 (α = 0.0135): unstable at first: "
                                       f"J rose from {start:.3g} to ")


def test_without_a_switch_the_sentence_names_the_alpha_in_force():
    X, Y = make_problem(5, 40)
    gd = GradientDescent(X, Y, alpha=0.05, optimizer=Optimizer("momentum"))
    gd.step(10)
    gd.alpha = 0.01
    gd.step(10)
    verdict = run_verdict(gd)
    assert verdict.first == 10 and run_sentence(gd) == f"α = 0.01: {verdict.sentence()}"


def test_a_rise_late_in_the_run_is_not_called_unstable_at_first():
    late = judge([0.693, 0.6, 0.5, 0.4, 0.3, 0.2, 2.19, 0.113])  # a network near the edge of stability
    assert late.kind == "unstable"
    assert late.sentence().startswith("unstable: J rose from 0.693 to 2.19 at iteration 6, then fell to 0.113")
    assert judge([0.693, 2.19, 0.5, 0.113]).sentence().startswith("unstable at first: ")
