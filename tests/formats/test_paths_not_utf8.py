"""Files that hold paths, where a path is bytes: Python hands a name that is not UTF-8 over as lone surrogates.

A session (.npz) keeps such a name as it is; a lesson file is UTF-8 text, so one cannot be in it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import image_folder
from tests.formats.test_storage import dataset
from visualizer.core import GradientDescent
from visualizer.formats.lesson_files import Lesson, LessonData, load_lesson, load_lesson_data
from visualizer.formats.lesson_writer import save_lesson
from visualizer.formats.storage import load_session, save_session
from visualizer.fs.atomic import StorageError
from visualizer.model.settings import RunSettings


def test_a_lesson_file_whose_own_name_is_not_utf8_saves_and_opens(tmp_path):
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"F\xff")))
    image_folder(folder / "pets", 4)
    lesson = Lesson(title="Pets", data=LessonData(source="pets"), path=folder / os.fsdecode(b"l\xe9.toml"))
    save_lesson(lesson.path, lesson)
    assert load_lesson(lesson.path) == lesson
    train, _ = load_lesson_data(load_lesson(lesson.path))
    assert train.m > 0 and train.source.startswith(str(folder))


@pytest.mark.parametrize("field, value", [("source", b"F\xff/pets"), ("test", b"t\xfe"), ("positive", b"ch\xe2t")])
def test_a_name_that_is_not_utf8_is_refused_in_one_line_naming_the_key(tmp_path, field, value):
    """save_lesson raised UnicodeEncodeError, which the window's Save as lesson did not expect."""
    data = LessonData(**{"source": "pets", field: os.fsdecode(value)})
    out = tmp_path / "l.toml"
    with pytest.raises(StorageError) as caught:
        save_lesson(out, Lesson(title="Pets", data=data))
    message = str(caught.value)
    assert message.startswith(f"{out}: ") and f"data.{field}" in message and "not UTF-8" in message
    assert "\n" not in message and list(tmp_path.iterdir()) == []


def test_a_session_keeps_names_that_are_not_utf8(tmp_path):
    folder = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"F\xff"))
    os.mkdir(folder)
    train = dataset(6, source=os.path.join(folder, os.fsdecode(b"caf\xe9")))
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    gd.step(5)
    path = os.path.join(folder, os.fsdecode(b"s\xfe.vis.npz"))
    save_session(path, train, None, RunSettings(), gd.history, gd.iteration, gd.w, gd.b)
    back = load_session(path).train
    assert back.source == train.source and back.names == train.names
    assert os.fsencode(back.names[0]).endswith(b"/caf\xe9-0.png")
