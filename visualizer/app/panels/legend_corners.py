"""A legend goes to the corner of its plot where it covers the fewest data points: anchored in one corner for good,
it sat on the edge of stability line, on the flower's points and on the ROC's test curve."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF

#: (the legend's own point, the plot's point) of each corner, as pyqtgraph anchors them, in the order tried.
CORNERS = (((1, 0), (1, 0)), ((0, 0), (0, 0)), ((1, 1), (1, 1)), ((0, 1), (0, 1)))
MARGIN = 6  # pixels between the legend and the plot's frame


def points_of(*curves, along: int = 256) -> np.ndarray:
    """The (x, y) view coordinates the curves draw (log axes applied), as one (n, 2) array: their points and, for a
    line, ``along`` points on it (a flat α line of two points crossed a legend with no point inside it)."""
    parts = []
    for curve in curves:
        x, y = (np.asarray(v, float) for v in curve.getData()) if curve.getData()[0] is not None else ([], [])
        if not len(y):
            continue
        if len(x) == len(y) + 1:  # a step line: each value from its x to the next
            parts.append(np.column_stack([np.concatenate([x[:-1], x[1:]]), np.concatenate([y, y])]))
            x, y = x[:-1], y
            step = True
        else:
            parts.append(np.column_stack([x, y]))
            step = False
        line = isinstance(curve, pg.PlotDataItem) and curve.opts.get("pen") is not None
        if along and line and len(x) > 1:
            order = np.argsort(x, kind="stable")
            xs = np.linspace(x[order][0], x[order][-1] if not step else curve.getData()[0][-1], along)
            ys = y[order][np.clip(np.searchsorted(x[order], xs, side="right") - 1, 0, len(y) - 1)] if step else \
                np.interp(xs, x[order], y[order])
            parts.append(np.column_stack([xs, ys]))
    points = np.concatenate(parts) if parts else np.empty((0, 2))
    return points[np.isfinite(points).all(axis=1)]


def covered(plot, box: QRectF, points: np.ndarray) -> int:
    """How many of ``points`` (view coordinates) fall inside ``box`` (scene coordinates) on ``plot``."""
    if not len(points) or box.isEmpty():
        return 0
    vb = plot.getViewBox()
    corners = [vb.mapSceneToView(p) for p in (box.topLeft(), box.bottomRight())]
    (x0, x1), (y0, y1) = sorted((corners[0].x(), corners[1].x())), sorted((corners[0].y(), corners[1].y()))
    inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    return int(inside.sum())


def corner_box(plot, legend, corner) -> QRectF:
    """The scene box the legend takes when anchored in ``corner`` of the plot's view."""
    (lx, ly), (px, py) = corner
    view, size = plot.getViewBox().sceneBoundingRect(), legend.boundingRect().size()
    x = view.left() + px * view.width() - lx * size.width() + (MARGIN if px == 0 else -MARGIN)
    y = view.top() + py * view.height() - ly * size.height() + (MARGIN if py == 0 else -MARGIN)
    return QRectF(QPointF(x, y), size)


def place_legend(plot, legend, points: np.ndarray) -> int:
    """Anchor ``legend`` in the corner of ``plot`` covering the fewest ``points`` (its current one on a tie, so it
    does not hop about); the number it covers there."""
    if not legend.items:
        return 0
    now = getattr(legend, "_corner", None)
    counts = {c: covered(plot, corner_box(plot, legend, c), points) for c in CORNERS}
    best = min(CORNERS, key=lambda c: (counts[c], c != now))
    if best != now:
        legend._corner = best
        (lx, ly), (px, py) = best
        legend.anchor(best[0], best[1], offset=(MARGIN if px == 0 else -MARGIN, MARGIN if py == 0 else -MARGIN))
    return counts[best]
