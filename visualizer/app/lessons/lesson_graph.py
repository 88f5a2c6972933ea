"""The computation graph lesson: x, w, b -> z -> a -> L drawn as nodes with live values and derivatives,
stepped through forward and backward, with a two-feature toy and a gradient check."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.lessons.lessons import caption
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.lessons import GraphValues, graph_values


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
        font = QFont(self.font())  # the app's font: presentation mode enlarges it
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
        for (a, b), text in self.edge_text.items():  # derivatives last, clear of the boxes, on a light tag
            if text:
                mid = (centre[a] + centre[b]) / 2
                level = abs(centre[a].y() - centre[b].y()) < 1  # between two boxes of one row: above them
                box = QRectF(mid.x() - 90, mid.y() - (64 if level else 36), 180, 32)
                bound = p.boundingRect(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(255, 255, 255, 230))
                p.drawRoundedRect(bound.adjusted(-4, -2, 4, 2), 4, 4)
                p.setPen(QColor("#b22222"))
                p.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
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

    def draw(self, frame: Frame) -> None:
        """The graph's values for the picked example at this point of the run."""
        _, y, name = frame.example(*frame.selected)
        self.show_values(frame.graph(*frame.selected), frame.example_x(*frame.selected), frame.w,
                         float(frame.theta[-1]), y, name.rsplit("/", 1)[-1])

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
