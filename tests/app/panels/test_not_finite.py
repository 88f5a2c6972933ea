"""A value that is not finite is said to be so, never made an axis range of ("Cannot set range [nan, nan]")."""

from __future__ import annotations

import numpy as np

from visualizer.app.panels.sigmoid import SigmoidPanel


def test_sigmoid_says_z_is_not_finite_and_draws_again_once_it_is(qtbot):
    panel = SigmoidPanel()
    qtbot.addWidget(panel)
    panel.set_labels(np.array([0, 1, 1]))
    panel.show_outputs(np.array([1.0, np.inf, np.nan]), np.array([0.7, 1.0, np.nan]))
    title = panel.plot.getPlotItem().titleLabel
    assert "not finite" in title.text and title.isVisible()
    assert all(d.getData()[0] is None or len(d.getData()[0]) == 0 for d in panel.dots)
    panel.show_outputs(np.array([1.0, -2.0, 3.0]), np.array([0.7, 0.1, 0.9]))
    assert not title.isVisible()  # three dots: no title, as before
    assert sum(len(d.getData()[0]) for d in panel.dots) == 3
    assert np.isfinite(panel.plot.viewRange()).all()
