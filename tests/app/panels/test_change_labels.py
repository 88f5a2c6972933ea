"""The cost curve's change labels never overlap, and the α/edge axis labels only as many ticks as fit."""

import numpy as np
from PySide6.QtGui import QFontMetrics

from tests.app.panels.test_cost_curve import panel, run  # noqa: F401 (the fixture)
from visualizer.app.panels.curve_parts import label_rows


def test_labels_take_the_first_free_row():
    assert label_rows([0, 50, 100, 400], [80, 80, 80, 80]) == [0, 1, 0, 0]
    assert label_rows([0, 1, 2, 3, 4], [50] * 5) == [0, 1, 2, 3, None]


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
    panel.resize(500, 330)  # a short panel: the α/edge plot is some 60 px high
    qtbot.wait(50)
    panel._log_ticks(1e-5, 10.0)
    axis = panel.stability.getAxis("left")
    low, high = panel.stability.vb.viewRange()[1]
    labelled = [v for v, _ in axis._tickLevels[0] if low <= v <= high]
    height = panel.stability.vb.height()
    assert len(labelled) * QFontMetrics(axis.font()).height() * 1.5 <= height + 1, (len(labelled), height)
    assert np.all(np.diff(labelled) > 0)
