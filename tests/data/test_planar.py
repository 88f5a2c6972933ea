"""Built-in 2-D sets (the course's flower exactly) and CSV files of points, hostile ones included."""

import os

import numpy as np
import pytest

from visualizer.data import DataError
from visualizer.data.planar import (
    CSV_MAX_BYTES,
    CSV_MAX_POINTS,
    PLANAR_SETS,
    as_dataset,
    is_planar,
    load_planar,
    read_planar_csv,
    with_point,
)


def course_flower():
    """The course's load_planar_dataset, as written there (it seeds numpy's global generator)."""
    state = np.random.get_state()
    try:
        np.random.seed(1)
        m, N, D, a = 400, 200, 2, 4
        X, Y = np.zeros((m, D)), np.zeros((m, 1), dtype="uint8")
        for j in range(2):
            ix = range(N * j, N * (j + 1))
            t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
            r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
            X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
            Y[ix] = j
        return X.T, Y.T
    finally:
        np.random.set_state(state)


def test_flower_is_the_courses_400_points():
    X, Y = course_flower()
    flower = load_planar("planar:flower")
    assert flower.X.shape == (2, 400) and flower.Y.shape == (1, 400)
    assert np.array_equal(flower.X, X) and np.array_equal(flower.Y, Y)
    assert flower.X.dtype == np.float64 and flower.source == "planar:flower"


@pytest.mark.parametrize("name", list(PLANAR_SETS))
def test_every_built_in_set_is_seeded_balanced_and_two_dimensional(name):
    first, again = load_planar(f"planar:{name}"), load_planar(f"planar:{name}")
    assert np.array_equal(first.X, again.X) and np.array_equal(first.Y, again.Y)
    assert first.X.shape == (2, first.m) and first.Y.shape == (1, first.m)
    assert np.isfinite(first.X).all() and set(np.unique(first.Y)) == {0, 1}
    assert abs(int(first.Y.sum()) - first.m / 2) <= 1
    assert is_planar(f"planar:{name}") and not is_planar(name)


def test_the_shapes_are_what_their_docstrings_say():
    moons = load_planar("planar:moons")
    upper = moons.X[:, moons.Y[0] == 0]
    assert np.mean(upper[1]) > np.mean(moons.X[1, moons.Y[0] == 1])  # class 0 is the upper moon
    circles = load_planar("planar:circles")
    radius = np.hypot(*circles.X)
    assert radius[circles.Y[0] == 1].mean() < radius[circles.Y[0] == 0].mean()  # class 1 inside
    quantiles = load_planar("planar:gaussian-quantiles")
    r = np.hypot(*quantiles.X)
    assert r[quantiles.Y[0] == 1].min() >= r[quantiles.Y[0] == 0].max()  # class 1 is the outer half


def test_an_unknown_set_names_the_choices():
    with pytest.raises(DataError, match="planar:spiral: no such built-in 2-D set; choose planar:flower"):
        load_planar("planar:spiral")


def test_csv_of_points_with_or_without_a_header(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,y\n0.5,-1,0\n\n2, 3.25 ,1\n-4e-1,0,1.0\n")
    points = read_planar_csv(path)
    assert points.X.tolist() == [[0.5, 2.0, -0.4], [-1.0, 3.25, 0.0]]
    assert points.Y.tolist() == [[0, 1, 1]] and points.source == str(path)
    path.write_text("1,2,0\n3,4,1\n")
    assert read_planar_csv(path).m == 2
    data = as_dataset(points)
    assert data.m == 3 and data.n_x == 2 and data.n_px == 0


@pytest.mark.parametrize(("text", "message"), [
    ("", "holds no points"),
    ("x1,x2,y\n", "holds no points"),
    ("1,2\n", "line 1: expected 3 values x1,x2,y, found 2"),
    ("x1,x2,y\n1,2,1\n1,2,3,4\n", "line 3: expected 3 values x1,x2,y, found 4"),
    ("1,2,0\n1,abc,1\n", "line 2: expected numbers x1,x2,y, found 1,abc,1"),
    ("1,nan,0\n", "line 1: coordinates must be finite numbers within ±1e\\+06"),
    ("1,1e300,0\n", "line 1: coordinates must be finite"),
    ("1,2,0.5\n", "line 1: the label y must be 0 or 1, not 0.5"),
    ("1,2,-1\n", "the label y must be 0 or 1"),
])
def test_bad_csv_gives_one_line_naming_the_file(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message) as caught:
        read_planar_csv(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_hostile_files_are_refused_without_reading_them_whole(tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    with pytest.raises(DataError, match="not UTF-8"):
        read_planar_csv(binary)
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.truncate(CSV_MAX_BYTES + 1)
    with pytest.raises(DataError, match="too large"):
        read_planar_csv(huge)
    many = tmp_path / "many.csv"
    many.write_text("0,0,1\n" * (CSV_MAX_POINTS + 1))
    with pytest.raises(DataError, match="more than 100,000 points"):
        read_planar_csv(many)
    with pytest.raises(DataError, match="no such file"):
        read_planar_csv(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="folder"):
        read_planar_csv(tmp_path)


def test_a_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="named pipe"):
        read_planar_csv(fifo)


def test_a_clicked_point_joins_a_copy_and_the_original_is_kept_for_undo():
    data = as_dataset(load_planar("planar:moons"))
    grown = with_point(data, 0.25, -1.5, 1)
    assert (grown.m, data.m) == (201, 200) and grown.is_points
    assert grown.X[:, -1].tolist() == [0.25, -1.5] and grown.Y[0, -1] == 1 and grown.class_counts() == (100, 101)
    np.testing.assert_array_equal(grown.X[:, :200], data.X)


@pytest.mark.parametrize(("args", "message"), [
    ((0.0, 0.0, 2), "label must be 0 or 1"),
    ((float("nan"), 0.0, 1), "finite"),
    ((1e9, 0.0, 0), "within"),
])
def test_a_point_that_could_not_be_a_csv_line_is_refused(args, message):
    with pytest.raises(DataError, match=message):
        with_point(as_dataset(load_planar("planar:moons")), *args)
