"""The cost panel's lowest plot: α as the step line it is and the edge of stability 2/λmax as measured, over the
run, on a log axis labelled only where labels fit."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from visualizer.app.panels.curve_parts import dot_if_lone
from visualizer.app.panels.legend_corners import place_legend, points_of
from visualizer.core.analysis.run_axes import UNITS


class StabilityPlot:
    """Row ``row`` of the cost panel's view; ``x`` turns iterations into positions on the x-axis chosen."""

    def __init__(self, view, row: int, x):
        self._x = x
        self.plot = view.addPlot(row=row, col=0)
        self.plot.setLabel("left", "α, edge")
        self.plot.setLabel("bottom", UNITS["iterations"])
        self.plot.setLogMode(y=True)
        self.plot.addLegend(offset=(-10, -2), colCount=2)
        self.alpha_steps = self.plot.plot([], [], pen=pg.mkPen("#9467bd", width=1), name="α", stepMode="center")
        self.edge_curve = self.plot.plot([], [], pen=pg.mkPen("#d62728", width=1), name="edge of stability")
        self._y_span = self._ticks_for = None

    def entries(self) -> list:
        return [(self.alpha_steps, "α"), (self.edge_curve, "edge of stability")]

    def show(self, history, n: int) -> None:
        """α from the history's changes up to iteration ``n`` and 2/λmax as recorded with the metrics."""
        changes = [c for c in history.alpha_changes if c[0] < n] or history.alpha_changes[:1]
        if n > 0:  # the α of each step taken, to the run's end: a step line from the changes, not the metric rows
            self.alpha_steps.setData(self._x([c[0] for c in changes] + [n]), [c[1] for c in changes], stepMode="center")
        else:  # no step taken yet: the α the first will use, a dot at 0 (a line to 1 claimed a step)
            self.alpha_steps.setData(self._x([0]), [c[1] for c in changes][:1], stepMode=None)
        dot_if_lone(self.alpha_steps, 1 if n == 0 else 2)
        its, edges = history.metric("edge", n)
        dot_if_lone(self.edge_curve, int(np.isfinite(edges).sum()))  # NaN: no edge there (squared error)
        self.edge_curve.setData(self._x(its), edges, connect="finite")  # NaN: no single number there
        values = [c[1] for c in changes] + [float(e) for e in edges if np.isfinite(e)]
        if values:
            self.log_ticks(min(values), max(values))

    def place_legend(self) -> None:
        """The legend in the corner its lines leave free (it sat on the edge line, bottom right)."""
        place_legend(self.plot, self.plot.legend, points_of(self.alpha_steps, self.edge_curve))

    def log_ticks(self, lo: float, hi: float) -> None:
        """Labels at 1, 2 and 5 times powers of ten only: pyqtgraph labels every minor tick below a decade.
        The range moves in half decades: autoscaling redrew the axis at every update."""
        if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo <= hi):
            return  # no axis range from a value that is not a finite positive number
        # a value on a half decade (α = 0.001) gets half a decade of room, not a line on the axis itself
        bottom, top = np.floor(2 * np.log10(lo) - 0.1) / 2, np.ceil(2 * np.log10(hi) + 0.1) / 2
        if (bottom, top) != self._y_span:
            self._y_span = (bottom, top)
            self.plot.enableAutoRange(y=False)
            self.plot.setYRange(bottom, max(top, bottom + 0.5), padding=0.05)
        axis = self.plot.getAxis("left")
        per_decade = self.plot.vb.height() / max(top - bottom, 0.5)  # pixels
        line = QFontMetrics(axis.font()).height() * 1.5
        multiples = next((m for m in ((1, 2, 5), (1, 3), (1,)) if per_decade >= len(m) * line), (1,))
        every = max(1, int(np.ceil(line / max(per_decade, 1.0)))) if multiples == (1,) else 1
        key = (np.floor(np.log10(lo)), np.ceil(np.log10(hi)), multiples, every)
        if key == self._ticks_for:
            return
        self._ticks_for = key
        ticks = [(np.log10(v), f"{v:g}") for k in range(int(key[0]) - 1, int(key[1]) + 1) if k % every == 0
                 for m in multiples if (v := m * 10.0**k) > 0]
        axis.setTicks([ticks, []])
