"""The sweep: K learning rates on a log scale, the cost each reached, and the largest steady α.

Runs on a Worker; a point clicked opens that α as a run of the race (``open_alpha``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ..core.stability import SweepPoint, suggest, sweep
from .accessibility import buddy
from .worker import Worker


class SweepTab(QWidget):
    open_alpha = Signal(float)

    def __init__(self, train, options: dict, parent=None):
        super().__init__(parent)
        self.train, self.options = train, options
        self.job: Worker | None = None
        self.points: list[SweepPoint] = []
        self.k = QSpinBox()
        self.k.setRange(3, 200)
        self.k.setValue(25)
        self.k.setToolTip("How many learning rates to run, evenly spaced on a log scale.")
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value, tip in ((self.lo, -5.0, "The smallest α, as a power of ten."),
                                (self.hi, 1.0, "The largest α, as a power of ten.")):
            box.setRange(-8, 3)
            box.setDecimals(1)
            box.setValue(value)
            box.setPrefix("1e")
            box.setToolTip(tip)
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 100_000)
        self.iterations.setValue(300)
        self.iterations.setToolTip("Iterations of batch gradient descent for each α.")
        self.button = QPushButton("Run sweep")
        self.button.setToolTip("Run every α from the same start, in the background.")
        self.button.clicked.connect(self.run)
        self.suggestion = QLabel()
        head = QHBoxLayout()
        self.k.setAccessibleName("Number of learning rates K")
        self.lo.setAccessibleName("Smallest learning rate")
        self.hi.setAccessibleName("Largest learning rate")
        for w in (buddy("K", self.k), self.k, buddy("from", self.lo), self.lo, buddy("to", self.hi), self.hi,
                  buddy("iterations", self.iterations), self.iterations, self.button):
            head.addWidget(w)
        head.addStretch(1)
        self.plot = pg.PlotWidget()
        self.plot.setLogMode(x=True, y=True)
        self.plot.setLabel("bottom", "learning rate α")
        self.plot.setLabel("left", "cost after the run")
        self.dots = pg.ScatterPlotItem(size=10, hoverable=True)
        self.dots.sigClicked.connect(lambda _i, pts, _e=None: pts and self.open_alpha.emit(float(pts[0].data())))
        self.plot.addItem(self.dots)
        self.line = self.plot.plot([], [], pen=pg.mkPen("#999"))
        self.suggest_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#2ca02c", width=2), label="",
                                            labelOpts={"position": 0.9, "color": "#2ca02c"})
        self.suggest_line.hide()
        self.plot.addItem(self.suggest_line)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(QLabel("Blue: the cost fell steadily. Orange: it rose on the way. Red ×: diverged. "
                                "Click a point to open it as a run."))
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.suggestion)

    def run(self) -> None:
        alphas = np.logspace(self.lo.value(), self.hi.value(), self.k.value())
        iterations, train, options = self.iterations.value(), self.train, self.options
        self.button.setEnabled(False)
        self.suggestion.setText("Sweeping…")

        def work(cancelled, _progress):
            return sweep(train.X, train.Y, alphas, iterations, cancelled=cancelled, **options)

        self.job = Worker(work, self)
        self.job.failed.connect(lambda msg: self.suggestion.setText(f"The sweep stopped: {msg}"))
        self.job.finished.connect(lambda: self.show_points(self.job.result or []))
        self.job.start()

    def show_points(self, points: list[SweepPoint]) -> None:
        self.button.setEnabled(True)
        self.points = points
        if not points:
            return
        a = np.array([p.alpha for p in points])
        c = np.array([max(p.final_cost, 1e-300) for p in points])
        brushes = [pg.mkBrush("#d62728") if p.diverged else pg.mkBrush("#1f77b4" if p.steady else "#ff7f0e")
                   for p in points]
        symbols = ["x" if p.diverged else "o" for p in points]
        self.dots.setData(x=np.log10(a), y=np.log10(c), brush=brushes, symbol=symbols, data=a)
        self.line.setData(a, c)
        best = suggest(points)
        if best is None:
            self.suggestion.setText("No α decreased the cost steadily: try smaller ones.")
            self.suggest_line.hide()
        else:
            self.suggestion.setText(f"Suggested: α = {best:.3g}, the largest that decreased the cost steadily.")
            self.suggest_line.setValue(np.log10(best))
            self.suggest_line.label.setFormat(f"α = {best:.3g}")
            self.suggest_line.show()

    def settings(self) -> dict:
        return {"k": self.k.value(), "lo": self.lo.value(), "hi": self.hi.value(),
                "iterations": self.iterations.value()}

    def restore(self, settings: dict, points: list[SweepPoint]) -> None:
        self.k.setValue(settings["k"])
        self.lo.setValue(settings["lo"])
        self.hi.setValue(settings["hi"])
        self.iterations.setValue(settings["iterations"])
        self.show_points(points)

    def stop(self) -> None:
        if self.job is not None and self.job.isRunning():
            self.job.stop()
