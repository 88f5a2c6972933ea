"""A curve of any length drawn as about two points per pixel column.

Each bucket of consecutive values becomes its minimum and maximum, in the order they
occur, so every peak and dip stays visible. Full buckets are reduced once and kept;
an update reduces only what is new, so drawing costs the same at iteration 10⁷ as at 10³.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.history import GrowingArray, ThinningArray


def bucket_for(span_iterations: float, pixels: int, stride: int = 1) -> int:
    """Iterations per bucket: a power of two (times the stride) giving at most one bucket per pixel."""
    per_pixel = max(span_iterations / max(pixels, 1), 1.0)
    return max(stride, 1 << int(np.ceil(np.log2(per_pixel))))


class PeakEnvelope:
    def __init__(self):
        self._key = None
        self._x, self._y = GrowingArray(), GrowingArray()
        self._done = 0  # stored values already reduced into full buckets

    def curve(self, column: ThinningArray, n: int, bucket: int) -> tuple[np.ndarray, np.ndarray]:
        """(iterations, values) for the first ``n`` iterations of ``column``, at ``bucket`` iterations a bucket."""
        stride = column.stride
        b = max(1, bucket // stride)  # stored values per bucket
        stored = column.stored_until(n)
        values = column.values[:stored]
        if b == 1:
            return column.iterations(stored), values
        key = (id(column), column.version, stride, b)
        if key != self._key or stored < self._done:
            self._key, self._done = key, 0
            self._x, self._y = GrowingArray(), GrowingArray()
        full = stored // b * b
        if full > self._done:
            x, y = _reduce(values[self._done : full], b, self._done * stride, stride)
            self._x.extend(x)
            self._y.extend(y)
            self._done = full
        if full == stored:
            return self._x.values, self._y.values
        tail_x, tail_y = _reduce(values[full:], stored - full, full * stride, stride)
        return np.concatenate([self._x.values, tail_x]), np.concatenate([self._y.values, tail_y])


def _reduce(values: np.ndarray, b: int, first_iteration: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved (x, y): each bucket's extreme values in the order they occur, at their own iterations."""
    blocks = values.reshape(-1, b)
    lo, hi = blocks.argmin(axis=1), blocks.argmax(axis=1)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    rows = np.arange(blocks.shape[0])
    starts = first_iteration + rows * b * stride
    x = np.empty(2 * rows.size)
    y = np.empty(2 * rows.size)
    x[0::2], x[1::2] = starts + first * stride, starts + second * stride
    y[0::2], y[1::2] = blocks[rows, first], blocks[rows, second]
    return x, y
