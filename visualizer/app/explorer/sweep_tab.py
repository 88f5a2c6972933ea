"""The sweep: K learning rates on a log scale, each one's cost curve, the cost each reached, a suggested α.

Runs on a Worker; a point clicked opens that α as a run of the race (``open_alpha``). The sweep
exports as CSV (one row per α and iteration) and as a titled PNG or SVG of its two plots, through
the race's dialog and the one atomic writer.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.accessibility import buddy
from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.common.images import captioned, png_bytes, slide_image
from visualizer.app.explorer.comparison_plots import ExportButtons, ask_path, svg_bytes, write_export
from visualizer.app.panels.plots import COLORMAP, plain_axes
from visualizer.app.run.worker import Worker
from visualizer.core.analysis.stability import SweepPoint, lower_after_a_rise, suggest, sweep_curves
from visualizer.formats import comparison_files
from visualizer.fs.atomic import atomic_write
from visualizer.model.pinned import data_name

NO_SWEEP = "Run a sweep first: there is nothing to export yet."
NO_CURVES = ("This sweep was saved without its cost at each iteration (by an older version): "
             "run it again to export it as CSV.")
#: Curves coloured by log α; the ends of viridis too dark or too pale on one of the themes are left out.
ALPHA_COLORS = COLORMAP.getSubset(0.1, 0.8)
#: The verdict (core.analysis.verdicts) as the curve's line: fell at every step; rose on the way (or stayed flat)
#: but did not end above its start; diverged (ended above its start, or stopped being finite).
STYLES = {"steady": Qt.PenStyle.SolidLine, "rose": Qt.PenStyle.DashLine, "diverged": Qt.PenStyle.DotLine}


def suggestion_text(points: list[SweepPoint]) -> str:
    """The suggested α, and the α that ended lower after J rose on the way, when one did: both measured."""
    best = suggest(points)
    cost = next(p.final_cost for p in points if p.alpha == best)
    text = f"Suggested: α = {best:.3g}, whose J fell at every step, to {cost:.3g}, the lowest of those that did."
    lower = lower_after_a_rise(points)
    if lower is not None:
        text += (f" α = {lower.alpha:.3g} ended lower, at {lower.final_cost:.3g}, after J rose on the way: "
                 "not diverged.")
    return text


class PowerOfTen(QDoubleSpinBox):
    """A value that is a power of ten (``value()`` is the exponent) shown and typed as the number itself:
    "1e-5" and "10", not "1e-5.0" and "1e1.0"."""

    def textFromValue(self, exponent: float) -> str:
        return re.sub(r"e([+-])0*(\d)", lambda m: "e" + m[1].replace("+", "") + m[2], f"{10.0**exponent:.3g}")

    def valueFromText(self, text: str) -> float:
        return math.log10(float(text))

    def validate(self, text: str, pos: int):
        try:
            exponent = math.log10(float(text))
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        inside = self.minimum() <= exponent <= self.maximum()
        return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, pos


class SweepTab(QWidget):
    open_alpha = Signal(float)

    def __init__(self, train, options: dict, parent=None):
        super().__init__(parent)
        self.train, self.options = train, options
        self.job: Worker | None = None
        self.points: list[SweepPoint] = []
        self.curves: list[np.ndarray] | None = None  # each α's J at iterations 0, 1, ... (None: an older file)
        self.swept: dict | None = None  # the settings the shown sweep ran with
        self.k = QSpinBox()
        self.k.setRange(3, 200)
        self.k.setValue(25)
        self.k.setToolTip("How many learning rates to run, evenly spaced on a log scale.")
        self.lo, self.hi = PowerOfTen(), PowerOfTen()
        for box, value, tip in ((self.lo, -5.0, "The smallest α (the arrows step by a decade)."),
                                (self.hi, 1.0, "The largest α (the arrows step by a decade).")):
            box.setRange(-8, 3)
            box.setDecimals(3)
            box.setValue(value)
            box.setToolTip(tip + " Type any α, such as 3e-4 or 0.5.")
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 100_000)
        self.iterations.setValue(300)
        self.iterations.setToolTip("Iterations of batch gradient descent for each α.")
        self.button = QPushButton("Run sweep")
        self.button.setToolTip("Run every α from the same start, in the background.")
        self.button.clicked.connect(self.run)
        self.suggestion = WrappedLabel()  # one line of it widened the explorer past a 1280 px screen
        head = QHBoxLayout()
        self.k.setAccessibleName("Number of learning rates K")
        self.lo.setAccessibleName("Smallest learning rate")
        self.hi.setAccessibleName("Largest learning rate")
        for w in (buddy("K", self.k), self.k, buddy("from", self.lo), self.lo, buddy("to", self.hi), self.hi,
                  buddy("iterations", self.iterations), self.iterations, self.button):
            head.addWidget(w)
        head.addStretch(1)
        self.curve_plot = pg.PlotWidget()
        self.curve_plot.setLogMode(y=True)
        self.curve_plot.setLabel("bottom", "iteration")
        self.curve_plot.setLabel("left", "cost J, each α")
        self.curve_plot.setDownsampling(auto=True, mode="peak")
        self.curve_plot.setClipToView(True)
        self.bar = pg.ColorBarItem(values=(-5, 1), colorMap=ALPHA_COLORS, interactive=False, label="log₁₀ α")
        self.curve_plot.plotItem.layout.addItem(self.bar, 2, 5)
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
        plain_axes(self.curve_plot, self.plot)
        self.pictures = QSplitter()
        self.pictures.addWidget(self.curve_plot)
        self.pictures.addWidget(self.plot)
        self.exports = ExportButtons(("Every α's cost, one row per α and iteration.",
                                      "The curves and the cost each α reached, titled.",
                                      "The curves and the cost each α reached as vectors, titled."),
                                     self.export_csv, self.export_picture, NO_SWEEP)
        self.message = QLabel()
        self.message.setWordWrap(True)
        tools = QHBoxLayout()
        tools.addWidget(self.suggestion, 1)
        for b in self.exports.buttons:
            tools.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        legend = QLabel("Left: each α's cost at every iteration, coloured by α; solid: it fell at every step, "
                        "dashed: it rose on the way (or stayed flat) but did not end above its start, dotted: "
                        "diverged (it ended above its start). Right: the cost each α reached; blue: fell at every "
                        "step, orange: rose on the way, red ×: diverged. Click a point to open it as a run.")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        layout.addWidget(self.pictures, 1)
        layout.addLayout(tools)
        layout.addWidget(self.message)

    def run(self) -> None:
        alphas = np.logspace(self.lo.value(), self.hi.value(), self.k.value())
        settings = {"k": self.k.value(), "lo": self.lo.value(), "hi": self.hi.value(),
                    "iterations": self.iterations.value()}
        train, options = self.train, self.options
        self.button.setEnabled(False)
        self.suggestion.setText("Sweeping…")

        def work(cancelled, _progress):
            return sweep_curves(train.X, train.Y, alphas, settings["iterations"], cancelled=cancelled, **options)

        self.job = job = Worker(work, self)
        job.failed.connect(lambda msg: self.suggestion.setText(f"The sweep stopped: {msg}"))
        job.finished.connect(lambda: self._finished(settings, job.result))
        job.start()

    def _finished(self, settings: dict, result) -> None:
        self.button.setEnabled(True)
        if result is not None and result[0]:  # a failed sweep leaves the last one shown
            self.swept = settings
            self.show_points(*result)

    def show_points(self, points: list[SweepPoint], curves: list[np.ndarray] | None) -> None:
        self.points, self.curves = points, curves
        self.exports.allow(NO_SWEEP if not points else NO_CURVES if curves is None else None,
                           None if points else NO_SWEEP)
        self.draw_curves()
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
            self.suggestion.setText("No α lowered the cost at every step: try smaller ones.")
            self.suggest_line.hide()
        else:
            self.suggestion.setText(suggestion_text(points))
            self.suggest_line.setValue(np.log10(best))
            self.suggest_line.label.setFormat(f"α = {best:.3g}")
            self.suggest_line.show()

    def draw_curves(self) -> None:
        """Each α's J against the iteration, coloured by log α on the bar, its line style the verdict."""
        self.curve_plot.clear()
        if not self.points or self.curves is None:
            return
        logs = np.log10([p.alpha for p in self.points])
        lo, hi = float(logs.min()), float(logs.max())
        self.bar.setLevels((lo, hi if hi > lo else lo + 1))
        kept = []  # the curves of the runs that did not diverge set the view: the others swing off its top
        for p, log, curve in zip(self.points, logs, self.curves, strict=True):
            verdict = "diverged" if p.diverged else "steady" if p.steady else "rose"
            color = ALPHA_COLORS.map((log - lo) / (hi - lo) if hi > lo else 0.5, mode="qcolor")
            if p.diverged:
                color.setAlpha(90)
            elif curve.size:
                kept.append(curve)
            self.curve_plot.plot(np.arange(curve.size), np.maximum(curve, 1e-300),
                                 pen=pg.mkPen(color, width=1 if p.diverged else 1.5, style=STYLES[verdict]))
        if kept:
            low = max(min(float(c.min()) for c in kept), 1e-300)
            high = max(float(c.max()) for c in kept)
            self.curve_plot.setYRange(np.log10(low), np.log10(max(high, low * 1.01)), padding=0.05)
        else:
            self.curve_plot.enableAutoRange(y=True)

    def settings(self) -> dict | None:
        """The settings of the sweep shown (the boxes may have changed since it ran); None before one ran."""
        return self.swept

    def restore(self, settings: dict, points: list[SweepPoint], curves: list[np.ndarray] | None) -> None:
        self.k.setValue(settings["k"])
        self.lo.setValue(settings["lo"])
        self.hi.setValue(settings["hi"])
        self.iterations.setValue(settings["iterations"])
        self.swept = dict(settings)
        self.show_points(points, curves)

    # ------------------------------------------------------------------ exports
    def caption(self) -> str:
        name = data_name(self.train.source)
        alphas = [p.alpha for p in self.points]
        best = suggest(self.points)
        return (f"Sweep of α on {name}, m = {self.train.m}: {len(alphas)} learning rates from {min(alphas):.3g} "
                f"to {max(alphas):.3g}, {self.swept['iterations']} iterations of batch gradient descent each"
                + ("" if best is None else f"; suggested α = {best:.3g}"))

    def export_csv(self, path: str | None = None) -> None:
        if not self.points or self.curves is None:
            self.message.setText(NO_SWEEP if not self.points else NO_CURVES)
            return
        path = path or ask_path(self, "Export the sweep as CSV", ".csv")
        if path:
            points, curves = self.points, self.curves
            write_export(self.message, path, lambda: comparison_files.save_sweep_csv(path, points, curves))

    def export_picture(self, kind: str, path: str | None = None) -> None:
        if not self.points:
            self.message.setText(NO_SWEEP)
            return
        path = path or ask_path(self, f"Export the sweep as {kind.upper()}", f".{kind}")
        if path:
            title = self.caption()
            draw = (lambda: png_bytes(captioned(slide_image(self.pictures), title))) if kind == "png" else (
                lambda: svg_bytes(title, self.curve_plot, self.plot))
            write_export(self.message, path, lambda: atomic_write(path, lambda f: f.write(draw())))

    def stop(self) -> None:
        if self.job is not None and self.job.isRunning():
            self.job.stop()
