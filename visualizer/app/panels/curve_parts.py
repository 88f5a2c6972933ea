"""What the cost panel's three plots share: dots for lone points, legends of what is drawn, axis titles that
fit, and the rows change labels take so that none overlap."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF


def dot_if_lone(curve, points: int) -> None:
    """A curve of one point is drawn as a dot in its pen's colour: a line through one point draws nothing,
    and the legend then named a curve the plot did not show."""
    lone = points == 1
    if lone != (curve.opts["symbol"] is not None):
        color = curve.opts["pen"].color() if hasattr(curve.opts["pen"], "color") else None
        curve.setSymbol("o" if lone else None)
        if lone:
            curve.setSymbolBrush(color)
            curve.setSymbolPen(None)
            curve.setSymbolSize(6)


def drawn(curve) -> bool:
    """A curve with at least one point to show (NaN is no point: no edge of stability there)."""
    y = curve.yData
    return y is not None and len(y) > 0 and bool(np.isfinite(y).any())


def list_in_legend(legend, entries: list) -> None:
    """The legend names exactly ``entries``, (item, name) of what is drawn now; left alone when it already does."""
    if [(sample.item, label.text) for sample, label in legend.items] != entries:
        legend.clear()
        for item, name in entries:
            legend.addItem(item, name)


def fit_left_label(plot, full: str, brief: str) -> None:
    """The left axis title in full where the plot is tall enough for it, else its symbol alone:
    on a short panel (a lesson's, a small screen) the three titles ran into one another."""
    axis = plot.getAxis("left")
    room = plot.vb.height()
    if axis.labelText != full:
        axis.setLabel(full)  # measured as it is drawn: its HTML and margins made it wider than the font's advance
    if axis.label.boundingRect().width() > room:
        axis.setLabel(brief)


#: Heights (a fraction of the plot's) at which the labels of the change marks go, row by row: the lower ones are
#: for the changes under the legend.
LABEL_ROWS = (0.92, 0.80, 0.68, 0.56, 0.44, 0.32)
LABEL_PAD = 8  # pixels between two labels of a row


def label_places(xs: list[float], widths: list[float], blocked: list[tuple[float, float] | None] | None = None,
                 edges: tuple[float, float] = (-np.inf, np.inf)) -> list[tuple[int, bool] | None]:
    """Where each label goes, left to right (each at its line's x): (row, False) to the right of its line in the
    first row where it overlaps no other label, keeps out of that row's ``blocked`` span (x from, x to: the
    legend, where it crosses the row) and within the plot's ``edges``; else (row, True) to the left of its line;
    None when neither side has room."""
    ends = [-np.inf] * len(LABEL_ROWS)
    blocked = blocked or [None] * len(LABEL_ROWS)

    def free(row: int, start: float, stop: float) -> bool:
        span = blocked[row]
        return ends[row] <= start and edges[0] <= start and stop <= edges[1] and (
            span is None or stop <= span[0] or start >= span[1])

    places: list[tuple[int, bool] | None] = []
    for x, width in zip(xs, widths, strict=True):
        place = next(((r, False) for r in range(len(ends)) if free(r, x, x + width)), None)
        if place is None:
            place = next(((r, True) for r in range(len(ends)) if free(r, x - width, x)), None)
        if place is not None:
            ends[place[0]] = x + (0 if place[1] else width)
        places.append(place)
    return places


def legend_spans(view, legend, height: float) -> list[tuple[float, float] | None]:
    """For each row of LABEL_ROWS, the scene x span (from, to) a label of ``height`` must keep out of because the
    legend's entries cross that row there; None where they do not (``view``: the plot's box in the scene). Without
    it the labels near the run's end ("gradient descent", "Adam") were written over the legend's "train"."""
    box = QRectF()
    for sample, label in legend.items:  # what is drawn: the legend's own box has wide empty margins
        box = box.united(sample.sceneBoundingRect()).united(label.sceneBoundingRect())
    spans = []
    for position in LABEL_ROWS:
        middle = view.bottom() - position * view.height()  # a vertical line's label: 0 at the bottom, 1 at the top
        crosses = not box.isEmpty() and middle + height / 2 > box.top() and middle - height / 2 < box.bottom()
        spans.append((box.left() - LABEL_PAD, box.right() + LABEL_PAD) if crosses else None)
    return spans
