"""The learning-rate explorer: several alphas side by side, and a sweep over alpha.

Runs go on a worker thread; the window redraws their curves a few times a second.
The shared slice and the table are drawn when the runs are done or paused.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.compare import COURSE_ALPHAS, Comparison
from ..core.stability import suggest, sweep
from ..data import Dataset
from .accessibility import buddy, name_by_labels
from .panels.plots import COLORMAP, plain_axes, show_heatmap
from .worker import Worker

# Okabe-Ito, each run also with its own dash pattern: two runs never differ by colour alone.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DASHES = [None, [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 2, 1, 2], [3, 6]]


def parse_alphas(text: str) -> list[float]:
    """'0.01 0.001, 1e-4' -> [0.01, 0.001, 0.0001]; raises ValueError naming the bad entry."""
    alphas = []
    for token in text.replace(",", " ").split():
        try:
            value = float(token)
        except ValueError:
            raise ValueError(f"{token!r} is not a number") from None
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{token} is not a positive learning rate")
        alphas.append(value)
    if not alphas:
        raise ValueError("give at least one learning rate")
    return alphas


class ExplorerWindow(QMainWindow):
    """Compare alphas (the course's preset is 0.01, 0.001, 0.0001 for 1500 iterations) and sweep them."""

    def __init__(self, train: Dataset, test: Dataset | None, options: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Learning-rate explorer")
        self.train, self.test, self.options = train, test, options
        self.comparison: Comparison | None = None
        self.job: Worker | None = None
        self.sweep_job: Worker | None = None
        self.sweep_points = []
        tabs = QTabWidget()
        tabs.addTab(self._compare_tab(), "Compare α")
        tabs.addTab(self._sweep_tab(), "Sweep α")
        self.tabs = tabs
        close = QPushButton("&Close")
        close.setToolTip("Close the explorer (Esc or Ctrl+W); running comparisons stop.")
        close.clicked.connect(self.close)
        tabs.setCornerWidget(close)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence.StandardKey.Close):
            QShortcut(keys, self, self.close)
        self.setCentralWidget(tabs)
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.redraw)
        self.resize(1150, 720)
        name_by_labels(self)

    # ------------------------------------------------------------------ compare
    def _compare_tab(self) -> QWidget:
        self.alphas_field = QLineEdit(" ".join(f"{a:g}" for a in COURSE_ALPHAS))
        self.alphas_field.setToolTip("Learning rates to run from the same start, separated by spaces.")
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 1_000_000)
        self.iterations.setValue(1500)
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run_comparison)
        preset = QPushButton("Course preset")
        preset.setToolTip("0.01, 0.001 and 0.0001 for 1500 iterations, as in the course.")
        preset.clicked.connect(self.course_preset)
        self.add_field = QLineEdit()
        self.add_field.setPlaceholderText("another α")
        self.add_field.setFixedWidth(90)
        add = QPushButton("Add")
        add.setToolTip("Add a run while the others go on.")
        add.clicked.connect(self.add_run)
        self.message = QLabel()
        head = QHBoxLayout()
        self.add_field.setAccessibleName("Another α")
        for w in (buddy("&α values", self.alphas_field), self.alphas_field, buddy("&iterations", self.iterations),
                  self.iterations, self.run_button, preset, self.add_field, add):
            head.addWidget(w)
        self.curves = pg.PlotWidget()
        self.curves.setLabel("bottom", "iteration")
        self.curves.setLabel("left", "cost J (train solid, test dashed)")
        self.curves.addLegend(offset=(-10, 10))
        self.slice_plot = pg.PlotWidget()
        self.slice_image = pg.ImageItem(axisOrder="row-major")
        self.slice_image.setColorMap(COLORMAP)
        self.slice_plot.addItem(self.slice_image)
        self.slice_plot.addLegend(offset=(10, 10))
        plain_axes(self.curves, self.slice_plot)
        self.slice_note = QLabel()
        self.slice_note.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Compared runs")
        self.table.setHorizontalHeaderLabels(["α", "final cost", "train accuracy", "test accuracy", "diverged"])
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.slice_plot, 1)
        rl.addWidget(self.slice_note)
        split = QSplitter()
        split.addWidget(self.curves)
        split.addWidget(right)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(split, 3)
        layout.addWidget(self.table, 1)
        self._items: dict[float, tuple] = {}
        return page

    def course_preset(self) -> None:
        self.alphas_field.setText(" ".join(f"{a:g}" for a in COURSE_ALPHAS))
        self.iterations.setValue(1500)
        self.run_comparison()

    def run_comparison(self) -> None:
        try:
            alphas = parse_alphas(self.alphas_field.text())
        except ValueError as exc:
            self.message.setText(f"α values: {exc}")
            return
        self.stop()
        self.message.setText("")
        t = self.test
        self.comparison = Comparison(self.train.X, self.train.Y, None if t is None else t.X,
                                     None if t is None else t.Y, iterations=self.iterations.value(), **self.options)
        for item in self.curves.listDataItems():
            self.curves.removeItem(item)
        self.curves.plotItem.legend.clear()
        self._items = {}
        for alpha in alphas:
            self._add(alpha)
        self._start()

    def add_run(self) -> None:
        try:
            (alpha,) = parse_alphas(self.add_field.text())
        except ValueError as exc:
            self.message.setText(f"another α: {exc}")
            return
        self.add_alpha(alpha)

    def add_alpha(self, alpha: float) -> None:
        if self.comparison is None:
            self.alphas_field.setText(repr(alpha))
            self.run_comparison()
            return
        if alpha in self._items:  # already compared: one curve and one legend entry per alpha
            self.message.setText(f"α = {alpha:g} is already in the comparison.")
            return
        running = self.job is not None and self.job.isRunning()
        if running:
            self.job.cancel()
            self.job.wait()
        self._add(alpha)
        self._start()

    def open_run(self, alpha: float) -> None:
        """From the sweep: show this alpha among the compared runs."""
        self.tabs.setCurrentIndex(0)
        self.add_alpha(alpha)

    def _add(self, alpha: float) -> None:
        self.comparison.add(alpha)
        k = len(self._items)
        colour = PALETTE[k % len(PALETTE)]
        pen = pg.mkPen(colour, width=2)
        if DASHES[k % len(DASHES)]:
            pen.setDashPattern(DASHES[k % len(DASHES)])
        train = self.curves.plot([], [], pen=pen, name=f"α = {alpha:g}")
        test = self.curves.plot([], [], pen=pg.mkPen(colour, width=1, style=pg.QtCore.Qt.PenStyle.DashLine))
        for c in (train, test):
            c.setDownsampling(auto=True, method="peak")
            c.setClipToView(True)
        self._items[alpha] = (train, test, colour)

    def _start(self) -> None:
        comparison = self.comparison
        self.job = Worker(lambda cancelled, _progress: self._work(comparison, cancelled), self)
        self.job.failed.connect(lambda msg: self.message.setText(f"The comparison stopped: {msg}"))
        self.job.finished.connect(self._finished)
        self.run_button.setEnabled(False)
        self.job.start()
        self.timer.start()

    @staticmethod
    def _work(comparison: Comparison, cancelled) -> None:
        while not cancelled() and comparison.step(25, cancelled=cancelled):
            pass

    def _finished(self) -> None:
        self.run_button.setEnabled(True)
        self.timer.stop()
        self.redraw(final=True)

    def redraw(self, final: bool = False) -> None:
        if self.comparison is None:
            return
        for alpha, gd in list(self.comparison.runs.items()):
            train, test, _ = self._items[alpha]
            n, costs = gd.iteration, gd.history.costs
            k = costs.stored_until(n)  # a long run keeps every stride-th iteration
            train.setData(costs.iterations(k), costs.values[:k])
            test.setData(*gd.history.metric("test_cost", n))
        if final:
            self._draw_table()
            self._draw_slice()

    def _draw_table(self) -> None:
        rows = self.comparison.summaries()
        self.table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            cells = [f"{s.alpha:g}", f"{s.final_cost:.6f}", f"{s.train_accuracy:.2f} %",
                     "-" if s.test_accuracy is None else f"{s.test_accuracy:.2f} %", "yes" if s.diverged else "no"]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            train, _, _ = self._items[s.alpha]
            self.curves.plotItem.legend.getLabel(train).setText(
                f"α = {s.alpha:g}" + (" (diverged)" if s.diverged else ""))

    def _draw_slice(self) -> None:
        view = self.comparison.shared_slice()
        if view is None:
            return
        show_heatmap(self.slice_image, view.J, view.s, view.t)
        for item in self.slice_plot.listDataItems():
            self.slice_plot.removeItem(item)
        self.slice_plot.plotItem.legend.clear()
        notes = []
        for alpha, (s, t, distance) in view.paths.items():
            colour = self._items[alpha][2]
            self.slice_plot.plot(s, t, pen=pg.mkPen(colour, width=2), name=f"α = {alpha:g}")
            notes.append(f"α = {alpha:g}: up to {float(distance.max()):.3g} off the plane")
        self.slice_plot.setLabel("bottom", view.s_label)
        self.slice_plot.setLabel("left", view.t_label)
        self.slice_note.setText("One fixed plane for all runs, through the common start. " + "; ".join(notes) + ".")

    # ------------------------------------------------------------------ sweep
    def _sweep_tab(self) -> QWidget:
        self.k = QSpinBox()
        self.k.setRange(3, 200)
        self.k.setValue(25)
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.lo, -5.0), (self.hi, 1.0)):
            box.setRange(-8, 3)
            box.setDecimals(1)
            box.setValue(value)
            box.setPrefix("1e")
        self.sweep_iterations = QSpinBox()
        self.sweep_iterations.setRange(1, 100_000)
        self.sweep_iterations.setValue(300)
        self.sweep_button = QPushButton("Run sweep")
        self.sweep_button.clicked.connect(self.run_sweep)
        self.suggestion = QLabel()
        head = QHBoxLayout()
        self.k.setAccessibleName("Number of learning rates K")
        self.lo.setAccessibleName("Smallest learning rate")
        self.hi.setAccessibleName("Largest learning rate")
        for w in (buddy("K", self.k), self.k, buddy("from", self.lo), self.lo, buddy("to", self.hi), self.hi,
                  buddy("iterations", self.sweep_iterations), self.sweep_iterations, self.sweep_button):
            head.addWidget(w)
        head.addStretch(1)
        self.sweep_plot = pg.PlotWidget()
        self.sweep_plot.setLogMode(x=True, y=True)
        self.sweep_plot.setLabel("bottom", "learning rate α")
        self.sweep_plot.setLabel("left", "cost after the run")
        self.sweep_plot.addLegend(offset=(10, 10))
        self.sweep_dots = pg.ScatterPlotItem(size=10, hoverable=True)
        self.sweep_dots.sigClicked.connect(lambda _i, pts, _e=None: pts and self.open_run(float(pts[0].data())))
        self.sweep_plot.addItem(self.sweep_dots)
        self.sweep_line = self.sweep_plot.plot([], [], pen=pg.mkPen("#999"))
        self.suggest_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#2ca02c", width=2), label="",
                                            labelOpts={"position": 0.9, "color": "#2ca02c"})
        self.suggest_line.hide()
        self.sweep_plot.addItem(self.suggest_line)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(head)
        layout.addWidget(QLabel("Blue: the cost fell steadily. Orange: it rose on the way. Red ×: diverged. "
                                "Click a point to open it as a run."))
        layout.addWidget(self.sweep_plot, 1)
        layout.addWidget(self.suggestion)
        return page

    def run_sweep(self) -> None:
        alphas = np.logspace(self.lo.value(), self.hi.value(), self.k.value())
        iterations = self.sweep_iterations.value()
        train, options = self.train, self.options
        self.sweep_button.setEnabled(False)
        self.suggestion.setText("Sweeping…")

        def work(cancelled, _progress):
            return sweep(train.X, train.Y, alphas, iterations, cancelled=cancelled, **options)

        self.sweep_job = Worker(work, self)
        self.sweep_job.failed.connect(lambda msg: self.suggestion.setText(f"The sweep stopped: {msg}"))
        self.sweep_job.finished.connect(self._sweep_done)
        self.sweep_job.start()

    def _sweep_done(self) -> None:
        self.sweep_button.setEnabled(True)
        points = self.sweep_job.result or []
        self.sweep_points = points
        if not points:
            return
        a = np.array([p.alpha for p in points])
        c = np.array([max(p.final_cost, 1e-300) for p in points])
        brushes = [pg.mkBrush("#d62728") if p.diverged else pg.mkBrush("#1f77b4" if p.steady else "#ff7f0e")
                   for p in points]
        symbols = ["x" if p.diverged else "o" for p in points]
        self.sweep_dots.setData(x=np.log10(a), y=np.log10(c), brush=brushes, symbol=symbols, data=a)
        self.sweep_line.setData(a, c)
        best = suggest(points)
        if best is None:
            self.suggestion.setText("No α decreased the cost steadily: try smaller ones.")
            self.suggest_line.hide()
        else:
            self.suggestion.setText(f"Suggested: α = {best:.3g}, the largest that decreased the cost steadily.")
            self.suggest_line.setValue(np.log10(best))
            self.suggest_line.label.setFormat(f"α = {best:.3g}")
            self.suggest_line.show()

    # ------------------------------------------------------------------ closing
    def stop(self) -> None:
        for job in (self.job, self.sweep_job):
            if job is not None and job.isRunning():
                job.cancel()
                job.wait()

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.stop()
        super().closeEvent(event)
