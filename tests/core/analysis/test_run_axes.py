"""Iterations as epochs and examples seen, through changes of batch size; change marks in words."""

import numpy as np
import pytest

from visualizer.core.analysis.run_axes import describe_change, examples_seen, from_axis, to_axis
from visualizer.core.optim.optimizers import Optimizer

M = 100
CHANGES = [(0, Optimizer()), (10, Optimizer(batch_size=20)), (30, Optimizer(batch_size=1))]


def brute_force_seen(it: int) -> int:
    """Count example by example, the slow way."""
    seen = 0
    for i in range(it):
        batch = [opt for start, opt in CHANGES if start <= i][-1].batch(M)
        seen += batch
    return seen


@pytest.mark.parametrize("it", [0, 1, 9, 10, 11, 29, 30, 31, 100, 5000])
def test_examples_seen_counts_each_step_s_batch(it):
    assert examples_seen(CHANGES, M, [it])[0] == brute_force_seen(it)
    assert to_axis("epochs", CHANGES, M, [it])[0] == pytest.approx(brute_force_seen(it) / M)
    assert to_axis("iterations", CHANGES, M, [it])[0] == it


@pytest.mark.parametrize("unit", ["iterations", "epochs", "examples"])
def test_from_axis_inverts_to_axis(unit):
    its = np.array([0, 3, 10, 17, 30, 45, 999])
    for it, x in zip(its, to_axis(unit, CHANGES, M, its), strict=True):
        assert from_axis(unit, CHANGES, M, x) == pytest.approx(it)


def test_a_batch_larger_than_m_counts_m():
    assert examples_seen([(0, Optimizer(batch_size=500))], M, [3])[0] == 3 * M


def test_describe_change_names_what_changed():
    assert describe_change(Optimizer(), Optimizer("adam"), M) == "Adam"
    assert describe_change(Optimizer(), Optimizer(batch_size=64), M) == "B=64"
    assert describe_change(Optimizer(batch_size=64), Optimizer(), M) == "B=all"
    assert describe_change(Optimizer("momentum"), Optimizer("momentum", beta=0.5, lam=0.1), M) == "β=0.5, λ=0.1"
    assert describe_change(Optimizer(), Optimizer(decay=0.05, decay_kind="exponential"), M) == (
        "decay=0.05, exponential decay")
