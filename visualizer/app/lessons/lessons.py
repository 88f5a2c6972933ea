"""The week-2 ideas as views a learner can poke: image to vector, the computation graph,
vectorization and convexity (the bowl of the lecture is bowl_lesson.py). Each opens from the Lessons menu as a
dock with a short caption; the numbers come from the core.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.panels.plots import COLORMAP, plain_axes, show_heatmap
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.contours import contour_segments, flat_share
from visualizer.core.analysis.lessons import VectorizationTiming

#: "Nearly flat": |∇J| below this share of its largest on the slice shown.
FLAT_LEVEL = 0.02
#: The convexity lesson's slice reaches this many times the surface's own extent: far enough out for σ to saturate.
CONVEXITY_EXTENT = 30.0


def caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(text); background: palette(alternate-base); padding:6px; border-radius:4px;")
    return label


# ---------------------------------------------------------------------- 1. image -> vector
class ImageVectorPanel(QWidget):
    """The selected image, its R, G, B matrices, and the unrolled x, linked by hovering."""

    def __init__(self):
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.boxes, self.images, self.titles = [], [], []
        for k, (title, tint) in enumerate((("image", None), ("R", (255, 0, 0)), ("G", (0, 160, 0)),
                                           ("B", (0, 0, 255)))):
            vb = self.view.addViewBox(row=0, col=k, lockAspect=True, invertY=True, enableMouse=False)
            item = pg.ImageItem(axisOrder="row-major")
            if tint:
                item.setColorMap(pg.ColorMap([0.0, 1.0], [(0, 0, 0), tint]))
            vb.addItem(item)
            label = pg.TextItem(title, color="k", anchor=(0, 1))
            vb.addItem(label)
            self.titles.append(label)
            self.boxes.append(vb)
            self.images.append(item)
        self.marks = [pg.ScatterPlotItem(size=10, symbol="s", pen=pg.mkPen("#ff00ff", width=2), brush=None)
                      for _ in range(4)]
        for vb, mark in zip(self.boxes, self.marks, strict=True):
            vb.addItem(mark)
        self.strip = self.view.addPlot(row=1, col=0, colspan=4)
        self.strip.setLabel("bottom", "index k in x (0 … n_x − 1): pixel (i, j), channel c → k = 3(i·n_px + j) + c")
        self.strip.setLabel("left", "x_k")
        plain_axes(self.strip)
        self.strip_curve = self.strip.plot([], [], pen=pg.mkPen("#555", width=1))
        self.strip_curve.setDownsampling(auto=True, method="peak")
        self.strip_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#ff00ff", width=2))
        self.strip.addItem(self.strip_line)
        self.readout = QLabel("Hover over a pixel.")
        self.shapes = QLabel()
        self.shapes.setStyleSheet("font-family: monospace;")
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "A colour image is three matrices of numbers, red, green and blue, each n_px × n_px. The model "
            "reads them as one long column x: all the values, unrolled, divided by 255. Hover over a pixel "
            "to see where its three numbers sit in x."))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.shapes)
        self.proxy = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=30, slot=self._hover)
        self._pixels: np.ndarray | None = None

    def set_theme(self, _background, text) -> None:
        """The matrices' titles and the strip in the theme's text colour (black was 1.3:1 on the dark plot)."""
        for title in self.titles:
            title.setColor(text)
        colour = pg.mkColor(text)
        colour.setAlpha(170)  # as grey as the light theme's #555
        self.strip_curve.setPen(pg.mkPen(colour, width=1))

    def draw(self, frame: Frame) -> None:
        """The picked example, and the shapes of x, X, Y and w for the run's data."""
        d = frame.controller.train
        if d.is_points:
            self._pixels = None
            for item in self.images:
                item.clear()
            self.strip_curve.setData([], [])
            self.readout.setText("This lesson is about images. The data now are 2-D points: each example is "
                                 "already a column x = (x₁, x₂), with nothing to unroll.")
            self.shapes.setText(f"x: ({d.n_x}, 1)   X: ({d.n_x}, {d.m})   Y: (1, {d.m})   w: ({d.n_x}, 1)")
            return
        pixels, _, name = frame.example(*frame.selected)
        self.show_example(pixels, name, {"x": (d.n_x, 1), "X": (d.n_x, d.m), "Y": (1, d.m), "w": (d.n_x, 1)})

    def show_example(self, pixels: np.ndarray, name: str, shapes: dict[str, tuple]) -> None:
        self._pixels = pixels
        self.images[0].setImage(pixels, levels=(0, 255))
        for c in range(3):
            self.images[c + 1].setImage(pixels[..., c].astype(float), levels=(0, 255))
        x = pixels.reshape(-1) / 255.0
        self.strip_curve.setData(np.arange(x.size), x)
        self.shapes.setText("   ".join(f"{k}: {v}" for k, v in shapes.items()) + f"    ({name})")

    def _hover(self, event) -> None:
        if self._pixels is None:
            return
        pos = event[0]
        n_px = self._pixels.shape[0]
        for vb in self.boxes:
            if vb.sceneBoundingRect().contains(pos):
                p = vb.mapSceneToView(pos)
                i, j = int(p.y()), int(p.x())
                if 0 <= i < n_px and 0 <= j < n_px:
                    self.point_at(i, j)
                return

    def point_at(self, i: int, j: int) -> int:
        """Highlight pixel (i, j) everywhere; returns the index of its red value in x."""
        n_px = self._pixels.shape[0]
        k = 3 * (i * n_px + j)
        for mark in self.marks:
            mark.setData([j + 0.5], [i + 0.5])
        self.strip_line.setValue(k + 1)
        r, g, b = (int(v) for v in self._pixels[i, j])
        self.readout.setText(f"pixel (row {i}, column {j}): R = {r}, G = {g}, B = {b}  →  "
                             f"x[{k}] = {r / 255:.3f}, x[{k + 1}] = {g / 255:.3f}, x[{k + 2}] = {b / 255:.3f}")
        return k


