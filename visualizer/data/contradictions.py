"""A data set no plane can separate: some training images copied with the opposite label.

An image that is both a cat and not a cat cannot be on the right side of any plane twice, so the classes are not
linearly separable, whatever m and n_x are. The copies are chosen by a fixed seed, the same on every machine.
"""

from __future__ import annotations

import numpy as np

from visualizer.data.dataset import Dataset, with_examples

MAX_CONTRADICTIONS = 100_000


def with_contradictions(data: Dataset, count: int, seed: int = 0) -> Dataset:
    """``data`` with ``count`` of its examples (chosen by ``seed``) appended again with the other label."""
    idx = np.sort(np.random.default_rng(seed).permutation(data.m)[:count])
    names = [f"{data.names[i]} (copied, opposite label)" for i in idx]
    return with_examples(data, data.images[idx], 1 - data.Y[0, idx], names)
