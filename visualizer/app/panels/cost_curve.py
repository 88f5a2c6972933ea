"""J against iteration, for train and test, drawn by pyqtgraph from the run's history."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

TRAIN_PEN = pg.mkPen("#1f77b4", width=1)
TEST_PEN = pg.mkPen("#ff7f0e", width=1, style=pg.QtCore.Qt.PenStyle.DashLine)


class CostCurvePanel(QWidget):
    """Items are created once and fed with setData; long runs are downsampled to the view."""

    def __init__(self):
        super().__init__()
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", "iteration")
        self.plot.setLabel("left", "cost J")
        self.plot.addLegend(offset=(-10, 10))
        self.train_curve = self.plot.plot([], [], pen=TRAIN_PEN, name="train")
        self.test_curve = self.plot.plot([], [], pen=TEST_PEN, name="test")
        for curve in (self.train_curve, self.test_curve):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
        self.log_y = QCheckBox("log scale")
        self.log_y.setToolTip("Show J on a logarithmic axis, where slow late progress is easier to see.")
        self.log_y.toggled.connect(lambda on: self.plot.setLogMode(y=on))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.log_y)
        self.redraws = 0

    def show_history(self, history, iteration: int) -> None:
        n = min(iteration, len(history.costs))
        costs = history.costs.values[:n]
        self.train_curve.setData(np.arange(n), costs)
        its = [i for i in history.metric_iterations if i <= n]
        tests = [m["test_cost"] for m in history.metrics[: len(its)]]
        if its and tests[0] is not None:
            self.test_curve.setData(np.array(its), np.array(tests, dtype=float))
        else:
            self.test_curve.setData([], [])
        self.redraws += 1
