"""The input plane of 2-D data as a grid, and where a model's decision boundary crosses it.

The decision boundary panel evaluates the model at every grid point in one product (a 100 x 100
grid is 10,000 columns of a (2, k) matrix) and draws the line where ŷ equals the threshold. The
line is found on z, not on ŷ: z is linear in x for logistic regression, so marching squares'
linear interpolation puts each crossing exactly on the true line.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.analysis.contours import contour_segments
from visualizer.core.analysis.evaluation import cut

#: Grid points along each axis of the input plane.
GRID = 100
#: Room around the points, as a share of their spread on each axis.
MARGIN = 0.1


def plane_grid(X: np.ndarray, n: int = GRID, margin: float = MARGIN,
               aspect: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, G): n values along each axis spanning the points X (2, m) with a margin, and the grid as
    columns G (2, n·n), G[:, i·n + j] = (xs[i], ys[j]). ``aspect``: the width / height of the view it fills
    at equal scales; the narrower side is widened about its middle so the map covers the whole view."""
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=1), X.max(axis=1)
    pad = np.maximum(margin * (hi - lo), 0.5)  # a single point, or points on one line, still get a plane
    lo, hi = lo - pad, hi + pad
    if aspect is not None and aspect > 0:
        span = hi - lo
        want = np.array([max(span[0], span[1] * aspect), max(span[1], span[0] / aspect)])
        middle = (lo + hi) / 2
        lo, hi = middle - want / 2, middle + want / 2
    xs, ys = (np.linspace(lo[k], hi[k], n) for k in (0, 1))
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    return xs, ys, np.vstack([gx.reshape(-1), gy.reshape(-1)])


def boundary_segments(z: np.ndarray, xs: np.ndarray, ys: np.ndarray,
                      threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the segments of the line ŷ = threshold, end points in pairs, from z on the grid of plane_grid."""
    return contour_segments(np.asarray(z, dtype=float).reshape(len(xs), len(ys)), xs, ys, cut(threshold))


def unit_segments(W: np.ndarray, b: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of each unit's line W[u]·x + b[u] = 0 clipped to the grid's box, end points in pairs; a unit whose
    line misses the box (or whose weights are both 0) draws nothing."""
    x0, x1, y0, y1 = float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])
    out_x, out_y = [], []
    for (w1, w2), c in zip(np.asarray(W, dtype=float), np.asarray(b, dtype=float).reshape(-1), strict=True):
        ends = []
        if w2 != 0:  # where it meets the left and right sides
            ends += [(x, -(w1 * x + c) / w2) for x in (x0, x1)]
        if w1 != 0:  # and the bottom and top
            ends += [(-(w2 * y + c) / w1, y) for y in (y0, y1)]
        inside = sorted({(round(x, 12), round(y, 12)) for x, y in ends
                         if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9})
        if len(inside) >= 2:
            (ax, ay), (bx, by) = inside[0], inside[-1]
            out_x += [ax, bx]
            out_y += [ay, by]
    return np.array(out_x), np.array(out_y)


#: Two units whose (w₁, w₂, b) differ by at most this share of their size draw one line: equal units.
SAME_UNIT = 1e-9


def unit_sentence(W: np.ndarray, b: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> str:
    """What the first layer's unit lines (``unit_segments`` on the grid xs, ys) show, from W1 and b1: units with
    W1[u] = 0 draw none (their z is b1[u] at every point), equal units (within SAME_UNIT) draw one line, as a
    zeros start keeps them for ever, and a line may miss the view."""
    rows = np.column_stack([np.asarray(W, dtype=float), np.asarray(b, dtype=float).reshape(-1)])
    n = len(rows)
    flat = int(np.sum(np.all(rows[:, :2] == 0, axis=1)))
    head = "Thin lines: units, W1[u]·x + b1[u] = 0; "
    if flat == n:
        return head + (f"W1 = 0 in all {n} units: no line (a unit's z is its b1 everywhere)." if n > 1 else
                       "W1 = 0: no line (the unit's z is its b1 everywhere).")
    live = rows[~np.all(rows[:, :2] == 0, axis=1)]
    firsts = []
    for row in live:
        if not any(np.linalg.norm(row - f) <= SAME_UNIT * max(np.linalg.norm(row), np.linalg.norm(f))
                   for f in firsts):
            firsts.append(row)
    lines, k = len(firsts), len(live)
    if k == 1:
        text = "one unit, one line"
    elif lines == 1:
        text = f"the {k} units are equal: one line"
    elif lines < k:
        text = f"{k} units, only {lines} different lines (equal units share one)"
    else:
        text = f"{k} units, {k} different lines"
    parts = [text]
    firsts = np.array(firsts)
    missed = lines - len(unit_segments(firsts[:, :2], firsts[:, 2], xs, ys)[0]) // 2
    if missed:
        parts.append("it misses the view" if lines == 1 else f"{missed} miss{'' if missed > 1 else 'es'} the view")
    if flat:
        parts.append(f"{flat} more with W1[u] = 0, not drawn")
    return head + "; ".join(parts) + "."
