"""2-D data: ŷ over the input plane, the line where ŷ is the threshold, and every point right or wrong.

The map is one ImageItem fed with ``setImage`` at every frame: the model's z on a 100 x 100 grid is
one matrix product (``frame.output_z``), so the panel follows training live. The points are made
once per data set; only the ✗ marks of the points called wrong move with the run. When the frame
offers them (a network), each first-layer unit's line and the points as the last hidden layer sees
them are drawn too. A click on the plane adds a point: left for class 1, right (or Shift) for 0.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from visualizer.app.common.fitting import LiveLabelBox
from visualizer.app.panels.gallery import WRONG
from visualizer.app.panels.sigmoid import NEGATIVE, POSITIVE, SYMBOLS
from visualizer.app.run.frame import Frame
from visualizer.core import sigmoid
from visualizer.core.analysis.boundary import boundary_segments, plane_grid, unit_segments, unit_sentence
from visualizer.core.analysis.evaluation import predicted

#: ŷ from 0 to 1: a tint of class 0's blue, the background at the threshold's middle, a tint of class 1's orange.
MAPS = {"light": ("#b2d4e8", "#ffffff", "#f7e2b2"), "dark": ("#173f56", "#1e1f22", "#5e4713")}
#: Marks drawn at most per set: beyond this every k-th point is drawn (as the σ(z) panel does), so a CSV of
#: 100,000 points stays live; the counts in words are of every point.
MAX_DOTS = 3000
UNIT_PEN = pg.mkPen("#777777", width=1, style=Qt.PenStyle.DashLine)
NOT_2D = ("The decision boundary is drawn for 2-D points: open File > Open 2-D points (planar:flower, moons, …) "
          "or a CSV of x1,x2,y. This data set is images.")


def _cross() -> QPainterPath:
    """A thin ✗ (pyqtgraph's "x" is a filled plus sign turned, too heavy over hundreds of points)."""
    path = QPainterPath()
    for (x0, y0), (x1, y1) in (((-0.5, -0.5), (0.5, 0.5)), ((-0.5, 0.5), (0.5, -0.5))):
        path.moveTo(x0, y0)
        path.lineTo(x1, y1)
    return path


CROSS = _cross()


def _colour_map(theme: str) -> pg.ColorMap:
    return pg.ColorMap([0.0, 0.5, 1.0], [pg.mkColor(c) for c in MAPS[theme]])


class BesideLegend(pg.LegendItem):
    """A legend laid out beside its plot's view rather than over it: a new size asks the plot's layout again."""

    def updateSize(self) -> None:
        self.updateGeometry()


class BoundaryPanel(QWidget):
    """Sends ``pointAdded(x1, x2, label)`` when the plane is clicked."""

    pointAdded = Signal(float, float, int)

    def __init__(self):
        super().__init__()
        self.plot = pg.PlotWidget()
        self.plot.hideButtons()
        box = self.plot.getViewBox()
        box.setAspectLocked(True)  # a circle of points looks round
        box.setMouseEnabled(False, False)  # a click adds a point; the plane stays where the data is
        box.setMenuEnabled(False)  # the right button adds a point of class 0
        self.plot.setLabel("bottom", "x₁")
        self.plot.setLabel("left", "x₂")
        self.map = pg.ImageItem(axisOrder="col-major")  # map[i, j] is ŷ at (xs[i], ys[j])
        self.map.setColorMap(_colour_map("light"))
        self.map.setZValue(-10)
        self.plot.addItem(self.map)
        self.units = pg.PlotDataItem(pen=UNIT_PEN, connect="pairs")
        self.line = pg.PlotDataItem(pen=pg.mkPen("#000000", width=2.5), connect="pairs")
        legend = self.legend = BesideLegend()  # beside the plane: on it, it hid the flower's petals at 1024 x 768
        legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # as large as its entries
        self.plot.getPlotItem().layout.addItem(legend, 2, 3)
        self.plot.getPlotItem().layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)
        # one item per label and set, each with a single brush: per-point brushes make every frame slow
        self.dots = {(name, label): pg.ScatterPlotItem(
            size=8 if name == "train" else 9, symbol=SYMBOLS[label],
            pen=pg.mkPen("#333333", width=0.5) if name == "train" else pg.mkPen(brush.color(), width=2),
            brush=brush if name == "train" else pg.mkBrush(None))
            for name in ("train", "test") for label, brush in enumerate((NEGATIVE, POSITIVE))}
        self.wrong = pg.ScatterPlotItem(size=8, symbol=CROSS, brush=pg.mkBrush(None), pen=pg.mkPen(WRONG, width=1.5))
        for item in (self.units, self.line, *self.dots.values(), self.wrong):
            self.plot.addItem(item)
        legend.addItem(self.dots["train", 1], "y = 1")
        legend.addItem(self.dots["train", 0], "y = 0")
        legend.addItem(self.wrong, "called wrong")
        self.plot.setToolTip("The colour is ŷ at each point of the plane: orange where the model says 1, blue where "
                             "it says 0. The thick line is where ŷ equals the threshold; a network's first-layer "
                             "units each draw a thin line, W1[u]·x + b1[u] = 0. Filled marks are training "
                             "points, hollow ones test points; ✗ marks the ones called wrong. Click to add a point: "
                             "left button class 1, right button (or Shift) class 0; Ctrl+Z undoes it.")
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.hidden = pg.PlotWidget()  # the points as the last hidden layer sees them, when the frame offers it
        self.hidden.setMaximumHeight(180)
        self.hidden.hide()
        self.hidden_dots = [pg.ScatterPlotItem(size=6, symbol=SYMBOLS[k], pen=None, brush=b)
                            for k, b in enumerate((NEGATIVE, POSITIVE))]
        for item in self.hidden_dots:
            self.hidden.addItem(item)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Decision boundary summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(LiveLabelBox(self.summary))  # its counts change as the run trains
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.hidden)
        self._data: tuple | None = None  # (train, test) the points were made for
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # xs, ys, G (2, n·n)
        self.rect = QRectF()
        self._aspect: float | None = None  # the view's shape the map was made for
        self._frame: Frame | None = None  # the frame last drawn, drawn again on a map of a new shape
        self.plot.getViewBox().sigResized.connect(self._resized)
        self._shown: dict[str, np.ndarray] = {}  # the examples of each set drawn (every k-th of a large set)

    # ------------------------------------------------------------------ data
    def _set_data(self, train, test) -> None:
        self._data = (train, test)
        if not train.is_points:
            self._grid = None
            for item in (self.map, self.units, self.line, *self.dots.values(), self.wrong):
                item.hide()
            self.hidden.hide()
            self.summary.setText(NOT_2D)
            return
        for item in (self.map, self.line, *self.dots.values(), self.wrong):
            item.show()
        both = train.X if test is None else np.hstack([train.X, test.X])
        self._aspect = self._view_aspect()
        xs, ys, G = self._grid = plane_grid(both, aspect=self._aspect)
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self.rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        self.map.setImage(np.full((len(xs), len(ys)), 0.5), levels=(0.0, 1.0), autoLevels=False)
        self.map.setRect(self.rect)  # after an image: an ImageItem without one has no size to scale
        self._shown = {name: np.arange(0, data.m, max(1, -(-data.m // MAX_DOTS)))
                       for name, data in (("train", train), ("test", test)) if data is not None}
        for (name, label), dots in self.dots.items():
            data = train if name == "train" else test
            if data is None:
                dots.setData(x=[], y=[])
                continue
            members = self._shown[name][data.Y[0, self._shown[name]] == label]
            dots.setData(x=data.X[0, members], y=data.X[1, members])
        self.plot.setRange(self.rect, padding=0)

    def _view_aspect(self) -> float | None:
        """Width / height of the plot's view in pixels: the map is made to fill it at equal scales."""
        size = self.plot.getViewBox().size()
        return size.width() / size.height() if size.width() > 1 and size.height() > 1 else None

    def _resized(self, *_) -> None:
        """A view of another shape: the map is made again to fill it, and the last frame drawn on it."""
        aspect = self._view_aspect()
        if self._data is None or self._frame is None or aspect is None:
            return
        if self._aspect is None or abs(aspect / self._aspect - 1) > 0.03:
            self._set_data(*self._data)
            self.draw(self._frame)

    # ------------------------------------------------------------------ drawing
    def draw(self, frame: Frame) -> None:
        self._frame = frame
        c = frame.controller
        if self._data is None or self._data[0] is not c.train or self._data[1] is not c.test:
            self._set_data(c.train, c.test)
        if self._grid is None:
            return
        xs, ys, G = self._grid
        z = np.asarray(frame.output_z(G), dtype=float).reshape(-1)
        if not np.isfinite(z).all():
            self.map.hide()
            self.line.setData([], [])
            self.summary.setText("z is not finite here: the model has diverged, so there is no boundary to draw.")
            return
        self.map.show()
        self.map.setImage(sigmoid(z).reshape(len(xs), len(ys)), levels=(0.0, 1.0), autoLevels=False)
        self.line.setData(*boundary_segments(z, xs, ys, frame.threshold), connect="pairs")
        first = frame.first_layer()
        self.units.setVisible(first is not None)
        if first is not None:
            self.units.setData(*unit_segments(*first, xs, ys), connect="pairs")
        self._draw_marks(frame, "" if first is None else " " + unit_sentence(*first, xs, ys))
        seen = frame.hidden_view(c.train.X)
        self.hidden.setVisible(seen is not None)
        if seen is not None:
            for label, dots in enumerate(self.hidden_dots):
                members = c.train.Y[0] == label
                dots.setData(x=seen[0, members], y=seen[1, members])
            self.hidden.setTitle(f"the training points as the last hidden layer's {len(seen)} units see them"
                                 + (" (units 1 and 2)" if len(seen) > 2 else ""))

    def _draw_marks(self, frame: Frame, units: str) -> None:
        """✗ on each point called wrong at the threshold, and the counts of ✓ and ✗ in words, then ``units``."""
        c, t = frame.controller, frame.threshold
        wrong, words = [], []
        for name, data, z in (("train", c.train, frame.z_train), ("test", c.test, frame.z_test)):
            if data is None or z is None:
                continue
            bad = predicted(np.asarray(z).reshape(-1), t) != data.Y[0]
            shown = self._shown[name]
            wrong.append(data.X[:, shown[bad[shown]]])
            every = f" (a mark for every {shown[1]}th)" if len(shown) > 1 and shown[1] > 1 else ""
            words.append(f"{name}: {data.m - int(bad.sum())} ✓, {int(bad.sum())} ✗{every}")
        marks = np.hstack(wrong)
        self.wrong.setData(x=marks[0], y=marks[1])
        text = (f"ŷ over the plane; the line is ŷ = {t:g}. " + "; ".join(words)
                + ". Click: left adds class 1, right or Shift+click class 0." + units)
        if text != self.summary.text():  # a new text lays the dock out again: only when the counts change
            self.summary.setText(text)

    def set_theme(self, background, text) -> None:
        """The map's middle is the plot's background, its line the text colour (visualizer/app/window/theme.py)."""
        dark = pg.mkColor(background).lightness() < 128
        self.map.setColorMap(_colour_map("dark" if dark else "light"))
        self.line.setPen(pg.mkPen(text, width=2.5))
        for label in (0, 1):  # filled marks keep an outline that stands off the map in either theme
            self.dots["train", label].setPen(pg.mkPen("#dddddd" if dark else "#333333", width=0.5))

    # ------------------------------------------------------------------ adding points
    def _clicked(self, event) -> None:
        if self._grid is None or event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        where = self.plot.getViewBox().mapSceneToView(event.scenePos())
        if not self.rect.contains(where):
            return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        label = 0 if event.button() == Qt.MouseButton.RightButton or shift else 1
        event.accept()
        self.pointAdded.emit(float(where.x()), float(where.y()), label)
