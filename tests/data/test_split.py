"""Splitting a loaded set into train and test moves rows in place instead of copying the images."""

import tracemalloc

import numpy as np
import pytest

from visualizer.data.dataset import ImageSet, split_indices


@pytest.mark.parametrize("m", [2, 3, 10, 57, 400])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_split_gives_the_rows_a_copy_would(m, seed):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 255, (m, 4, 4, 3), dtype=np.uint8)
    labels = rng.integers(0, 2, m)
    names = [f"f{i}" for i in range(m)]
    train_idx, test_idx = split_indices(labels, 0.3, seed)
    train, test = ImageSet(images.copy(), labels, names, ("a", "b"), "src").split(train_idx, test_idx)
    for part, idx in ((train, train_idx), (test, test_idx)):
        assert np.array_equal(part.images, images[idx]) and np.array_equal(part.labels, labels[idx])
        assert part.names == [names[i] for i in idx]


def test_split_allocates_no_second_copy_of_the_images():
    m = 2000
    images = np.random.default_rng(0).integers(0, 255, (m, 32, 32, 3), dtype=np.uint8)
    labels = np.arange(m) % 2
    train_idx, test_idx = split_indices(labels, 0.2, 0)
    data = ImageSet(images, labels, [str(i) for i in range(m)], ("a", "b"), "src")
    tracemalloc.start()
    try:
        train, test = data.split(train_idx, test_idx)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < images.nbytes / 10 and train.images.base is test.images.base


def test_split_refuses_indices_that_are_not_a_partition():
    data = ImageSet(np.zeros((4, 2, 2, 3), np.uint8), np.array([0, 1, 0, 1]), list("abcd"), ("a", "b"), "src")
    with pytest.raises(ValueError, match="exactly once"):
        data.split(np.array([0, 1]), np.array([1, 2]))
