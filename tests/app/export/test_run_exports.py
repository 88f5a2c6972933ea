"""The cost curve's export: its legends, beside the plots, grow with the picture as the axes' text does."""

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QTransform

from tests.app.panels.test_cost_curve import panel, run  # noqa: F401 (the fixture)
from visualizer.app.export.run_exports import legends_beside


def test_the_legends_scale_with_the_axes_in_a_wide_png(panel):  # noqa: F811
    """A 1920 px PNG draws the scene scaled: the legends kept their size, their text a third of the axes'."""
    gd = run()
    gd.step(20)
    panel.show_history(gd.history, gd.iteration, m=gd.m)
    zoom = QTransform.fromScale(3.3, 3.3)  # as ImageExporter's painter draws a 580 px view 1920 px wide
    with legends_beside(panel.view, (panel.plot, panel.acc, panel.stability)):
        legends = [item for item in panel.view.ci.items if isinstance(item, pg.LegendItem)]
        assert len(legends) == 3
        axis = panel.plot.getAxis("left").deviceTransform(zoom).m11()
        labels = [label for legend in legends for _, label in legend.items]
        assert [label.deviceTransform(zoom).m11() for label in labels] == pytest.approx([axis] * len(labels))
