"""The cost panel draws from the run's history: drawing again, or drawing another run, leaves nothing behind."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.app.panels.cost_curve import CostCurvePanel
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer


@pytest.fixture
def panel(qtbot):
    p = CostCurvePanel()
    qtbot.addWidget(p)
    p.resize(500, 600)
    p.show()
    qtbot.waitExposed(p)
    return p


def run(alpha=0.5, optimizer=None):
    X, Y = make_problem(6, 40)
    return GradientDescent(X, Y, alpha=alpha, metric_stride=10, optimizer=optimizer)


def legend_names(plot) -> list[str]:
    return [label.text for _, label in plot.legend.items]


def shown_marks(panel) -> list[tuple[float, str]]:
    return [(line.value(), line.label.textItem.toPlainText()) for line in panel.alpha_marks if line.isVisible()]


def test_the_legend_lists_the_ghost_once_and_only_while_it_is_drawn(panel):
    """Every alpha change added an "old α (ghost)" entry; Reset kept them all."""
    gd = run()
    gd.step(30)
    for start in (10, 20, 30):  # three alpha changes, each with its ghost
        panel.show_history(gd.history, gd.iteration, m=gd.m)
        panel.show_ghost_costs(start, np.linspace(0.6, 0.5, 50))
        assert legend_names(panel.plot).count("old α (ghost)") == 1
    panel.show_ghost_costs(0, [])  # Reset: no ghost
    assert "old α (ghost)" not in legend_names(panel.plot)
    panel.show_ghost_costs(5, np.linspace(0.6, 0.5, 50))
    panel.show_ghost.setChecked(False)  # not drawn: not listed
    assert "old α (ghost)" not in legend_names(panel.plot)


def test_after_reset_the_cost_axis_fits_the_new_run(panel):
    """The y-axis stayed at 0-15 for a J of 0.69: it was fitted before the old ghost was taken away."""
    gd = run()
    gd.step(20)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    panel.show_ghost_costs(10, np.linspace(1.0, 14.0, 40))  # an old alpha's ghost that blew up
    panel.show_history(gd.history, gd.iteration, m=gd.m)  # the next frame
    assert panel.plot.vb.viewRange()[1][1] >= 14
    fresh = run()  # Reset: a new run at iteration 0, and no ghost
    panel.show_history(fresh.history, 0, now=(0, fresh.cost), m=fresh.m)
    panel.show_ghost_costs(0, [])
    assert panel.plot.vb.viewRange()[1][1] < 1.0


def test_change_marks_after_reset_read_this_runs_changes(panel):
    """After Reset a new mark carried the text of the old run's mark at its place: "λ=1" on an alpha change."""
    old = run()
    old.step(20)
    old.optimizer = Optimizer(lam=1.0, decay=0.1)
    old.step(20)
    panel.show_history(old.history, old.iteration, m=old.m)
    assert [text for _, text in shown_marks(panel)] == ["λ=1, decay=0.1"]
    new = run(optimizer=Optimizer(lam=1.0, decay=0.1))  # Reset keeps the settings: no change to mark
    panel.show_history(new.history, 0, m=new.m)
    assert shown_marks(panel) == []
    new.step(15)
    new.alpha = 0.002
    new.step(10)
    panel.show_history(new.history, new.iteration, m=new.m)
    assert shown_marks(panel) == [(15, "α=0.002")]


def test_a_mark_shown_again_reads_its_own_change(panel):
    """In an Adam run a decay mark read "momentum": a hidden line kept its old text when shown again."""
    mom = run(optimizer=Optimizer("momentum"))
    mom.step(10)
    mom.optimizer = Optimizer("adam")
    mom.step(10)
    panel.show_history(mom.history, mom.iteration, m=mom.m)
    assert [text for _, text in shown_marks(panel)] == ["Adam"]
    panel.show_history(run().history, 0, m=40)  # another run: no marks
    adam = run(optimizer=Optimizer("adam"))
    adam.step(10)
    adam.optimizer = Optimizer("adam", decay=0.1)
    adam.step(10)
    panel.show_history(adam.history, adam.iteration, m=adam.m)
    assert shown_marks(panel) == [(10, "decay=0.1")]


def test_drawing_twice_changes_nothing(panel):
    gd = run()
    gd.step(25)
    gd.alpha = 0.1
    gd.step(25)
    for _ in range(2):
        panel.show_history(gd.history, gd.iteration, m=gd.m)
        panel.show_ghost_costs(25, np.linspace(0.6, 0.5, 30))
        panel.show_stability(gd.history, gd.iteration)
        drawn = (legend_names(panel.plot), legend_names(panel.acc), legend_names(panel.stability),
                 shown_marks(panel), panel.plot.vb.viewRange())
        if _ == 0:
            first = drawn
    assert drawn == first


def test_an_alpha_on_a_half_decade_is_drawn_inside_the_axis_not_on_its_edge(panel):
    """Lessons 02 and 04 (α = 0.001): the α line lay on the bottom axis line, barely visible."""
    for lo, hi in ((1e-3, 1e-3), (1e-3, 0.0316), (0.02, 0.1)):
        panel.edge.log_ticks(lo, hi)
        bottom, top = panel.edge._y_span
        assert bottom <= np.log10(lo) - 0.25 and top >= np.log10(hi) + 0.25


def test_alpha_is_a_step_line_from_its_changes_to_the_run_s_end_and_a_dot_before_any_step(panel):
    """At launch the α line was a stub from 0 to 1, a step never taken; it is the α of each step, 0 to n."""
    gd = run()
    panel.show_stability(gd.history, 0)
    assert list(panel.alpha_steps.xData) == [0] and panel.alpha_steps.opts["symbol"] == "o"
    gd.step(25)
    gd.alpha = 0.1
    gd.step(15)
    panel.show_stability(gd.history, gd.iteration)
    assert list(panel.alpha_steps.xData) == [0, 25, 40] and list(panel.alpha_steps.yData) == [0.5, 0.1]
    assert panel.alpha_steps.opts["symbol"] is None


def test_the_three_plots_show_only_with_room_each_to_be_read(panel, qtbot):
    """At 1280 x 800 a lesson's cost panel drew its three plots 40 px each; now they show with 80 px each at least,
    or the cost plot shows alone."""
    from visualizer.app.panels.cost_curve import READABLE

    plots = (panel.plot, panel.acc, panel.stability)
    for height, together in ((panel.readable_height(), True), (panel.readable_height() - 20, False)):
        panel.resize(500, height)
        qtbot.waitUntil(lambda t=together: panel.acc.isVisible() == t, timeout=2000)
        if together:
            assert all(p.vb.height() >= READABLE for p in plots) and panel.keeping.isVisible()


def test_the_alpha_and_edge_legend_covers_neither_line(panel, qtbot):
    """The legend sat bottom right, on the red edge line (a flower network's run)."""
    from visualizer.app.panels.legend_corners import corner_box, covered, points_of

    gd = run(alpha=0.5)
    gd.step(40)
    gd.alpha = 0.02  # α falls to the bottom right, where the legend was
    gd.step(40)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    panel.show_stability(gd.history, gd.iteration)
    qtbot.wait(20)
    panel.show_stability(gd.history, gd.iteration)  # once the axes have their ranges
    legend, plot = panel.stability.legend, panel.stability
    points = points_of(panel.alpha_steps, panel.edge_curve)
    assert len(points) > 100 and covered(plot, legend.sceneBoundingRect(), points) == 0
    assert covered(plot, corner_box(plot, legend, ((1, 1), (1, 1))), points) > 0  # where it was: on α
