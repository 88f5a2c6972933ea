"""Lesson: why mini-batches. An epoch's batch gradients around the full gradient, and their spread against B.

The numbers come from core.batch_noise at the iteration the window shows; the panel only draws them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from visualizer.app.common.accessibility import buddy
from visualizer.app.lessons.lessons import caption
from visualizer.app.panels.plots import plain_axes
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.batch_noise import BatchNoise

#: Measuring the spread reads X once per epoch and size; beyond this many numbers in X, one epoch each.
LARGE = 20_000_000
SIZES = (1, 4, 16, 32, 64)
BATCH_PEN = pg.mkPen((0, 114, 178, 110), width=1)
FULL_PEN = pg.mkPen("#000000", width=3)


class MiniBatchPanel(QWidget):
    def __init__(self):
        super().__init__()
        self.size = QComboBox()
        for b in SIZES:
            self.size.addItem(f"B = {b}", b)
        self.size.setCurrentIndex(SIZES.index(32))
        self.size.setToolTip("The batch size whose gradients are drawn as arrows: one arrow per batch of an epoch.")
        self.view = pg.GraphicsLayoutWidget()
        self.arrows = self.view.addPlot(row=0, col=0)
        self.arrows.setLabel("bottom", "along the full −dJ (the step batch descent takes)")
        self.arrows.setLabel("left", "across it, where the batches scatter most")
        self.arrows.setAspectLocked(True)
        self.arrows.showGrid(x=True, y=True, alpha=0.2)
        self.batch_lines = self.arrows.plot([], [], pen=BATCH_PEN, connect="pairs")
        self.batch_tips = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(0, 114, 178, 180))
        self.arrows.addItem(self.batch_tips)
        self.full_line = self.arrows.plot([], [], pen=FULL_PEN)
        self.full_tip = pg.ScatterPlotItem(size=12, symbol="t2", pen=None, brush="#000000")
        self.arrows.addItem(self.full_tip)
        self.spread = self.view.addPlot(row=0, col=1)
        self.spread.setLogMode(x=True, y=True)
        self.spread.setLabel("bottom", "batch size B")
        self.spread.setLabel("left", "spread E|dJ_B − dJ|²")
        self.spread.addLegend(offset=(10, -10))  # bottom left: the points fall to the bottom right
        self.measured = self.spread.plot([], [], pen=None, symbol="o", symbolSize=8, symbolBrush="#0072B2",
                                         name="measured over shuffled epochs")
        self.expected = self.spread.plot([], [], pen=pg.mkPen("#D55E00", width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
                                         name="σ²(m − B)/(B(m − 1))")
        self.one_over_b = self.spread.plot([], [], pen=pg.mkPen("#777", width=1, style=pg.QtCore.Qt.PenStyle.DotLine),
                                           name="σ²/B")
        self.chosen = pg.InfiniteLine(angle=90, pen=pg.mkPen("#0072B2", width=1))
        self.spread.addItem(self.chosen)
        plain_axes(self.arrows, self.spread)
        self.numbers = QLabel(" ")
        self.numbers.setWordWrap(True)
        self.numbers.setAccessibleName("Mini-batch numbers")
        row = QHBoxLayout()
        row.addWidget(buddy("&Batch size drawn", self.size))
        row.addWidget(self.size)
        row.addWidget(self.numbers, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "A mini-batch step goes downhill on its own batch's cost, not on J. Left: the thick arrow is the full "
            "−dJ at the current point (batch gradient descent's direction); each thin arrow is one batch's −dJ_B, "
            "for every batch of an epoch. They scatter around the thick one: on average they agree (each batch's "
            "gradient is an unbiased estimate), but any one step points a little off, so the path wobbles. "
            "Right: how far they scatter, against B. The spread falls as 1/B (four times the batch, half the "
            "noise's size) and is zero at B = m, where every step is the full gradient."))
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self._point = None
        self.size.currentIndexChanged.connect(lambda _: self._point and self.show_point(*self._point))

    def set_theme(self, _background, text) -> None:
        """The full gradient's arrow in the theme's text colour: black, it vanished on the dark plot."""
        pen = pg.mkPen(self.full_line.opts["pen"])  # its width, thicker in presentation mode
        pen.setColor(pg.mkColor(text))
        self.full_line.setPen(pen)
        self.full_tip.setBrush(pg.mkBrush(text))

    def draw(self, frame: Frame) -> None:
        self.show_point(frame.gd, frame.theta, frame.gd.seed, 0)

    def show_point(self, gd, theta: np.ndarray, seed: int, epoch: int) -> None:
        """Draw the batch gradients of ``gd`` (a GradientDescent) at ``theta``, for the epoch's shuffle."""
        self._point = (gd, theta, seed, epoch)
        noise = BatchNoise(gd, theta)
        size = min(self.size.currentData(), gd.m)
        arrows = noise.arrows(size, seed, epoch)
        tips = arrows.batches
        pairs = np.zeros((2 * len(tips), 2))
        pairs[1::2] = tips
        self.batch_lines.setData(pairs[:, 0], pairs[:, 1])
        self.batch_tips.setData(tips[:, 0], tips[:, 1])
        self.full_line.setData([0, arrows.full[0]], [0, arrows.full[1]])
        self.full_tip.setData([arrows.full[0]], [arrows.full[1]])
        sizes = sorted({*(2**k for k in range(int(np.log2(gd.m)) + 1)), gd.m})
        large = gd.param.kind != "gram" and gd.m * gd.n_x > LARGE
        curve = noise.spread(sizes, seed, min_batches=8 if large else 32, max_epochs=1 if large else 8)
        shown = curve.measured > 1e-9 * curve.measured.max()  # B = m: zero up to rounding
        self.measured.setData(curve.sizes[shown], curve.measured[shown])
        ok = curve.expected > 0
        self.expected.setData(curve.sizes[ok], curve.expected[ok])
        self.one_over_b.setData(curve.sizes, curve.sigma2 / curve.sizes)
        self.chosen.setValue(np.log10(size))
        self.spread.getAxis("bottom").setTicks([[(np.log10(b), str(b)) for b in sizes], []])
        length = float(np.hypot(*arrows.full))
        count = -(-gd.m // size)
        drawn = f"{len(tips)} batches" if len(tips) == count else f"the first {len(tips)} of {count} batches"
        self.numbers.setText(f"|dJ| = {length:.3g};  B = {size}: {drawn}, spread {arrows.spread:.3g} "
                             f"(one example: σ² = {curve.sigma2:.3g}).")
