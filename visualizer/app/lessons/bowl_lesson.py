"""The lecture's bowl: J(w, b) with w a single number, where a learner drops starting points and watches
gradient descent roll each one down (a lesson of the Lessons menu)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from visualizer.app.common.accessibility import buddy
from visualizer.app.lessons.lessons import caption
from visualizer.app.panels.plots import COLORMAP, plain_axes, show_heatmap
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.lessons import Bowl


class BowlPanel(QWidget):
    """J(w, b) with one feature: click to start descents; a 1-D cut shows the derivative's sign."""

    def __init__(self):
        super().__init__()
        self.loss = QComboBox()
        self.loss.addItem("cross-entropy", "cross-entropy")
        self.loss.addItem("squared error", "squared-error")
        self.loss.currentIndexChanged.connect(lambda _: self.rebuild())
        self.clear = QPushButton("Clear the runs")
        self.clear.clicked.connect(self.rebuild)
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot(row=0, col=0, title="click anywhere to start gradient descent there")
        self.plot.setLabel("bottom", "w")
        self.plot.setLabel("left", "b")
        self.plot.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(COLORMAP)
        self.plot.addItem(self.image)
        self.contours = [pg.IsocurveItem(pen=pg.mkPen((255, 255, 255, 150))) for _ in range(8)]
        for c in self.contours:
            c.setParentItem(self.image)
        self.cut = self.view.addPlot(row=0, col=1, title="J(w) at b = 0")
        self.cut.setLabel("bottom", "w")
        self.cut.setLabel("left", "J")
        self.cut_curve = self.cut.plot([], [], pen=pg.mkPen("#333", width=1))
        self.tangent = self.cut.plot([], [], pen=pg.mkPen("#d62728", width=1))
        self.cut_point = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#d62728"))
        self.cut.addItem(self.cut_point)
        self.step_arrow = pg.ArrowItem(headLen=14, brush="#2ca02c", pen=pg.mkPen("#2ca02c"))
        self.step_arrow.hide()  # a step to show needs a run: none before the first click
        self.cut.addItem(self.step_arrow)
        self.slope_text = QLabel()
        plain_axes(self.plot, self.cut)
        head = QHBoxLayout()
        head.addWidget(buddy("Loss", self.loss))
        head.addWidget(self.loss)
        head.addWidget(self.clear)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "Each image is reduced to one number (its projection on the difference between the average cat and "
            "the average non-cat), so the model has just w and b and J(w, b) is the lecture's bowl. Click several "
            "starts: with cross-entropy all of them reach the same bottom, because J is convex. Right: where the "
            "slope dJ/dw is negative the step −α·dJ/dw moves w to the right; where it is positive, to the left."))
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.slope_text)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.timer = QTimer(self)
        self.timer.setInterval(40)
        self.timer.timeout.connect(self._advance)
        self.bowl: Bowl | None = None
        self.paths: list = []
        self._data = None
        self.w_range, self.b_range = (-4.0, 4.0), (-4.0, 4.0)

    def draw(self, frame: Frame) -> None:
        """Nothing of the run's frame: it shows the descents the learner starts on its one-feature data."""

    def set_theme(self, _background, text) -> None:
        """J(w) in the theme's text colour: dark grey, it vanished on the dark plot."""
        self.cut_curve.setPen(pg.mkPen(text, width=1))

    def set_data(self, X: np.ndarray, Y: np.ndarray) -> None:
        self._data = (X, Y)
        self.rebuild()

    def rebuild(self) -> None:
        if self._data is None:
            return
        self.timer.stop()
        for item in self.paths:
            self.plot.removeItem(item)
        self.paths = []
        self.bowl = Bowl(*self._data, loss=self.loss.currentData())
        W, B = np.linspace(*self.w_range, 80), np.linspace(*self.b_range, 80)
        J = self.bowl.grid(W, B)
        show_heatmap(self.image, J, W, B, top=98)
        for c, level in zip(self.contours, np.quantile(J, np.linspace(0.02, 0.8, len(self.contours))), strict=True):
            c.setData(J)  # isocurves index (w, b), like J
            c.setLevel(level)
        self.plot.setRange(xRange=self.w_range, yRange=self.b_range, padding=0)
        self._draw_cut()  # no run yet: the cut at b = 0, and nothing of the runs cleared away

    def start_at(self, w: float, b: float):
        run = self.bowl.start(w, b)
        colour = ["#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#e377c2"][len(self.paths) % 5]
        self.paths.append(self.plot.plot([w], [b], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                                         symbolBrush=colour))
        self.timer.start()
        self._draw_cut()
        return run

    def _clicked(self, event) -> None:
        if self.bowl is None or not self.plot.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.plot.vb.mapSceneToView(event.scenePos())
        self.start_at(p.x(), p.y())

    def _advance(self) -> None:
        self.bowl.step(5)
        for run, item in zip(self.bowl.runs, self.paths, strict=True):
            item.setData(*self.bowl.path(run))
        self._draw_cut()
        if all(run.iteration >= 3000 for run in self.bowl.runs):
            self.timer.stop()

    def _draw_cut(self) -> None:
        """J(w) at the last run's b with its point, tangent and step; before any run, at b = 0 alone."""
        W = np.linspace(*self.w_range, 200)
        if not self.bowl.runs:
            J = self.bowl.cut(0.0, W)
            self.cut_curve.setData(W, J)
            self.cut.setTitle("J(w) at b = 0: click the map to start a run")
            self.tangent.setData([], [])
            self.cut_point.setData([], [])
            self.step_arrow.hide()
            self.cut.setRange(xRange=self.w_range, yRange=(float(J.min()), float(J.max())))
            self.slope_text.setText("")
            return
        run = self.bowl.runs[-1]
        w, b = float(run.w[0]), run.b
        cut = self.bowl.cut(b, W)
        self.cut_curve.setData(W, cut)
        self.cut.setTitle(f"J(w) at the last run's b = {b:.3g}")
        self.cut.setRange(xRange=self.w_range, yRange=(float(cut.min()), float(cut.max())))
        self.step_arrow.show()
        J, slope = run.cost, self.bowl.slope(run)
        span = 0.8
        self.tangent.setData([w - span, w + span], [J - slope * span, J + slope * span])
        self.cut_point.setData([w], [J])
        step = -self.bowl.alpha * slope
        self.step_arrow.setPos(w + step, J)
        self.step_arrow.setStyle(angle=0 if step < 0 else 180)
        if abs(slope) < 5e-5:
            self.slope_text.setText(f"dJ/dw ≈ 0 at w = {w:.3f}: the bottom of this cut, where the steps stop.")
            return
        direction = "right" if slope < 0 else "left"
        self.slope_text.setText(f"dJ/dw = {slope:.4f} at w = {w:.3f}: the step −α·dJ/dw = {step:.4f} moves w to "
                                f"the {direction} (green arrow).")
