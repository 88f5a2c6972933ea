"""The cost curve's change labels never overlap one another nor the legend, and the α/edge axis labels only as many
ticks as fit."""

import numpy as np
from PySide6.QtGui import QFontMetrics

from tests.app.panels.test_cost_curve import panel, run  # noqa: F401 (the fixture)
from visualizer.app.panels.curve_parts import label_places
from visualizer.core.optim.optimizers import Optimizer


def test_labels_take_the_first_free_row():
    right = [(0, False), (1, False), (0, False), (0, False)]
    assert label_places([0, 50, 100, 400], [80, 80, 80, 80]) == right
    assert label_places(list(range(7)), [50] * 7) == [(row, False) for row in range(6)] + [None]


def test_a_label_the_legend_blocks_goes_left_of_its_line_or_nowhere():
    legend = [(300, 400)] * 4 + [None] * 2  # the legend crosses the first four rows from x 300 to 400
    assert label_places([100, 250], [80, 80], legend) == [(0, False), (4, False)]  # 250 + 80 reaches the legend
    assert label_places([100, 420], [80, 80], legend, edges=(0, 450)) == [(0, False), (4, True)]  # not past 450
    assert label_places([100, 420], [80, 80], None, edges=(0, 450)) == [(0, False), (0, True)]
    assert label_places([350], [80], [(300, 400)] * 6) == [None]


def test_close_changes_of_alpha_have_labels_that_do_not_overlap(panel, qtbot):  # noqa: F811
    gd = run(alpha=0.5)
    for alpha in (0.00265, 0.0135, 0.05, 0.2, 0.01):
        gd.step(60)
        gd.alpha = alpha
    gd.step(1800)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    qtbot.wait(50)
    panel.show_history(gd.history, gd.iteration, m=gd.m)  # once the axis has its range
    shown = [line.label for line in panel.alpha_marks if line.isVisible() and line.label.textItem.toPlainText()]
    assert len(shown) >= 3
    boxes = [label.sceneBoundingRect() for label in shown]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), [label.textItem.toPlainText() for label in shown]


def test_the_alpha_axis_labels_no_more_ticks_than_fit(panel, qtbot):  # noqa: F811
    panel.resize(500, panel.readable_height())  # the least height with the α/edge plot: some 80 px of it
    qtbot.wait(50)
    panel.edge.log_ticks(1e-5, 10.0)
    axis = panel.stability.getAxis("left")
    low, high = panel.stability.vb.viewRange()[1]
    labelled = [v for v, _ in axis._tickLevels[0] if low <= v <= high]
    height = panel.stability.vb.height()
    assert len(labelled) * QFontMetrics(axis.font()).height() * 1.5 <= height + 1, (len(labelled), height)
    assert np.all(np.diff(labelled) > 0)


def test_change_labels_keep_clear_of_the_legend(panel, qtbot):  # noqa: F811
    """Changes near the run's end wrote "gradient descent" and "Adam" over the legend's "train" and "test"."""
    gd = run(alpha=0.01)
    for step, optimizer in ((300, "adam"), (300, "gd"), (400, "adam"), (900, "gd"), (80, "adam")):
        gd.step(step)
        gd.optimizer = Optimizer(kind=optimizer)
    gd.step(20)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    qtbot.wait(50)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    legend = [part.sceneBoundingRect() for entry in panel.plot.legend.items for part in entry]  # its text and lines
    shown = [line.label for line in panel.alpha_marks if line.isVisible() and line.label.textItem.toPlainText()]
    assert len(shown) == 5, "a change near the end, under the legend, lost its label: it fits left of its line"
    assert [label.textItem.toPlainText() for label in shown
            if any(label.sceneBoundingRect().intersects(part) for part in legend)] == []
