"""The cost CSV ends where the run rests: the J and accuracies the window shows after N steps."""

import numpy as np

from visualizer.core import GradientDescent
from visualizer.formats import exports


def test_the_cost_csv_ends_at_the_iteration_the_run_rests_on():
    """Its rows stopped at N - 1: the J of iteration N (0.123 in the notice) and the end accuracies were not in it."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 30)), (rng.random((1, 30)) > 0.5).astype(float)
    gd = GradientDescent(X, Y, alpha=0.1, X_test=X[:, :10], Y_test=Y[:, :10], metric_stride=5)
    gd.step(10)
    rows = [r.split(",") for r in exports.cost_csv({"run": gd.history}).splitlines()[1:]]
    assert [int(r[1]) for r in rows] == list(range(11))
    last = rows[-1]
    assert float(last[2]) == gd.cost and float(last[4]) == gd.metrics()["train_accuracy"]
    assert float(last[5]) == gd.metrics()["test_accuracy"] and float(last[6]) == 0.1
