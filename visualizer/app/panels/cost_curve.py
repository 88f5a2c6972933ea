"""J against iteration (train, and dashed test), accuracy below on a linked axis.

Items are created once and fed with setData. What the panel shows is drawn from the run's history
each time (drawing twice changes nothing): each legend names what is drawn now, the change marks
are this history's changes, and the cost axis fits the curves drawn. The cost goes through a peak envelope of
about two points per pixel column, built incrementally, so a frame costs the same at any
length of run. The points where alpha or the optimizer changed are marked. With mini-batches
each step's batch cost is drawn faint (it is noisy) and the full J of all m examples solid,
at the metrics' stride; the x-axis can count iterations, epochs or examples seen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from visualizer.app.panels.curve_parts import (
    LABEL_PAD,
    LABEL_ROWS,
    dot_if_lone,
    drawn,
    fit_left_label,
    label_places,
    legend_spans,
    list_in_legend,
)
from visualizer.app.panels.pinned_curves import PinnedCurves
from visualizer.app.panels.plots import nice_ceiling, plain_axes
from visualizer.app.panels.stability_plot import StabilityPlot
from visualizer.core.analysis.envelope import PeakEnvelope, bucket_for
from visualizer.core.analysis.run_axes import UNITS, describe_change, from_axis, to_axis
from visualizer.core.optim.optimizers import Optimizer

#: The least height, in pixels, of each of the three plots' own area (a learner reads a curve and its ticks there):
#: below what that takes, the view shows the cost alone. At 1280 x 800 a lesson gave each 40 px.
READABLE = 80
TRAIN_PEN = pg.mkPen("#1f77b4", width=1)
BATCH_PEN = pg.mkPen((31, 119, 180, 70), width=1)  # each step's batch J: noisy, so faint
FULL_PEN = pg.mkPen("#1f77b4", width=2)
TEST_PEN = pg.mkPen("#ff7f0e", width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
ALPHA_PEN = pg.mkPen("#9467bd", width=1, style=pg.QtCore.Qt.PenStyle.DotLine)
NOW_PEN = pg.mkPen("#444", width=1)


class CostCurvePanel(QWidget):
    def __init__(self, state=None):
        """``state``: the window's WindowState, whose kept curves (``state.pinned``) the panel draws."""
        super().__init__()
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot(row=0, col=0)
        self.plot.setLabel("left", "cost J")
        self.plot.addLegend(offset=(-10, 10))
        self.acc = self.view.addPlot(row=1, col=0)
        self.acc.setLabel("left", "accuracy %")
        self.acc.setXLink(self.plot)
        self.acc.setYRange(0, 100, padding=0.02)
        self.acc.addLegend(offset=(-10, -2), colCount=2)  # one row at the bottom, below the accuracies
        self.edge = StabilityPlot(self.view, 2, self._x)
        self.stability, self.alpha_steps, self.edge_curve = self.edge.plot, self.edge.alpha_steps, self.edge.edge_curve
        self.stability.setXLink(self.plot)
        self.ghost = self.plot.plot([], [], pen=pg.mkPen((120, 120, 120, 150), width=1,
                                                         style=pg.QtCore.Qt.PenStyle.DotLine))
        plain_axes(self.plot, self.acc, self.stability)
        for plot, full, brief in ((self.plot, "cost J", "J"), (self.acc, "accuracy %", "%"),
                                  (self.stability, "α, edge", "α")):
            plot.vb.sigResized.connect(lambda _vb, p=plot, f=full, b=brief: fit_left_label(p, f, b))
        for plot in (self.plot, self.acc):  # one iteration axis, at the bottom, for the three linked plots
            plot.getAxis("bottom").setStyle(showValues=False)
        self.plot.enableAutoRange(x=False)
        self._x_max = 0.0
        self.view.ci.layout.setRowStretchFactor(0, 4)
        self.view.ci.layout.setRowStretchFactor(1, 2)
        self.view.ci.layout.setRowStretchFactor(2, 2)
        self.train_curve = self.plot.plot([], [], pen=TRAIN_PEN, name="train", symbolSize=6,
                                          symbolBrush="#1f77b4", symbolPen=None)
        # the full J at the metrics' stride, named only with mini-batches; a dot at each point actually computed
        self.full_curve = self.plot.plot([], [], pen=FULL_PEN, symbol="o", symbolSize=4, symbolPen=None,
                                         symbolBrush="#1f77b4")
        self._mini = False
        self.test_curve = self.plot.plot([], [], pen=TEST_PEN, name="test")
        self.train_acc = self.acc.plot([], [], pen=TRAIN_PEN, name="train")
        self.test_acc = self.acc.plot([], [], pen=TEST_PEN, name="test")
        for curve in (self.test_curve, self.full_curve, self.train_acc, self.test_acc):  # <= METRIC_ROWS points
            curve.setDownsampling(auto=True, method="peak")
        for curve in (self.train_curve, self.full_curve, self.test_curve, self.train_acc, self.test_acc):
            curve.setClipToView(True)
        self._envelope = PeakEnvelope()
        self._marked: list = []
        self.now_line = pg.InfiniteLine(angle=90, pen=NOW_PEN)
        self.now_line.hide()
        self.plot.addItem(self.now_line)
        self.alpha_marks: list[pg.InfiniteLine] = []
        self.hover = QLabel(" ")
        self.hover.setStyleSheet("color: palette(window-text);")
        self.log_y = QCheckBox("log scale")
        self.log_y.setToolTip("Show J on a logarithmic axis, where slow late progress is easier to see.")
        self.log_y.toggled.connect(self._log_toggled)
        self.show_ghost = QCheckBox("old α's ghost")
        self.show_ghost.setChecked(True)
        self.show_ghost.setToolTip("When you change α, the path the old α would have taken keeps going faintly "
                                   "beside the real one for a while.")
        self.show_ghost.toggled.connect(self._ghost_toggled)
        self.proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)
        self.unit = QComboBox()
        for unit in UNITS:
            self.unit.addItem(f"x: {unit}", unit)
        self.unit.setAccessibleName("x-axis")
        self.unit.setToolTip("Count the run in iterations, in epochs (m examples each) or in examples seen: "
                             "with mini-batches an iteration sees only B examples.")
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self._changes: list[tuple[int, Optimizer]] = [(0, Optimizer())]
        self._ghost_args: tuple = (0, [])
        self._m = 1
        foot = QHBoxLayout()
        foot.addWidget(self.unit)
        foot.addWidget(self.log_y)
        foot.addWidget(self.show_ghost)
        foot.addWidget(self.hover, 1)
        self.pinned = PinnedCurves(self.plot)
        self.keeping = QWidget()  # a row of its own: beside the others, the panel was 484 px wide at least
        keeping = QHBoxLayout(self.keeping)
        keeping.setContentsMargins(0, 0, 0, 0)
        for button in self.pinned.buttons:
            keeping.addWidget(button)
        keeping.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self._short = False
        self.view.installEventFilter(self)  # its resizes decide whether the two lower plots fit
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pinned)
        layout.addLayout(foot)
        layout.addWidget(self.keeping)
        self._history = None
        self._n = 0
        self._fed: dict[str, tuple] = {}  # what each metric curve was last given
        self._y_top = None
        self.plot.enableAutoRange(y=False)
        self._list_drawn()
        if state is not None:
            state.events.pinned.connect(self.show_pinned)
            self.show_pinned(state.pinned)

    def show_pinned(self, curves) -> None:
        """The kept curves, in the plot and the legend; the axes take them in."""
        self.pinned.show_curves(curves, self.x_unit)
        self.view.ci.layout.setRowStretchFactor(0, 6 if curves else 4)  # their list below takes from the plots
        self._fit_x()
        self._list_drawn()
        self._fit_y()

    def _fit_x(self) -> None:
        """The iteration axis spans the run and the kept curves, in steps: redrawing axes every frame is costly."""
        x_max = nice_ceiling(max(float(self._x([max(self._n, 10)])[0]), self.pinned.x_max(self.x_unit), 1e-9))
        if x_max != self._x_max:
            self._x_max = x_max
            self.plot.setXRange(0, x_max, padding=0.02)

    def _ghost_toggled(self, on: bool) -> None:
        self.ghost.setVisible(on)
        self._list_drawn()
        self._fit_y()

    def _list_drawn(self) -> None:
        """Each legend names what is drawn now: a curve without points, or the ghost while hidden, is not named."""
        cost = [(self.train_curve, "this step's batch J" if self._mini else "train")]
        cost += [(self.full_curve, "train J (all m)")] if self._mini else []
        cost += [(self.test_curve, "test")] + ([(self.ghost, "old α (ghost)")] if self.show_ghost.isChecked() else [])
        cost += self.pinned.entries()
        self.plot.legend.setColumnCount(2 if len(cost) > 3 else 1)  # kept curves: a legend as tall as the plot cut them
        for plot, entries in ((self.plot, cost), (self.acc, [(self.train_acc, "train"), (self.test_acc, "test")]),
                              (self.stability, self.edge.entries())):
            list_in_legend(plot.legend, [(item, name) for item, name in entries if drawn(item)])

    def _log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self.plot.enableAutoRange(y=on)  # a log axis autoscales; the linear one steps (see _fit_y)
        self._y_top = None

    @property
    def x_unit(self) -> str:
        return self.unit.currentData()

    def _x(self, iterations) -> np.ndarray:
        """Iterations as positions on the x-axis in the unit chosen."""
        return to_axis(self.x_unit, self._changes, self._m, iterations)

    def _unit_changed(self) -> None:
        self.stability.setLabel("bottom", UNITS[self.x_unit])
        if self._short:
            self.plot.setLabel("bottom", UNITS[self.x_unit])
        self._x_max = 0.0
        self._marked = []
        self.pinned.show_curves(self.pinned.curves, self.x_unit)
        self.show_ghost_costs(*self._ghost_args)
        if self._history is not None:
            self.show_history(self._history, self._n, None, m=self._m)
            self.show_stability(self._history, self._n)

    def show_history(self, history, iteration: int, view_iteration: int | None = None,
                     now: tuple[int, float] | None = None, m: int = 1, metrics: bool = True) -> None:
        """The recorded costs up to ``iteration``, and ``now``: (iteration, J) of the current point,
        which the history holds only once the next step is taken. ``m``: examples in the training set.
        ``metrics``: False leaves the test J, the accuracies and the full J as they are (a training window
        hands them over fewer times a second than the cost line)."""
        self._history, self._m, self._changes = history, m, history.optimizer_changes
        n = self._n = min(iteration, len(history.costs))
        self._show_mini(any(opt.batch(m) < m for _, opt in self._changes))
        for curve, name in ((self.train_acc, "train_accuracy"), (self.test_curve, "test_cost"),
                            (self.test_acc, "test_accuracy"),
                            (self.full_curve, "train_cost")):
            if curve is self.full_curve and not self._mini:
                continue  # hidden: its dots are the costliest item to update
            if not metrics and name in self._fed:
                continue  # drawn already, and this frame is not one of the metrics' frames
            its, values = history.metric(name, n)
            # metrics come every few dozen iterations: an unchanged curve is not handed over again,
            # which would repaint its plot (the accuracy plot was half of a frame's painting)
            key = (len(its), its[-1] if len(its) else None, values[-1] if len(values) else None, self.x_unit, m,
                   tuple(self._changes))
            if self._fed.get(name) != key:
                self._fed[name] = key
                if curve is not self.full_curve:  # it has dots of its own, at every point computed
                    dot_if_lone(curve, len(its))
                curve.setData(self._x(its), values)
        self._fit_x()
        lo, hi = (from_axis(self.x_unit, self._changes, m, v) for v in self.plot.vb.viewRange()[0])
        span = max(min(hi, n) - max(lo, 0), 1)
        bucket = bucket_for(span, int(self.plot.vb.width()), history.costs.stride)
        x, y = self._envelope.curve(history.costs, n, bucket)
        if now is not None and now[0] == n and not self._mini:  # now is the full J, not a batch's
            x, y = np.append(x, now[0]), np.append(y, now[1])
        dot_if_lone(self.train_curve, len(x))  # iteration 0: J = 0.693
        self.train_curve.setData(self._x(x), y)
        self._list_drawn()
        self._mark_changes(history, m)  # once the legend, which the labels keep clear of, lists what is drawn
        self._fit_y()
        self._align_left_axes()
        if view_iteration is not None and view_iteration < n:
            self.now_line.setValue(float(self._x([view_iteration])[0]))
            self.now_line.show()
        else:
            self.now_line.hide()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_rows(event.size().height())
        return False

    def _fit_rows(self, height: int) -> None:
        """Below about fourteen lines of text the accuracy and edge plots are left out and the cost plot has
        the panel: three plots of a few dozen pixels each (a lesson's short panel) showed none of them."""
        kept_row = self.keeping.sizeHint().height() + self.layout().spacing() if self.keeping.isHidden() else 0
        short = height - kept_row < self.full_view_height()  # as with the row shown
        for row in range(3):  # the cost alone has whatever there is; the axis under the plots takes its own height
            self.view.ci.layout.setRowMinimumHeight(row, 0 if short else self._row_least(row))
        if short == self._short:
            return
        self._short = short
        for row, plot in ((1, self.acc), (2, self.stability)):
            plot.setVisible(not short)
            plot.setMaximumHeight(0 if short else 16_777_215)
            self.view.ci.layout.setRowStretchFactor(row, 0 if short else 2)
        axis = self.plot.getAxis("bottom")
        axis.setStyle(showValues=short)
        self.plot.setLabel("bottom", self.stability.getAxis("bottom").labelText if short else None)
        self.view.setToolTip("Make the panel taller to see the accuracies, the edge of stability and the Keep buttons."
                             if short else "")
        self.keeping.setVisible(not short)  # K and Run > Keep this run keep the run on a short panel too
        self.layout().activate()  # the plots get the row's room now, not after the next event loop

    def _row_least(self, row: int) -> int:
        """The least height of the three plots' row ``row``: READABLE for the plot's own area and 3 for its frame,
        and under the lowest the iteration axis with its values and title (the others end in a bare line)."""
        return READABLE + 3 + (int(self.stability.getAxis("bottom").minimumHeight()) if row == 2 else 0)

    def full_view_height(self) -> int:
        """The plots' view height at which each of the three plots has READABLE pixels of its own."""
        layout = self.view.ci.layout
        _, top, _, bottom = layout.getContentsMargins()
        return int(sum(map(self._row_least, range(3))) + 2 * layout.verticalSpacing() + top + bottom)

    def readable_height(self) -> int:
        """The panel's height at which all three plots are readable, with its rows below them."""
        rows = [self.pinned, self.keeping, *(self.unit, self.log_y)]
        spacing = self.layout().spacing()
        below = sum(w.sizeHint().height() + spacing for w in rows[:2] if not w.isHidden() or w is self.keeping)
        return self.full_view_height() + below + max(w.sizeHint().height() for w in rows[2:]) + spacing + 4

    def _show_mini(self, mini: bool) -> None:
        """Mini-batches: each step's batch J faint, the full J of all m solid; the legend says which is which."""
        if mini == self._mini:
            return
        self._mini = mini
        self.train_curve.setPen(BATCH_PEN if mini else TRAIN_PEN)
        self.full_curve.setVisible(mini)
        self._fed.pop("train_cost", None)

    def _fit_y(self) -> None:
        """The cost axis fits the curves drawn (the ghost's too while shown), in round steps: autoscaling redrew
        its labels at every frame."""
        curves = [self.full_curve if self._mini else self.train_curve, self.test_curve]
        curves += [self.ghost] if self.show_ghost.isChecked() else []
        tops = [float(np.max(c.yData[np.isfinite(c.yData)], initial=0.0)) for c in curves if drawn(c)]
        tops += [self.pinned.top()] if self.pinned.curves else []
        if self.log_y.isChecked() or not tops:
            return
        top = nice_ceiling(max(max(tops), 1e-6))
        if top != self._y_top:
            self._y_top = top
            self.plot.setYRange(0, top, padding=0.02)

    def _align_left_axes(self) -> None:
        """The three left axes one width, so the x-linked views line up: pyqtgraph links them pixel by pixel,
        and a wider axis below (100 against 0.8) cut iteration 0 out of the accuracy and edge plots."""
        axes = [p.getAxis("left") for p in (self.plot, self.acc, self.stability)]
        width = max(int(a.textWidth) for a in axes)
        if any(a.style["autoExpandTextSpace"] or a.style["tickTextWidth"] != width for a in axes):
            for a in axes:
                a.setStyle(autoExpandTextSpace=False, tickTextWidth=width)

    def show_stability(self, history, n: int) -> None:
        """alpha as a step line and 2/lambda_max as recorded with the metrics: the edge of stability over time."""
        self.edge.show(history, n)
        self._list_drawn()
        self.edge.place_legend()

    def show_ghost_costs(self, start: int, costs) -> None:
        """The old alpha's path (none: ``costs`` empty); the legend names it only while it is drawn."""
        self._ghost_args = (start, costs)
        self.ghost.setData(self._x(np.arange(start, start + len(costs))), costs)
        self._list_drawn()
        self._fit_y()

    def _mark_changes(self, history, m: int) -> None:
        """One line per alpha the run settled on (a drag of the slider marks where it came to rest), and one
        per change of optimizer, batch size, λ or decay, labelled with what changed."""
        gap = 0.02 * max(self._x_max, 1.0)
        alphas = history.alpha_changes[1:]
        at = self._x([c[0] for c in alphas] + [np.inf])
        marks = [(c[0], f"α={c[1]:g}") for c, x, nxt in zip(alphas, at, at[1:], strict=False) if nxt - x > gap]
        opts = history.optimizer_changes
        marks += [(it, describe_change(old, new, m)) for (_, old), (it, new) in zip(opts, opts[1:], strict=False)]
        marks.sort()
        vb = self.plot.vb
        key = (marks, tuple(vb.viewRange()[0]), vb.width(), self.plot.legend.sceneBoundingRect().getRect())
        if key == self._marked:
            return
        self._marked = key
        while len(self.alpha_marks) < len(marks):
            line = pg.InfiniteLine(angle=90, pen=ALPHA_PEN, label="", labelOpts={"position": 0.92, "color": "#9467bd",
                                                                               "anchors": [(0, 0.5), (0, 0.5)]})
            self.plot.addItem(line)
            self.alpha_marks.append(line)
        xs = [float(x) for x in self._x([it for it, _ in marks])]
        sample, view = self.alpha_marks[0].label if marks else None, vb.sceneBoundingRect()
        places = label_places([vb.mapViewToScene(pg.QtCore.QPointF(x, 0)).x() for x in xs],
                              [QFontMetrics(sample.textItem.font()).horizontalAdvance(t) + LABEL_PAD for _, t in marks],
                              marks and legend_spans(view, self.plot.legend, sample.boundingRect().height()),
                              (view.left(), view.right()))  # clear of the legend, within the plot
        for k, line in enumerate(self.alpha_marks):
            if k < len(marks):
                row, left = places[k] or (0, False)
                text = marks[k][1] if places[k] is not None else ""  # no room: the line alone (hover says which)
                line.show()  # first: a hidden line's label keeps its old text (it read "λ=1" on an α mark)
                line.setValue(xs[k])
                line.label.setFormat(text.replace("{", "{{").replace("}", "}}"))  # a format: {value} is the x
                line.label.anchors = [(1, 0.5)] * 2 if left else [(0, 0.5)] * 2  # ends at its line, or starts there
                line.label.setPosition(LABEL_ROWS[row])
            else:
                line.hide()

    def _mouse_moved(self, event) -> None:
        pos = event[0]
        if self._history is None or not self.plot.sceneBoundingRect().contains(pos):
            return
        x = self.plot.vb.mapSceneToView(pos).x()
        i = int(round(from_axis(self.x_unit, self._changes, self._m, x)))
        if 0 <= i < self._n:
            costs = self._history.costs
            i, cost = costs.at(i)
            kept = f"   (a long run: every {costs.stride}th iteration is kept)" if costs.stride > 1 else ""
            what = "this step's batch J" if self._history.optimizer_at(i).batch(self._m) < self._m else "J"
            self.hover.setText(f"iteration {i}:  {what} = {cost:.6f},  α = {self._history.alpha_at(i):g}{kept}")
