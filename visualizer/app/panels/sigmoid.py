"""The curve sigma(z) with every example riding on it at (z_i, y-hat_i), coloured by its label.

Hovering a dot gives its z, y-hat, y and loss L(y-hat, y); the selected example says them beside its ring.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from visualizer.app.panels.gallery import loss_text
from visualizer.app.panels.plots import NOT_FINITE, nice_ceiling
from visualizer.app.run.frame import Frame
from visualizer.core import sigmoid
from visualizer.core.analysis.evaluation import COURSE_THRESHOLD

# Okabe-Ito orange and blue, and two shapes: the classes differ for every eye.
POSITIVE, NEGATIVE = pg.mkBrush("#E69F00"), pg.mkBrush("#0072B2")
SYMBOLS = {0: "o", 1: "t1"}  # y = 0 a circle, y = 1 an upward triangle
Z_CURVE = np.linspace(-60, 60, 2401)
#: Dots drawn at most: 20,000 scattered points took 0.3 s a frame; beyond this every k-th example is drawn.
MAX_DOTS = 3000


class SigmoidPanel(QWidget):
    """Sends ``exampleSelected(set_name, index)`` when a dot is clicked."""

    exampleSelected = Signal(str, int)

    def __init__(self):
        super().__init__()
        self.plot = pg.PlotWidget()
        self._z_is = "z = wᵀx + b"  # the output's z, as the model computes it
        self.plot.setLabel("bottom", self._z_is)
        self.plot.setLabel("left", "ŷ = σ(z)")
        self.plot.setYRange(-0.05, 1.05, padding=0)
        self.plot.addLegend(offset=(10, 10))
        self.plot.plot(Z_CURVE, sigmoid(Z_CURVE), pen=pg.mkPen("#777", width=1))
        # the threshold: above it an example is called 1 (the course's 0.5 unless the Evaluation panel moves it)
        self.threshold = pg.InfiniteLine(COURSE_THRESHOLD, angle=0,
                                         pen=pg.mkPen("#bbb", style=pg.QtCore.Qt.PenStyle.DotLine))
        self.plot.addItem(self.threshold)
        # One item per label, each with a single brush: per-point brushes make every frame slow.
        self.dots = [pg.ScatterPlotItem(size=8, pen=pg.mkPen(None), brush=brush, symbol=SYMBOLS[label],
                                        hoverable=True, tip=self.describe)
                     for label, brush in enumerate((NEGATIVE, POSITIVE))]
        for dots in self.dots:
            self.plot.addItem(dots)
            dots.sigClicked.connect(self._clicked)
        self.selected = pg.ScatterPlotItem(size=14, pen=pg.mkPen("k", width=2), brush=pg.mkBrush(None))
        self.plot.addItem(self.selected)
        self.selected_text = pg.TextItem(anchor=(0, 1))
        self.plot.addItem(self.selected_text)
        legend = self.plot.plotItem.legend
        legend.addItem(pg.ScatterPlotItem(brush=POSITIVE, pen=None, size=8, symbol=SYMBOLS[1]), "y = 1")
        legend.addItem(pg.ScatterPlotItem(brush=NEGATIVE, pen=None, size=8, symbol=SYMBOLS[0]), "y = 0")
        self.plot.setToolTip("Each dot is one training example at (z, ŷ). Training slides the y = 1 dots "
                             "up the curve and the y = 0 dots down. Hover a dot for its z, ŷ, y and loss L; "
                             "click it to select that example.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self._labels = np.zeros(0, int)
        self._members = [np.zeros(0, int), np.zeros(0, int)]
        self._selected: int | None = None
        self._z = self._yhat = self._loss = np.zeros(0)
        self._loss_name = "cross-entropy"
        self._span = 0.0
        self._not_finite = False  # the title says z is not finite
        self.set_name = "train"

    def set_labels(self, labels: np.ndarray) -> None:
        self._labels = labels.astype(int)
        every = max(1, -(-len(labels) // MAX_DOTS))
        self._members = [np.flatnonzero(self._labels == k)[::every] for k in (0, 1)]
        self._selected = None
        self.plot.setTitle(f"one dot for every {every} of the {len(labels):,} examples" if every > 1 else None)

    def draw(self, frame: Frame) -> None:
        z_is = "z of the output unit" if frame.model.has_hidden else "z = wᵀx + b"
        if z_is != self._z_is:
            self._z_is = z_is
            self.plot.setLabel("bottom", z_is)
        self.show_outputs(frame.z_train, frame.yhat_train, frame.loss_train, frame.gd.loss.name)
        self.threshold.setValue(frame.threshold)

    def describe(self, x=None, y=None, data=None) -> str:
        """One example's numbers, as its hover says them: z, ŷ, y and its loss."""
        i = int(data)
        if i >= len(self._loss):
            return f"z = {x:.4f}\nŷ = σ(z) = {y:.4f}"
        return (f"example {i}: z = {self._z[i]:.4f}\nŷ = σ(z) = {self._yhat[i]:.4f}, y = {self._labels[i]}\n"
                f"L(ŷ, y) = {self._loss[i]:.4f} ({self._loss_name})")

    def show_outputs(self, z: np.ndarray, yhat: np.ndarray, loss: np.ndarray | None = None,
                     loss_name: str = "cross-entropy") -> None:
        self._z, self._yhat, self._loss_name = z, yhat, loss_name
        self._loss = np.zeros(0) if loss is None else loss
        if not (np.isfinite(z).all() and np.isfinite(yhat).all()):  # said, never made an axis range of
            for dots in self.dots:
                dots.setData(x=[], y=[])
            self.plot.setTitle(f"{self._z_is} is {NOT_FINITE} here: nothing to draw")
            self._span, self._not_finite = 0.0, True
            return
        if self._not_finite:
            self._not_finite = False
            self.set_labels(self._labels)  # the title it had before
        for dots, members in zip(self.dots, self._members, strict=True):
            dots.setData(x=z[members], y=yhat[members], data=members)
        span = nice_ceiling(max(float(np.max(np.abs(z))) if len(z) else 1.0, 1.0))
        if span != self._span:  # step the axis, so it is not redrawn every frame
            self._span = span
            self.plot.setXRange(-span, span, padding=0.02)
        if self._selected is not None and self._selected < len(z):
            i = self._selected
            self.selected.setData([z[i]], [yhat[i]])
            self.selected_text.setText(f"ŷ {yhat[i]:.2f} · y={self._labels[i]}"
                                       + (f" · L {loss_text(float(self._loss[i]))}" if i < len(self._loss) else ""))
            # on the side of the ring that faces the middle, so the words stay inside the plot
            self.selected_text.setAnchor((1, 1) if z[i] > 0 else (0, 1))
            self.selected_text.setPos(float(z[i]), float(yhat[i]))

    def set_theme(self, _background, text) -> None:
        """The selected example's words and ring in the theme's text colour (visualizer/app/window/theme.py): a
        black ring was lost on the dark plot."""
        self.selected_text.setColor(text)
        self.selected.setPen(pg.mkPen(text, width=2))

    def set_text_font(self, font) -> None:
        self.selected_text.setFont(font)

    def select(self, example: int | None) -> None:
        self._selected = example
        if example is None:
            self.selected.setData([], [])
            self.selected_text.setText("")

    def _clicked(self, _item, points, _ev=None) -> None:
        if len(points):
            self.exampleSelected.emit(self.set_name, int(points[0].data()))
