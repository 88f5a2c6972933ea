"""What the cost panel's three plots share: dots for lone points, legends of what is drawn, axis titles that
fit, and the rows change labels take so that none overlap."""

from __future__ import annotations

import numpy as np


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


#: Heights (a fraction of the plot's) at which the labels of the change marks go, row by row.
LABEL_ROWS = (0.92, 0.80, 0.68, 0.56)
LABEL_PAD = 8  # pixels between two labels of a row


def label_rows(xs: list[float], widths: list[float]) -> list[int | None]:
    """The row of each label, left to right (each starts at its x): the first row where it overlaps none; None
    when every row is taken there."""
    ends = [-np.inf] * len(LABEL_ROWS)
    rows = []
    for x, width in zip(xs, widths, strict=True):
        row = next((r for r, end in enumerate(ends) if end <= x), None)
        if row is not None:
            ends[row] = x + width
        rows.append(row)
    return rows
