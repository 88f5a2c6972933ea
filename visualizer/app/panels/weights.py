"""w reshaped back into an image: what the neuron has learned to look for. On a network, one tile per first-layer
unit (a row of W1 as an image), all on one colour scale."""

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
TIPS = {
    "logistic": "Each pixel is a weight. Red: that pixel being bright pushes z up (towards the positive class); "
                "blue pushes it down. White: no influence.",
    "network": "Each tile is one first-layer unit's weights, a row of W1. Red: that pixel being bright pushes the "
               "unit's own z up; blue pushes it down. Which way that moves ŷ depends on the layers after it.",
}
#: At most this many units' tiles (the first ones) on a network.
MAX_TILES = 64
#: Pixels of white between two tiles.
GAP = 2


def mosaic(images: np.ndarray) -> np.ndarray:
    """(k, h, w) tiles in a near-square grid, GAP apart, 0 between them (white: no influence)."""
    k, h, w = images.shape
    cols = int(np.ceil(np.sqrt(k)))
    rows = -(-k // cols)
    out = np.zeros((rows * (h + GAP) - GAP, cols * (w + GAP) - GAP))
    for i, tile in enumerate(images):
        r, c = divmod(i, cols)
        out[r * (h + GAP): r * (h + GAP) + h, c * (w + GAP): c * (w + GAP) + w] = tile
    return out


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
        self.view.setToolTip(TIPS["logistic"])
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("Weights caption")
        self.head = QWidget()
        head = QHBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(buddy("Channel", self.channel))  # no Alt key: its letters are the Controls' and the menus'
        head.addWidget(self.channel, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.head)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        self.caption.hide()
        self._w: np.ndarray | None = None  # (units, n_px, n_px, 3)

    def draw(self, frame: Frame) -> None:
        images = frame.weight_images()
        for widget in (self.head, self.view):
            widget.setVisible(images is not None)
        if images is None:  # 2-D points: the weights are no picture
            self._w = None
            self.image.clear()
            self._say(self._in_words(frame))
            return
        self.view.setToolTip(TIPS[frame.model.name])
        if frame.model.has_hidden:
            units = images.shape[0]
            shown = f"the first {MAX_TILES} of its {units}" if units > MAX_TILES else f"its {units}"
            self._say(f"A network: one tile per first-layer unit, {shown} (the rows of W1 as images), "
                      "on one colour scale.")
        else:
            self._say("")
        self._w = images[:MAX_TILES]
        self._redraw()

    @staticmethod
    def _in_words(frame: Frame) -> str:
        """The weights on 2-D points: logistic regression's w and b as numbers, a network's first layer in words."""
        if frame.model.has_hidden:
            units = frame.first_layer()[0].shape[0]
            return (f"The data are 2-D points, so each of the first layer's {units} units has two weights, not an "
                    "image: the Decision boundary panel draws the line each unit's weights make.")
        w, b = frame.w, float(frame.theta[-1])
        return (f"w = ({w[0]:.4g}, {w[1]:.4g}), b = {b:.4g}.\n\nThe data are 2-D points, so w is two numbers, not an "
                "image: the Decision boundary panel draws the line wᵀx + b = 0 they make.")

    def show_weights(self, w_image: np.ndarray) -> None:
        """``w_image`` is w reshaped to (n_px, n_px, 3)."""
        self._w = w_image[None]
        self._redraw()

    def _say(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setVisible(bool(text))

    def _redraw(self) -> None:
        if self._w is None:
            return
        c = self.channel.currentData()
        tiles = self._w.sum(axis=3) if c is None else self._w[..., c]
        img = tiles[0] if len(tiles) == 1 else mosaic(tiles)
        # a round limit: the colour bar reads 0.25, not 0.2371, and its axis is redrawn only at a step;
        # w = 0 (the course's start) reads ±0.01 around a grey square, not ±1e-12
        limit = nice_ceiling(float(np.max(np.abs(img))) or ZERO_W_LIMIT)
        self.image.setImage(img, levels=(-limit, limit), autoLevels=False)
        if self.bar.levels() != (-limit, limit):
            self.bar.setLevels((-limit, limit))
