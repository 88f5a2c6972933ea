"""The week-2 ideas as views a learner can poke: image to vector, the computation graph,
vectorization, convexity and the bowl of the lecture. Each opens from the Lessons menu as a
dock with a short caption; the numbers come from the core.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ..core.lessons import Bowl, GraphValues, VectorizationTiming, graph_values
from .accessibility import buddy
from .panels.plots import COLORMAP, plain_axes, show_heatmap


def caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#333; background:#f4f6fa; padding:6px; border-radius:4px;")
    return label


# ---------------------------------------------------------------------- 1. image -> vector
class ImageVectorPanel(QWidget):
    """The selected image, its R, G, B matrices, and the unrolled x, linked by hovering."""

    def __init__(self):
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.boxes, self.images = [], []
        for k, (title, tint) in enumerate((("image", None), ("R", (255, 0, 0)), ("G", (0, 160, 0)),
                                           ("B", (0, 0, 255)))):
            vb = self.view.addViewBox(row=0, col=k, lockAspect=True, invertY=True, enableMouse=False)
            item = pg.ImageItem(axisOrder="row-major")
            if tint:
                item.setColorMap(pg.ColorMap([0.0, 1.0], [(0, 0, 0), tint]))
            vb.addItem(item)
            label = pg.TextItem(title, color="k", anchor=(0, 1))
            vb.addItem(label)
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
class GraphCanvas(QWidget):
    """x, w, b -> z = wᵀx + b -> a = σ(z) -> L(a, y), values on nodes, derivatives on edges."""

    NODES = {"x": (0.08, 0.2), "w": (0.08, 0.5), "b": (0.08, 0.8), "z": (0.42, 0.5), "a": (0.66, 0.5),
             "L": (0.9, 0.5)}
    EDGES = [("x", "z"), ("w", "z"), ("b", "z"), ("z", "a"), ("a", "L")]
    ORDER = ["x", "w", "b", "z", "a", "L", ("a", "L"), ("z", "a"), ("w", "z"), ("b", "z")]

    def __init__(self):
        super().__init__()
        self.setMinimumSize(420, 220)
        self.node_text: dict[str, str] = {}
        self.edge_text: dict[tuple[str, str], str] = {}
        self.sparks: dict[str, np.ndarray] = {}
        self.highlight = None

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        W, H = self.width(), self.height()
        centre = {k: QPointF(x * W, y * H) for k, (x, y) in self.NODES.items()}
        font = QFont()
        font.setPointSize(8)
        p.setFont(font)
        for a, b in self.EDGES:
            hot = self.highlight == (a, b)
            p.setPen(QPen(QColor("#d62728" if hot else "#888"), 3 if hot else 1.5))
            p.drawLine(centre[a], centre[b])
        for k, c in centre.items():
            hot = self.highlight == k
            half = min(65.0, 0.075 * W)
            rect = QRectF(c.x() - half, c.y() - 24, 2 * half, 48)
            p.setPen(QPen(QColor("#1f77b4" if hot else "#444"), 3 if hot else 1))
            p.setBrush(QColor("#dbeafe" if hot else "#ffffff"))
            p.drawRoundedRect(rect, 8, 8)
            p.setPen(QColor("#111"))
            p.drawText(rect.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.node_text.get(k, k))
            if k in self.sparks and len(self.sparks[k]):
                v = self.sparks[k]
                lo, hi = float(v.min()), float(v.max()) or 1.0
                span = (hi - lo) or 1.0
                p.setPen(QPen(QColor("#1f77b4"), 1))
                pts = [QPointF(rect.left() + 6 + (rect.width() - 12) * i / (len(v) - 1 or 1),
                               rect.bottom() + 14 - 12 * (val - lo) / span) for i, val in enumerate(v)]
                for a, b in zip(pts, pts[1:], strict=False):
                    p.drawLine(a, b)
        p.setPen(QColor("#b22222"))  # derivatives last, above the boxes
        for (a, b), text in self.edge_text.items():
            if text:
                mid = (centre[a] + centre[b]) / 2
                p.drawText(QRectF(mid.x() - 80, mid.y() - 36, 160, 32),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        p.end()


def _spark(v: np.ndarray, points: int = 40) -> np.ndarray:
    """A vector as a short line: its values averaged in ``points`` blocks."""
    blocks = np.array_split(np.asarray(v, dtype=float), min(points, len(v)))
    return np.array([b.mean() for b in blocks])


class GraphPanel(QWidget):
    """The lecture's graph, live for the selected example, plus the two-feature toy."""

    checkRequested = Signal()

    def __init__(self):
        super().__init__()
        self.canvas = GraphCanvas()
        self.toy = QCheckBox("two-feature toy (x₁, x₂)")
        self.toy.setToolTip("The lecture's own picture: two features, every node a single number you can set.")
        self.sliders = {}
        form = QFormLayout()
        for name, lo, hi, value in (("x1", -3, 3, 1.0), ("x2", -3, 3, 2.0), ("w1", -3, 3, 0.5), ("w2", -3, 3, -0.5),
                                    ("b", -3, 3, 0.0)):
            s = QSlider(Qt.Orientation.Horizontal)
            s.setRange(int(lo * 100), int(hi * 100))
            s.setValue(int(value * 100))
            s.valueChanged.connect(self._toy_changed)
            self.sliders[name] = s
            form.addRow(name, s)
        self.toy_label = QCheckBox("label y = 1")
        self.toy_label.setChecked(True)
        self.toy_label.toggled.connect(self._toy_changed)
        form.addRow("", self.toy_label)
        self.toy_box = QWidget()
        self.toy_box.setLayout(form)
        self.toy_box.setVisible(False)
        self.toy.toggled.connect(lambda on: (self.toy_box.setVisible(on), self._toy_changed()))
        self.step_through = QPushButton("Step through")
        self.step_through.setToolTip("Light up the forward pass node by node, then the backward pass edge by edge.")
        self.step_through.clicked.connect(self._start_steps)
        self.check = QPushButton("Check gradient")
        self.check.setToolTip("Compare the analytic gradient with centred differences (J(θ+ε) − J(θ−ε)) / 2ε "
                              "at the current point. Their relative difference should be about 1e-7 or less.")
        self.check.clicked.connect(self.checkRequested)
        self.check_result = QLabel()
        row = QHBoxLayout()
        for w in (self.toy, self.step_through, self.check, self.check_result):
            row.addWidget(w)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "Forward, left to right: z = wᵀx + b, then a = σ(z) = ŷ, then the loss L(a, y). Backward, right "
            "to left, the chain rule gives each derivative from the one after it: da, then dz = a − y, then "
            "dw = x·dz and db = dz. Vectors show their length ‖·‖ and a small sketch of their values."))
        layout.addLayout(row)
        layout.addWidget(self.toy_box)
        layout.addWidget(self.canvas, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(700)
        self.timer.timeout.connect(self._next_step)
        self._step = -1
        self.values: GraphValues | None = None

    def show_values(self, v: GraphValues, x: np.ndarray, w: np.ndarray, b: float, y: float, title: str) -> None:
        if self.toy.isChecked():
            return
        self.values = v
        c = self.canvas
        c.node_text = {"x": f"x  ‖x‖ = {np.linalg.norm(x):.2f}\n{title}", "w": f"w  ‖w‖ = {np.linalg.norm(w):.3g}",
                       "b": f"b = {b:.4f}", "z": f"z = wᵀx + b\n= {v.z:.4f}", "a": f"a = σ(z)\n= {v.a:.4f}",
                       "L": f"L(a, y={y:g})\n= {v.L:.4f}"}
        c.edge_text = {("a", "L"): f"da = {v.da:.4g}", ("z", "a"): f"dz = a − y = {v.dz:.4f}",
                       ("w", "z"): f"dw = x·dz, ‖dw‖ = {np.linalg.norm(v.dw):.3g}", ("b", "z"): f"db = {v.db:.4f}",
                       ("x", "z"): ""}
        c.sparks = {"x": _spark(x), "w": _spark(w)}
        c.update()

    def _toy_changed(self, *_):
        if not self.toy.isChecked():
            return
        s = {k: v.value() / 100 for k, v in self.sliders.items()}
        x, w, y = np.array([s["x1"], s["x2"]]), np.array([s["w1"], s["w2"]]), float(self.toy_label.isChecked())
        v = graph_values(w, s["b"], x, y)
        self.values = v
        c = self.canvas
        c.node_text = {"x": f"x₁ = {x[0]:.2f}\nx₂ = {x[1]:.2f}", "w": f"w₁ = {w[0]:.2f}\nw₂ = {w[1]:.2f}",
                       "b": f"b = {s['b']:.2f}", "z": f"z = w₁x₁ + w₂x₂ + b\n= {v.z:.4f}",
                       "a": f"a = σ(z) = {v.a:.4f}", "L": f"L = {v.L:.4f}  (y = {y:g})"}
        c.edge_text = {("a", "L"): f"da = {v.da:.4f}", ("z", "a"): f"dz = a − y = {v.dz:.4f}",
                       ("w", "z"): f"dw₁ = x₁dz = {v.dw[0]:.4f}\ndw₂ = x₂dz = {v.dw[1]:.4f}",
                       ("b", "z"): f"db = dz = {v.db:.4f}", ("x", "z"): ""}
        c.sparks = {}
        c.update()

    def show_check(self, difference: float) -> None:
        verdict = "agree" if difference < 1e-6 else "DISAGREE"
        self.check_result.setText(f"relative difference {difference:.2e}: they {verdict}")

    def _start_steps(self) -> None:
        self._step = -1
        self.timer.start()

    def _next_step(self) -> None:
        self._step += 1
        order = GraphCanvas.ORDER
        self.canvas.highlight = order[self._step] if self._step < len(order) else None
        if self._step >= len(order):
            self.timer.stop()
        self.canvas.update()


# ---------------------------------------------------------------------- 3. vectorization
class VectorizationPanel(QWidget):
    runRequested = Signal()

    def __init__(self):
        super().__init__()
        self.run = QPushButton("Run one iteration both ways")
        self.run.clicked.connect(self.runRequested)
        self.result = QLabel("Press the button: both versions compute J, dw and db on the current data.")
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-size: 11pt;")
        self.bars = pg.PlotWidget()
        self.bars.setLabel("left", "seconds for one iteration (log scale)")
        self.bars.getAxis("bottom").setTicks([[(0, "for-loops"), (1, "vectorized")]])
        self.bar_item = pg.BarGraphItem(x=[0, 1], height=[0, 0], width=0.6, brushes=["#d62728", "#2ca02c"])
        self.bars.addItem(self.bar_item)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "The lecture computes dw with two loops: over the m examples, and over the n_x features. numpy does "
            "the same arithmetic as a few matrix products, dw = X·dzᵀ/m, run by optimised code. Here both run "
            "now, on this machine, on your data."))
        layout.addWidget(self.run)
        layout.addWidget(self.result)
        layout.addWidget(self.bars, 1)

    def show_timing(self, t: VectorizationTiming, m: int) -> None:
        self.run.setEnabled(True)
        scaled = "" if t.m_loop == m else (f" (it ran on {t.m_loop} of the {m} examples, to stay near 2 s; "
                                           f"{t.loop_seconds:.2f} s there, scaled to all of them)")
        self.result.setText(
            f"for-loops: {t.loop_seconds_full:.3g} s{scaled}\nvectorized: {1000 * t.vector_seconds:.3g} ms\n"
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
    """Cross-entropy and squared error on the same slice, side by side."""

    def __init__(self):
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.plots, self.images = [], []
        for col, title in enumerate(("cross-entropy: one bowl", "squared error: plateaus")):
            plot = self.view.addPlot(row=0, col=col, title=title)
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(COLORMAP)
            plot.addItem(image)
            plain_axes(plot)
            self.plots.append(plot)
            self.images.append(image)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(
            "The same slice of J, with the course's loss (left) and with squared error (right). Cross-entropy "
            "gives a single bowl: every way down leads to the bottom. With squared error σ flattens the loss far "
            "from the data, so J has flat plateaus where the gradient is almost zero and descent can stall."))
        layout.addWidget(self.view, 1)
        self.views = []

    def show_views(self, views) -> None:
        self.views = views
        for plot, image, view in zip(self.plots, self.images, views, strict=True):
            show_heatmap(image, view.J, view.s, view.t, top=98)
            plot.setLabel("bottom", view.s_label)
            plot.setLabel("left", view.t_label)


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
        self.cut = self.view.addPlot(row=0, col=1, title="J(w) at the last run's b")
        self.cut.setLabel("bottom", "w")
        self.cut.setLabel("left", "J")
        self.cut_curve = self.cut.plot([], [], pen=pg.mkPen("#333", width=1))
        self.tangent = self.cut.plot([], [], pen=pg.mkPen("#d62728", width=1))
        self.cut_point = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#d62728"))
        self.cut.addItem(self.cut_point)
        self.step_arrow = pg.ArrowItem(headLen=14, brush="#2ca02c", pen=pg.mkPen("#2ca02c"))
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
        self.cut_curve.setData([], [])
        self.tangent.setData([], [])
        self.slope_text.setText("")

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
        if not self.bowl.runs:
            return
        run = self.bowl.runs[-1]
        w, b = float(run.w[0]), run.b
        W = np.linspace(*self.w_range, 200)
        self.cut_curve.setData(W, self.bowl.cut(b, W))
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