# ---------------------------------------------------------------------- 2. the computation graph
class VectorizationPanel(QWidget):
    runRequested = Signal()
    WAITING = "Press the button: both versions compute J, dw and db on the current data."

    def __init__(self):
        super().__init__()
        self.run = QPushButton("Run one iteration both ways")
        self.run.clicked.connect(self.runRequested)
        self.result = QLabel(self.WAITING)
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-size: 120%;")
        self.bars = pg.PlotWidget()
        self.bars.setLabel("left", "seconds for one iteration (log scale)")
        self.bars.getAxis("bottom").setTicks([[(0, "for-loops"), (1, "vectorized")]])
        self.bar_item = pg.BarGraphItem(x=[0, 1], height=[0, 0], width=0.6, brushes=["#d62728", "#2ca02c"])
        self.bars.addItem(self.bar_item)
        self.bars.hide()  # no axis to read before there is a timing to show
        policy = self.bars.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # its room stays below: the caption had stretched to 300 px of blank
        self.bars.setSizePolicy(policy)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "The lecture computes dw with two loops: over the m examples, and over the n_x features. numpy does "
            "the same arithmetic as a few matrix products, dw = X·dzᵀ/m, run by optimised code. Here both run "
            "now, on this machine, on your data."))
        layout.addWidget(self.run)
        layout.addWidget(self.result)
        layout.addWidget(self.bars, 1)

    def draw(self, frame: Frame) -> None:
        """Nothing of the run's frame: it shows the timing its button runs."""

    def forget(self) -> None:
        """Back to the button alone: a timing of other data (or of a lesson before) says nothing of this one."""
        self.result.setText(self.WAITING)
        self.bars.hide()
        self.run.setEnabled(True)

    def show_timing(self, t: VectorizationTiming, m: int) -> None:
        self.run.setEnabled(True)
        self.bars.show()
        if t.m_loop == m:
            loops = f"for-loops, on all {m} examples: {t.loop_seconds_full:.3g} s"
        else:
            loops = (f"for-loops: {t.loop_seconds:.3g} s on {t.m_loop} of the {m} examples (loops over all of them "
                     f"would take too long here), so about {t.loop_seconds_full:.3g} s for all {m} "
                     f"(times {m}/{t.m_loop})")
        self.result.setText(
            f"{loops}\nvectorized, on all {m} examples: {1000 * t.vector_seconds:.3g} ms\n"
            f"speed-up: {t.speedup:,.0f}×\nThe two results agree to {t.max_difference:.1e} "
            f"({'within' if t.max_difference <= 1e-12 else 'outside'} 1e-12).")
        logs = np.log10([max(t.loop_seconds_full, 1e-9), max(t.vector_seconds, 1e-9)])
        floor = float(np.floor(logs.min())) - 1  # bars grow up from a decade below the faster one
        self.bar_item.setOpts(y0=floor, height=logs - floor)
        decades = range(int(floor), int(np.ceil(logs.max())) + 1)
        self.bars.getAxis("left").setTicks([[(d, f"{10.0 ** d:g} s") for d in decades]])
        self.bars.setYRange(floor, logs.max() + 0.3)


