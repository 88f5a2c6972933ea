"""The lesson views say only what they show: the bowl before a click, the convexity maps, a timing of old data."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from visualizer.core.analysis.contours import flat_share
from visualizer.data.dataset import take


def test_the_bowl_shows_no_step_before_a_click_and_the_cut_of_j_at_b_0(window, qtbot):
    """A green arrow stood at (0, 0) and the J axis read -0.5..0.5 before the first click."""
    window.open_lesson("bowl")
    panel = window.lesson("bowl")
    assert not panel.step_arrow.isVisible()
    W, J = panel.cut_curve.getData()
    assert W.size == 200 and np.allclose(J, panel.bowl.cut(0.0, W))
    (x0, x1), (y0, y1) = panel.cut.vb.viewRange()
    assert y0 <= J.min() < J.max() <= y1 and y1 - y0 < 2 * (J.max() - J.min()) and (x0, x1) < (-3.5, 3.5)
    assert "b = 0" in panel.cut.titleLabel.text


def test_the_bowl_reopened_shows_the_cut_not_a_point_alone(window, qtbot):
    """Reopened after a run, the cut plot was zoomed on the last point: ticks read 1.2630376676202 ...204."""
    window.open_lesson("bowl")
    panel = window.lesson("bowl")
    qtbot.waitUntil(lambda: panel.plot.vb.width() > 50, timeout=3000)
    panel.start_at(1.0, 1.0)
    for _ in range(40):
        panel._advance()
    assert panel.step_arrow.isVisible() and f"b = {panel.bowl.runs[-1].b:.3g}" in panel.cut.titleLabel.text
    panel.set_data(*panel._data)  # what reopening the lesson on (new) data does
    (x0, x1), _ = panel.cut.vb.viewRange()
    assert x1 - x0 >= 8 and not panel.step_arrow.isVisible() and panel.cut_point.data.size == 0


def test_the_convexity_maps_measure_where_j_is_flat_and_show_their_scale(window, qtbot):
    """The "one bowl" and "plateaus" maps looked alike, with no colour scale."""
    window.state.change_settings(init="random", seed=1, loss="squared-error")
    window.open_lesson("convexity")
    window.refresh(force=True)
    panel = window.lesson("convexity")
    shares = [flat_share(v.J, v.s, v.t, 0.02) for v in panel.views]
    assert panel.flat == shares and shares[1] > 0.3 > 0.05 > shares[0]
    for plot, share, bar, image in zip(panel.plots, shares, panel.bars, panel.images, strict=True):
        assert plot.titleLabel.text.endswith(f"nearly flat on {100 * share:.0f} % of this slice")
        assert bar.levels() == pytest.approx(tuple(image.levels))
    assert panel.lines[1].getData()[0].size > 0


def test_a_timing_of_other_data_is_not_shown(window, qtbot):
    """The vectorization lesson opened with the timing of before, its button not yet pressed."""
    window.open_lesson("vectorization")
    panel = window.lesson("vectorization")
    panel.run.click()
    qtbot.waitUntil(lambda: panel.run.isEnabled() and "speed-up" in panel.result.text(), timeout=30000)
    c = window.controller
    window.state.set_data(take(c.train, np.arange(100)), c.test, fresh=True)
    assert panel.result.text() == panel.WAITING and not panel.bars.isVisible()


def test_a_click_still_starts_a_run_where_it_lands(window, qtbot):
    window.open_lesson("bowl")
    panel = window.lesson("bowl")
    qtbot.waitUntil(lambda: panel.plot.vb.width() > 50, timeout=3000)
    target = panel.view.mapFromScene(panel.plot.vb.mapViewToScene(QPointF(-1.0, 2.0)))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert len(panel.bowl.runs) == 1 and panel.step_arrow.isVisible()
