"""w reshaped back into an image: what the neuron has learned to look for."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from visualizer.app.common.accessibility import buddy
from visualizer.app.panels.plots import nice_ceiling
from visualizer.app.run.frame import Frame

#: The colour bar's limit while every weight is 0.
ZERO_W_LIMIT = 0.01

DIVERGING = pg.colormap.get("CET-D1")  # blue - white - red
CHANNELS = [("R + G + B", None), ("red", 0), ("green", 1), ("blue", 2)]


class WeightsPanel(QWidget):
    def __init__(self):
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.vb = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(DIVERGING)
        self.vb.addItem(self.image)
        self.bar = pg.ColorBarItem(colorMap=DIVERGING, interactive=False, width=10)
        self.bar.setImageItem(self.image)
        self.view.addItem(self.bar)
        self.channel = QComboBox()
        for label, c in CHANNELS:
            self.channel.addItem(label, c)
        self.channel.setToolTip("Which colour channel of w to show; R + G + B adds them.")
        self.channel.currentIndexChanged.connect(lambda _: self._redraw())
        self.view.setToolTip("Each pixel is a weight. Red: that pixel being bright pushes z up (towards the "
                             "positive class); blue pushes it down. White: no influence.")
        self.head = QWidget()
        head = QHBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(buddy("C&hannel", self.channel))
        head.addWidget(self.channel, 1)
        self.plain = QLabel()  # 2-D points: w is two numbers, said in words instead of a picture
        self.plain.setWordWrap(True)
        self.plain.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.plain, 1)
        self._w: np.ndarray | None = None

    def draw(self, frame: Frame) -> None:
        points = frame.controller.train.is_points
        for widget in (self.head, self.view):
            widget.setVisible(not points)
        self.plain.setVisible(points)
        if points:
            w, b = frame.w, float(frame.theta[-1])
            self.plain.setText(f"w = ({w[0]:.4g}, {w[1]:.4g}), b = {b:.4g}.\n\nThe data are 2-D points, so w is two "
                               "numbers, not an image: the Decision boundary panel draws the line wᵀx + b = 0 "
                               "they make.")
            return
        self.show_weights(frame.w_image())

    def show_weights(self, w_image: np.ndarray) -> None:
        """``w_image`` is w reshaped to (n_px, n_px, 3)."""
        self._w = w_image
        self._redraw()

    def _redraw(self) -> None:
        if self._w is None:
            return
        c = self.channel.currentData()
        img = self._w.sum(axis=2) if c is None else self._w[..., c]
        # a round limit: the colour bar reads 0.25, not 0.2371, and its axis is redrawn only at a step;
        # w = 0 (the course's start) reads ±0.01 around a grey square, not ±1e-12
        limit = nice_ceiling(float(np.max(np.abs(img))) or ZERO_W_LIMIT)
        self.image.setImage(img, levels=(-limit, limit), autoLevels=False)
        if self.bar.levels() != (-limit, limit):
            self.bar.setLevels((-limit, limit))
