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


def _one_level(F: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The level's segments: which cell edges it crosses is found on the whole grid (signs only), where on
    them only for the cells it passes through, a few hundred of the 10,000 of a 100 x 100 map."""
    below = F < 0
    a, b, c, d = below[:-1, :-1], below[1:, :-1], below[1:, 1:], below[:-1, 1:]  # corners, counter-clockwise
    hits = np.stack([a != b, b != c, d != c, a != d], axis=-1).reshape(-1, 4)  # bottom, right, top, left edges
    count = hits.sum(axis=1)
    two, four = np.flatnonzero(count == 2), np.flatnonzero(count == 4)  # four: a saddle
    i, j = np.divmod(np.concatenate([two, four]), F.shape[1] - 1)
    fa, fb, fc, fd = F[i, j], F[i + 1, j], F[i + 1, j + 1], F[i, j + 1]
    x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]
    with np.errstate(divide="ignore", invalid="ignore"):  # an edge not crossed is never picked
        px = np.stack([x0 + fa / (fa - fb) * (x1 - x0), x1, x0 + fd / (fd - fc) * (x1 - x0), x0], axis=-1)
        py = np.stack([y0, y0 + fb / (fb - fc) * (y1 - y0), y1, y0 + fa / (fa - fd) * (y1 - y0)], axis=-1)
    order = np.argsort(~hits[two], axis=1, kind="stable")[:, :2]  # the two crossed edges, in edge order
    n = len(two)
    sx, sy = np.take_along_axis(px[:n], order, axis=1), np.take_along_axis(py[:n], order, axis=1)
    if four.size:  # pair bottom with left and top with right
        sx = np.concatenate([sx, px[n:][:, [0, 3]], px[n:][:, [1, 2]]])
        sy = np.concatenate([sy, py[n:][:, [0, 3]], py[n:][:, [1, 2]]])
    return sx.reshape(-1), sy.reshape(-1)


def flat_share(J: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float = 0.02) -> float:
    """The share of a sampled slice where J is nearly flat: |∇J| below ``level`` times its largest on the slice."""
    gx, gy = np.gradient(np.asarray(J, dtype=float), np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    slope = np.hypot(gx, gy)
    top = float(slope.max())
    return float(np.mean(slope < level * top)) if top > 0 else 1.0
