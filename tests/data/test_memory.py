"""Memory: refused from the declared sizes before anything is read, and X built without copies."""

import tracemalloc

import numpy as np
import pytest

from tests.conftest import COURSE_DIR
from tests.data.hostile import declared, no_big_reads, write_h5
from tests.data.test_folders import image_folder
from visualizer.data import DataError, load_data, memory, read_course_h5

MB = 2**20


def blank_set(path, m, n_px=64):
    """m images of n_px, stored compressed: a small file for a big data set."""
    return write_h5(path, m=m, x=declared((m, n_px, n_px, 3), written=m))


def test_more_images_than_memory_are_refused_before_reading(tmp_path, monkeypatch):
    path = blank_set(tmp_path / "blank.h5", 2000)
    monkeypatch.setattr(memory, "available_memory", lambda: 100 * MB)
    with no_big_reads(), pytest.raises(DataError) as info:
        load_data(path)
    assert str(info.value) == (f"{path}: 2,000 images of 64x64 px need about 118.6 MB of memory; "
                               "this machine has 100.0 MB available")


def test_folders_are_refused_before_decoding(tmp_path, monkeypatch):
    root = image_folder(tmp_path / "set")
    monkeypatch.setattr(memory, "available_memory", lambda: 100_000)
    with pytest.raises(DataError, match=r"set: 15 images of 64x64 px need about 1.6 MB of memory; .* 97.7 KB avail"):
        load_data(root)


def test_a_hundred_million_declared_images_are_refused_from_metadata(tmp_path):
    path = write_h5(tmp_path / "huge.h5", m=10**8, x=declared((10**8, 64, 64, 3), written=1),
                    y=declared((10**8,), dtype=np.int64, written=1))
    with no_big_reads(), pytest.raises(DataError, match=r"huge.h5: 100,000,000 images of 64x64 px need about .* TB"):
        load_data(path)


def test_unknown_available_memory_refuses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(memory, "available_memory", lambda: None)
    train, _ = load_data(write_h5(tmp_path / "small.h5"), test_fraction=0)
    assert train.m == 4


def test_available_memory_is_a_positive_count_or_unknown():
    have = memory.available_memory()
    assert have is None or (isinstance(have, int) and have > 0)


def test_a_large_h5_set_peaks_near_the_size_of_x(tmp_path):
    """Read in blocks into one uint8 array, split before X exists, X in float32: no copy of X."""
    m, n_x = 1000, 64 * 64 * 3
    path = blank_set(tmp_path / "blank.h5", m)
    tracemalloc.start()
    try:
        train, test = load_data(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert train.X.dtype == np.float32 and (train.m, test.m) == (800, 200)
    x_bytes, image_bytes = m * n_x * 4, m * n_x
    assert peak < 1.15 * (x_bytes + 2 * image_bytes), f"peak {peak / MB:.0f} MB"
    assert np.array_equal(train.X, train.images.reshape(800, -1).T / np.float32(255))


def test_course_files_keep_float64_x_exactly(course):
    for data in course:
        assert data.X.dtype == np.float64
        assert np.array_equal(data.X, data.images.reshape(data.m, -1).T / 255.0)


@pytest.mark.skipif(not (COURSE_DIR / "train_catvnoncat.h5").is_file(), reason="the course's data is absent")
def test_course_file_is_read_block_by_block_like_before(tmp_path, monkeypatch):
    """Tiny blocks give the same images as one read."""
    from visualizer.data import course_h5

    whole = read_course_h5(COURSE_DIR / "train_catvnoncat.h5")
    monkeypatch.setattr(course_h5, "BLOCK_BYTES", 5000)
    blocks = read_course_h5(COURSE_DIR / "train_catvnoncat.h5")
    assert np.array_equal(whole.images, blocks.images) and np.array_equal(whole.X, blocks.X)


def test_small_arrays_of_a_data_set_get_small_pages_and_the_advice_is_restored():
    from visualizer.data.memory import SMALL_PAGES_UP_TO, small_pages

    advise = np._core.multiarray._set_madvise_hugepage
    before = advise(True)
    try:
        with small_pages(SMALL_PAGES_UP_TO):
            assert advise(False) is False  # inside: numpy does not ask for huge pages
        assert advise(True) is True  # outside: as it was
        with small_pages(SMALL_PAGES_UP_TO + 1):
            assert advise(True) is True  # a gigabyte keeps the huge pages
    finally:
        advise(before)
