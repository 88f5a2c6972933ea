"""Contour lines of a sampled surface as line segments, by marching squares in a few numpy passes.

pyqtgraph's isocurve walks the grid in Python (about 8 ms a level on a 48 x 48 grid here, six
levels on every redraw); segments need no joining to be drawn, so all levels come out of
one vectorized pass.
"""

from __future__ import annotations

import numpy as np


def contour_segments(J: np.ndarray, xs: np.ndarray, ys: np.ndarray, levels) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of segment end points in pairs (draw with connect="pairs"); J[i, j] is the value at (xs[i], ys[j])."""
    J = np.asarray(J, dtype=float)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    out_x, out_y = [], []
    for level in np.atleast_1d(levels):
        x, y = _one_level(J - level, xs, ys)
        out_x.append(x)
        out_y.append(y)
    return (np.concatenate(out_x), np.concatenate(out_y)) if out_x else (np.zeros(0), np.zeros(0))


def _crossing(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the line from value a to value b passes zero (fraction along it), and whether it does."""
    crosses = (a < 0) != (b < 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(crosses, a / (a - b), 0.0)
    return f, crosses


def _one_level(F: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b, c, d = F[:-1, :-1], F[1:, :-1], F[1:, 1:], F[:-1, 1:]  # corners of each cell, counter-clockwise
    x0, x1 = xs[:-1, None], xs[1:, None]
    y0, y1 = ys[None, :-1], ys[None, 1:]
    fb, cb = _crossing(a, b)  # bottom edge, y = y0
    fr, cr = _crossing(b, c)  # right edge, x = x1
    ft, ct = _crossing(d, c)  # top edge, y = y1
    fl, cl = _crossing(a, d)  # left edge, x = x0
    shape = a.shape
    px = np.stack([np.broadcast_to(x0 + fb * (x1 - x0), shape), np.broadcast_to(x1, shape),
                   np.broadcast_to(x0 + ft * (x1 - x0), shape), np.broadcast_to(x0, shape)], axis=-1)
    py = np.stack([np.broadcast_to(y0, shape), np.broadcast_to(y0 + fr * (y1 - y0), shape),
                   np.broadcast_to(y1, shape), np.broadcast_to(y0 + fl * (y1 - y0), shape)], axis=-1)
    hits = np.stack([cb, cr, ct, cl], axis=-1).reshape(-1, 4)
    px, py = px.reshape(-1, 4), py.reshape(-1, 4)
    count = hits.sum(axis=1)
    two = count == 2
    order = np.argsort(~hits[two], axis=1, kind="stable")[:, :2]  # the two crossed edges, in edge order
    rows = np.flatnonzero(two)
    sx, sy = px[rows[:, None], order], py[rows[:, None], order]
    four = np.flatnonzero(count == 4)  # a saddle: pair bottom with left and top with right
    if four.size:
        sx = np.concatenate([sx, px[four][:, [0, 3]], px[four][:, [1, 2]]])
        sy = np.concatenate([sy, py[four][:, [0, 3]], py[four][:, [1, 2]]])
    return sx.reshape(-1), sy.reshape(-1)


def flat_share(J: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float = 0.02) -> float:
    """The share of a sampled slice where J is nearly flat: |∇J| below ``level`` times its largest on the slice."""
    gx, gy = np.gradient(np.asarray(J, dtype=float), np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    slope = np.hypot(gx, gy)
    top = float(slope.max())
    return float(np.mean(slope < level * top)) if top > 0 else 1.0
