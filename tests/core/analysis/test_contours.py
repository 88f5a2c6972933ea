"""Contour segments lie on their level and cover every cell the level passes through."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.core.analysis.contours import contour_segments


def bilinear(J, xs, ys, x, y):
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, y, side="right") - 1, 0, len(ys) - 2)
    fx = (x - xs[i]) / (xs[i + 1] - xs[i])
    fy = (y - ys[j]) / (ys[j + 1] - ys[j])
    return ((1 - fx) * (1 - fy) * J[i, j] + fx * (1 - fy) * J[i + 1, j] + (1 - fx) * fy * J[i, j + 1]
            + fx * fy * J[i + 1, j + 1])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), nx=st.integers(2, 30), ny=st.integers(2, 30), q=st.floats(0.05, 0.95))
def test_every_end_point_is_on_its_level_and_every_crossed_cell_has_a_segment(seed, nx, ny, q):
    rng = np.random.default_rng(seed)
    xs, ys = np.sort(rng.random(nx)) + np.arange(nx), np.sort(rng.random(ny)) + np.arange(ny)
    J = rng.standard_normal((nx, ny))
    level = float(np.quantile(J, q)) + 1e-9
    x, y = contour_segments(J, xs, ys, [level])
    assert x.size % 2 == 0
    # end points sit on cell edges, where bilinear interpolation is linear: the level exactly
    assert np.allclose(bilinear(J, xs, ys, x, y), level, atol=1e-9)
    crossed = ((J[:-1, :-1] < level) != (J[1:, :-1] < level)) | ((J[:-1, :-1] < level) != (J[:-1, 1:] < level)) \
        | ((J[1:, 1:] < level) != (J[1:, :-1] < level)) | ((J[1:, 1:] < level) != (J[:-1, 1:] < level))
    mid_x, mid_y = (x[0::2] + x[1::2]) / 2, (y[0::2] + y[1::2]) / 2
    cells = {(int(np.searchsorted(xs, a, side="right") - 1), int(np.searchsorted(ys, b, side="right") - 1))
             for a, b in zip(mid_x, mid_y, strict=True)}
    assert {tuple(c) for c in np.argwhere(crossed)} <= {(min(i, nx - 2), min(j, ny - 2)) for i, j in cells}


def test_a_bowl_gives_closed_rings():
    xs = ys = np.linspace(-1, 1, 41)
    J = np.add.outer(xs**2, ys**2)
    x, y = contour_segments(J, xs, ys, [0.25, 0.5])
    r = np.hypot(x, y)
    assert np.all((np.abs(r - 0.5) < 0.02) | (np.abs(r - np.sqrt(0.5)) < 0.02))
