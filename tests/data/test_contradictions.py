"""Contradicting copies: a data set no plane separates, the same on every machine."""

import numpy as np

from visualizer.data import load_data
from visualizer.data.contradictions import with_contradictions


def test_copies_carry_the_opposite_label_and_the_original_is_untouched():
    train, _ = load_data()
    more = with_contradictions(train, 20)
    assert more.m == train.m + 20 and train.m == 210
    copies = more.X[:, train.m:]
    for k in range(20):
        i = int(np.flatnonzero(np.all(copies[:, [k]] == train.X, axis=0))[0])
        assert more.Y[0, train.m + k] == 1 - train.Y[0, i]
        assert more.names[train.m + k] == f"{train.names[i]} (copied, opposite label)"
    assert with_contradictions(train, 20).names == more.names  # seeded