# ---------------------------------------------------------------------- 4. convexity and the bowl
class ConvexityPanel(QWidget):
    """Cross-entropy and squared error on the same slice, side by side, each with its colour scale, lines of equal
    J at even steps (far apart where J is flat), and the share of the slice where J is nearly flat, measured."""

    NAMES = ("cross-entropy", "squared error")
    LEVELS = 10

    def __init__(self):
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.plots, self.images, self.lines, self.bars = [], [], [], []
        for col, title in enumerate(self.NAMES):
            plot = self.view.addPlot(row=0, col=2 * col, title=title)
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(COLORMAP)
            plot.addItem(image)
            lines = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 255, 170), width=1), connect="pairs")
            plot.addItem(lines)
            bar = pg.ColorBarItem(values=(0, 1), colorMap=COLORMAP, interactive=False, label="J")
            self.view.addItem(bar, row=0, col=2 * col + 1)
            plain_axes(plot)
            self.plots.append(plot)
            self.images.append(image)
            self.lines.append(lines)
            self.bars.append(bar)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "The same slice of J, with the course's loss (left) and with squared error (right), each with its own "
            "colour scale and white lines at ten even steps of J. Cross-entropy is convex: one bowl, every way "
            "down leads to the bottom. With squared error σ flattens the loss far from the data, so J has flat "
            "plateaus, where the lines are far apart and the gradient is almost zero: descent can stall there. "
            f"Each title says on how much of the slice |∇J| is below {100 * FLAT_LEVEL:g} % of its largest there."))
        layout.addWidget(self.view, 1)
        self.views = []
        self.flat: list[float] = []

    def draw(self, frame: Frame) -> None:
        """Both losses on the same plane through this point of the run."""
        self.show_views([frame.surface("w-direction", 40, loss, extent=CONVEXITY_EXTENT)
                         for loss in ("cross-entropy", "squared-error")])

    def show_views(self, views) -> None:
        self.views = views
        self.flat = []
        for name, plot, image, lines, bar, view in zip(self.NAMES, self.plots, self.images, self.lines, self.bars,
                                                       views, strict=True):
            show_heatmap(image, view.J, view.s, view.t, top=98)
            lo, hi = image.levels
            bar.setLevels((lo, hi))
            x, y = contour_segments(view.J, view.s, view.t, np.linspace(lo, hi, self.LEVELS + 2)[1:-1])
            lines.setData(x, y)
            share = flat_share(view.J, view.s, view.t, FLAT_LEVEL)
            self.flat.append(share)
            plot.setTitle(f"{name}: nearly flat on {100 * share:.0f} % of this slice")
            plot.setLabel("bottom", view.s_label)
            plot.setLabel("left", view.t_label)
