"""2-D points through load_data and lesson files: planar:NAME and .csv wherever a data path is accepted."""

import numpy as np
import pytest

from visualizer.data import DataError, load_data
from visualizer.data.planar import PLANAR_SETS, flower
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data


@pytest.mark.parametrize("name", list(PLANAR_SETS))
def test_every_built_in_set_loads_by_name(name):
    train, test = load_data(f"planar:{name}", test_fraction=0)
    assert train.n_x == 2 and test is None and train.n_px == 0 and set(np.unique(train.Y)) == {0, 1}


def test_test_fraction_0_keeps_the_course_flower_whole():
    train, test = load_data("planar:flower", test_fraction=0)
    X, Y = flower()
    assert test is None and train.m == 400
    np.testing.assert_array_equal(train.X, X)
    np.testing.assert_array_equal(train.Y, Y)


def test_a_held_out_part_is_stratified_and_seeded():
    train, test = load_data("planar:flower", test_fraction=0.25, seed=3)
    again, _ = load_data("planar:flower", test_fraction=0.25, seed=3)
    assert (train.m, test.m) == (300, 100) and test.class_counts() == (50, 50)
    np.testing.assert_array_equal(train.X, again.X)


def test_a_csv_is_points_and_can_be_the_test_set(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("1,2,0\n3,4,1\n", encoding="utf-8")
    train, test = load_data("planar:moons", csv)
    assert test.m == 2 and test.X.tolist() == [[1.0, 3.0], [2.0, 4.0]] and train.m == 200


@pytest.mark.parametrize(("train", "test", "kwargs", "message", "option"), [
    ("planar:rose", None, {}, "planar:rose: no such built-in 2-D set", None),
    ("planar:flower", None, {"n_px": 64}, "--n-px does not apply", "n_px"),
    ("planar:flower", None, {"positive": "cat"}, "--positive can only be blue", "positive"),
])
def test_what_2d_points_cannot_take_is_refused_naming_it(train, test, kwargs, message, option):
    with pytest.raises(DataError, match=message) as info:
        load_data(train, test, **kwargs)
    assert info.value.option == option


def test_points_and_images_do_not_mix(tmp_path):
    with pytest.raises(DataError, match="cannot test a model of the images"):
        load_data(None, "planar:flower")
    with pytest.raises(DataError, match="is not 2-D points"):
        load_data("planar:flower", tmp_path)


def test_a_lesson_names_a_planar_set(tmp_path):
    path = tmp_path / "flower.toml"
    path.write_text('title = "f"\n[data]\nsource = "planar:flower"\ntest_fraction = 0.0\n[settings]\nhidden = [4]\n',
                    encoding="utf-8")
    lesson = load_lesson(path)
    train, test = load_lesson_data(lesson)
    assert train.m == 400 and test is None and lesson.settings.hidden == (4,)


def test_a_lesson_with_a_csv_beside_it(tmp_path):
    (tmp_path / "p.csv").write_text("0,0,0\n1,1,1\n2,2,1\n3,3,0\n", encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text('title = "m"\n[data]\nsource = "p.csv"\ntest_fraction = 0.0\n', encoding="utf-8")
    train, _ = load_lesson_data(load_lesson(path))
    assert train.m == 4


def test_a_lesson_with_an_unknown_planar_set_names_the_key(tmp_path):
    path = tmp_path / "rose.toml"
    path.write_text('title = "r"\n[data]\nsource = "planar:rose"\n', encoding="utf-8")
    with pytest.raises(LessonError, match=r"data\.source.*planar:rose: no such built-in 2-D set"):
        load_lesson_data(load_lesson(path))
