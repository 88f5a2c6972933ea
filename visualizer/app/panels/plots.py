"""Small drawing helpers every pyqtgraph panel shares."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

COLORMAP = pg.colormap.get("viridis")


def plain_axes(*plots) -> None:
    """Tick labels as plain numbers: no '(x0.001)' prefixes a learner would have to decode."""
    for plot in plots:
        for side in ("left", "bottom"):
            plot.getAxis(side).enableAutoSIPrefix(False)


def show_heatmap(image: pg.ImageItem, J: np.ndarray, xs: np.ndarray, ys: np.ndarray, top: float = 97) -> None:
    """J[i, j] at (xs[i], ys[j]) on a row-major ImageItem, each cell centred on its grid point.

    Colours stop at the ``top`` percentile, so a few huge values do not flatten the rest.
    """
    rows = J.T  # a row-major image is (y, x)
    lo, hi = float(rows.min()), float(np.percentile(rows, top))
    image.setImage(np.clip(rows, lo, hi), levels=(lo, hi), autoLevels=False)
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    image.setRect(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys))


#: How a panel says a value is NaN or infinite, instead of making an axis range of it.
NOT_FINITE = "not finite"


def nice_ceiling(x: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at least x.

    Steps this fine keep one iteration past 2000 from stretching the axis to 5000.
    """
    exponent = np.floor(np.log10(x))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10**exponent >= x:
            return float(m * 10**exponent)
    return float(10 ** (exponent + 1))
