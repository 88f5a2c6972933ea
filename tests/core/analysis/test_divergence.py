"""The sentence about a blow-up blames what changed last, counts from it, and names only measured edges."""

from visualizer.core import GradientDescent
from visualizer.core.analysis.divergence import explain_divergence
from visualizer.core.analysis.stability import EdgeProbe
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import load_data


def demo_run(**kwargs) -> GradientDescent:
    train, test = load_data()
    gd = GradientDescent(train.X, train.Y, X_test=test.X, Y_test=test.Y, metric_stride=50, **kwargs)
    gd.probe = EdgeProbe()
    gd.step(0)
    return gd


def test_a_switch_of_optimizer_is_blamed_and_counted_from():
    """Momentum at α = 0.0135, then Adam: it said "α = 0.0135 is too large ... in 1502 iterations"."""
    gd = demo_run(alpha=0.0135, optimizer=Optimizer("momentum"))
    gd.step(1500)
    gd.optimizer = Optimizer("adam")
    gd.step(100)
    text = explain_divergence(gd.history, gd.diverged_at, gd.m)
    assert gd.diverged_at == 1502
    assert text == "After the switch to Adam at iteration 1500 (α = 0.0135), the cost rose from 0.069 to 38.1 in " \
                   "2 iterations."


def test_alpha_above_the_measured_edge_is_said_with_where_it_was_measured():
    gd = demo_run(alpha=0.005)
    gd.step(120)
    gd.alpha = 5.0
    gd.step(50)
    k = gd.diverged_at
    its, edges = gd.history.metric("edge", 120)
    text = explain_divergence(gd.history, k, gd.m)
    assert text.startswith(f"α = 5 is above the edge of stability ≈ {edges[-1]:.3g} measured at iteration 100: "
                           f"the cost rose from {gd.history.costs.at(120)[1]:.2g}")
    assert f"in {k - 120} iteration" in text


def test_without_a_measured_edge_alpha_is_not_called_too_large():
    gd = demo_run(alpha=5.0, optimizer=Optimizer("adam"))  # no single edge for Adam
    gd.step(50)
    text = explain_divergence(gd.history, gd.diverged_at, gd.m)
    assert text.startswith("With α = 5, the cost rose from 0.69") and "edge" not in text
