"""Lesson files: the loader, its errors (file, line, key), the shipped lessons, the schema document, the writer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import tomllib

from tests.cli.test_install import wheel  # noqa: F401 (the fixture that builds the wheel once)
from tests.conftest import COURSE_DIR, image_folder
from visualizer.formats.lesson_files import (
    CONTROLS,
    MAIN_PANELS,
    MAX_BYTES,
    PANELS,
    Lesson,
    LessonData,
    LessonError,
    load_lesson,
    load_lesson_data,
    schema,
)
from visualizer.formats.lesson_text import instructions_html
from visualizer.formats.lesson_writer import save_lesson
from visualizer.fs.resources import LESSONS_DIR
from visualizer.model.settings import RunSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "lessons.md"
SHIPPED = sorted(LESSONS_DIR.glob("*.toml"))


def write(tmp_path, text: str, name="lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


# ------------------------------------------------------------------ reading
def test_a_small_lesson_takes_defaults_for_what_it_leaves_out(tmp_path):
    lesson = load_lesson(write(tmp_path, 'title = "α"\n[settings]\nalpha = 0.1\nloss = "squared-error"\n'))
    assert lesson.title == "α" and lesson.instructions == "" and lesson.iterations == 0
    assert lesson.settings == RunSettings(alpha=0.1, loss="squared-error")
    assert lesson.data == LessonData() and lesson.show == MAIN_PANELS
    assert lesson.locked == lesson.hidden == lesson.tabs == ()


def test_a_lesson_can_show_every_lesson_view_the_window_offers(tmp_path):
    """Defect 7 of issue 20: "mini-batches" was missing from the lesson panels, so a lesson could not show it."""
    lesson = load_lesson(write(tmp_path, 'title = "B"\n[panels]\nshow = ["controls", "cost", "mini-batches"]\n'))
    assert lesson.show == ("controls", "cost", "mini-batches")
    assert save_and_load(tmp_path, lesson).show == lesson.show


def save_and_load(tmp_path, lesson: Lesson) -> Lesson:
    path = tmp_path / "saved.toml"
    save_lesson(path, lesson)
    return load_lesson(path)


def test_every_part_is_read(tmp_path):
    image_folder(tmp_path / "pets", 4)
    lesson = load_lesson(write(tmp_path, """
title = "Everything"
iterations = 50
[data]
source = "pets"
n_px = 16
positive = "dog"
test_fraction = 0.25
[settings]
optimizer = "adam"
batch_size = 4
[panels]
show = ["controls", "cost", "bowl"]
left = ["controls"]
right = ["cost"]
tabs = [["cost", "sigmoid"]]
[controls]
locked = ["alpha", "reset"]
hidden = ["seed"]
"""))
    assert lesson.iterations == 50 and lesson.show == ("controls", "cost", "bowl")
    assert lesson.data == LessonData("pets", None, 16, "dog", 0.25)
    assert (lesson.settings.optimizer, lesson.settings.batch_size) == ("adam", 4)
    assert lesson.left == ("controls",) and lesson.right == ("cost",) and lesson.tabs == (("cost", "sigmoid"),)
    assert lesson.locked == ("alpha", "reset") and lesson.hidden == ("seed",)
    train, test = load_lesson_data(lesson)  # relative to the lesson's folder, with its n_px and classes
    assert train.n_px == 16 and train.classes[1] == "dog" and train.m + test.m == 8


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    ('title = "x"\n\n[settings]\nalpha = -1\n', 4, "settings.alpha", "learning rate"),
    ('title = "x"\n[settings]\nalpha = 0.1\n\nloss = "hinge"\n', 5, "settings.loss", "cross-entropy"),
    ('title = "x"\n[settings]\nalhpa = 0.1\n', 3, "settings.alhpa", "did you mean 'alpha'"),
    ('title = "x"\n[settings]\nseed = true\n', 3, "settings.seed", "whole number"),
    ('title = "x"\n[settings]\ndecay_kind = "exponential"\ndecay = 1.5\n', 4, "settings.decay", "below 1"),
    ('title = "x"\ncolour = "red"\n', 2, "colour", "unknown"),
    ('title = "x"\n[data]\nsource = "missing-folder"\n', 3, "data.source", "no such file"),
    ('title = "x"\n[data]\nn_px = 1000\n', 3, "data.n_px", "16 to 256"),
    ('title = "x"\n[data]\ntest_fraction = 1\n', 3, "data.test_fraction", "in [0, 1)"),
    ('title = "x"\n[panels]\nshow = ["cost", "plot"]\n', 3, "panels.show", "unknown name \"plot\""),
    ('title = "x"\n[panels]\nshow = "cost"\n', 3, "panels.show", "list of names"),
    ('title = "x"\n[panels]\nleft = ["cost"]\nright = ["cost"]\n', 2, "panels", "two areas"),
    ('title = "x"\n[controls]\nlocked = ["alpa"]\n', 3, "controls.locked", "did you mean 'alpha'"),
    ('title = "x"\niterations = -5\n', 2, "iterations", "0 to 100,000"),
    ('title = "x"\nsettings = 3\n', 2, "settings", "must be a table"),
    ('title = "x"\nversion = 2\n', 2, "version", "format 1"),
    ('title = 7\n', 1, "title", "text in quotes"),
    ('title = "x"\ninstructions = """\nalpha = 3\n"""\n[settings]\nalpha = 0\n', 6, "settings.alpha", "positive"),
])
def test_a_bad_value_is_refused_naming_the_line_and_the_key(tmp_path, text, line, key, words):
    message = refused(tmp_path, text)
    assert f", line {line}: key {key!r}: " in message
    assert words in message


def test_toml_syntax_errors_carry_tomllib_line(tmp_path):
    assert "line 3" in refused(tmp_path, 'title = "x"\n[settings]\nalpha = = 1\n')


def test_a_lesson_needs_a_title(tmp_path):
    assert "needs a title" in refused(tmp_path, "[settings]\nalpha = 0.1\n")


@pytest.mark.parametrize("text", [
    "[[[[" * 20_000,  # deep nesting, within the size limit
    "a = " + "[" * 50_000 + "]" * 50_000,
    'title = "x"\ninstructions = "' + "y" * 30_000 + '"\n',
    'title = "' + "t" * 300 + '"\n',
    'title = "x"\n[panels]\ntabs = "cost"\n',
    'title = "x"\n[panels]\nshow = ["cost", "cost"]\n',
    'title = "x"\n[data]\nsource = "demo"\ntest = "demo"\n',
])
def test_hostile_or_odd_files_get_one_message(tmp_path, text):
    refused(tmp_path, text)


def test_huge_binary_and_special_files_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES)
    assert "too large" in str(pytest.raises(LessonError, load_lesson, big).value)
    binary = write(tmp_path, "", "bin.toml")
    binary.write_bytes(b'title = "x"\n\xff\xfe')
    assert "line 2: not UTF-8" in str(pytest.raises(LessonError, load_lesson, binary).value)
    assert "folder" in str(pytest.raises(LessonError, load_lesson, tmp_path).value)
    assert "no such file" in str(pytest.raises(LessonError, load_lesson, tmp_path / "none.toml").value)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "FIFO" in str(pytest.raises(LessonError, load_lesson, fifo).value)


def test_nothing_in_a_lesson_is_evaluated(tmp_path):
    marker = tmp_path / "ran"
    text = (f'title = "__import__(\'os\').system(\'touch {marker}\')"\n'
            f'instructions = "<script>alert(1)</script> <img src=x onerror=1> **b**"\n')
    lesson = load_lesson(write(tmp_path, text))
    page = instructions_html(lesson.instructions)
    assert not marker.exists() and "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "<b>b</b>" in page


def test_instructions_become_paragraphs_lists_and_bold():
    page = instructions_html("First **J(w, b)** line\nsame paragraph.\n\n- one\n  continued\n- two\nAfter.")
    assert page == ("<p>First <b>J(w, b)</b> line same paragraph.</p>\n<ul><li>one continued</li><li>two</li>"
                    "</ul>\n<p>After.</p>")


def test_a_batch_larger_than_m_is_refused_once_the_data_is_known(tmp_path):
    lesson = load_lesson(write(tmp_path, 'title = "x"\n[settings]\nbatch_size = 100000\n'))
    with pytest.raises(LessonError, match=r"line 3: key 'settings.batch_size': .* m = 210"):
        load_lesson_data(lesson)


def test_course_data_is_found_through_the_environment(tmp_path, monkeypatch):
    lesson = load_lesson(write(tmp_path, 'title = "x"\n[data]\nsource = "course"\n'))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VISUALIZER_COURSE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(LessonError, match=r"line 3: key 'data.source': .*train_catvnoncat.h5"):
        load_lesson_data(lesson)
    if not (COURSE_DIR / "train_catvnoncat.h5").is_file():
        pytest.skip("the course's files are not in ../shared")
    monkeypatch.setenv("VISUALIZER_COURSE_DIR", str(COURSE_DIR))
    train, test = load_lesson_data(lesson)
    assert (train.m, test.m) == (209, 50)


# ------------------------------------------------------------------ shipped lessons
def test_a_lesson_for_each_idea_of_week_2_and_each_preset_of_the_optimizer_lab():
    from visualizer.core.analysis.race import PRESETS

    assert len(SHIPPED) >= 8 + len(PRESETS)
    assert {load_lesson(p).race for p in SHIPPED} >= set(PRESETS)  # each preset raced by a lesson


def test_a_race_that_is_no_preset_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, 'title = "x"\niterations = 0\nrace = "Course a"\n')
    with pytest.raises(LessonError, match=r"line 3: key 'race': \"Course a\" is not a preset"):
        load_lesson(path)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_lesson_loads_with_its_data(path):
    lesson = load_lesson(path)
    assert lesson.instructions.count("?") >= 3, "a lesson asks the students questions"
    train, _test = load_lesson_data(lesson)
    assert train.m > 0
    assert load_lesson(path) == lesson


def test_shipped_titles_are_distinct():
    titles = [load_lesson(p).title for p in SHIPPED]
    assert len(set(titles)) == len(titles)


def test_the_wheel_ships_the_lessons_but_not_their_pictures(wheel):  # noqa: F811 (the imported fixture)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"visualizer/assets/lessons/{p.name}" for p in SHIPPED} <= names
    assert not [n for n in names if "lesson-" in n and n.endswith(".png")]  # the README's pictures stay out


# ------------------------------------------------------------------ the schema document
def documented() -> dict[str, object]:
    rows = re.findall(r"^\| `([a-z_.0-9]+)` \| [^|]+ \| (.+?) \| ", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    values = {}
    for key, cell in rows:
        values[key] = ... if cell == "required" else None if cell == "none" else \
            tomllib.loads(f"v = {cell.strip('`')}")["v"]
    return values


def test_the_document_lists_every_key_with_the_loaders_default():
    assert documented() == schema()


def test_the_document_names_every_panel_and_control():
    text = DOC.read_text(encoding="utf-8")
    panels = text.split("## `[panels]`")[1].split("|")[0]
    controls = text.split("## `[controls]`")[1].split("|")[0]
    assert set(re.findall(r"`([a-z-]+)`", panels)) == set(PANELS)
    assert set(re.findall(r"`([a-z_0-9]+)`", controls)) == set(CONTROLS)


def test_the_documents_example_loads(tmp_path):
    example = DOC.read_text(encoding="utf-8").split("```toml\n")[1].split("```")[0]
    assert load_lesson(write(tmp_path, example)).settings.alpha == 0.001


# ------------------------------------------------------------------ writing
def test_a_saved_lesson_loads_back_equal(tmp_path):
    lesson = Lesson(
        title='Quotes " and \\ and ‖w‖²', instructions="Para **one**.\n\n- a\n- b '''\ttab\n",
        data=LessonData("pets", None, 32, "dog", 0.3),
        settings=RunSettings(alpha=1e-5, loss="squared-error", speed=10.0, optimizer="adam", batch_size=8,
                             lam=0.5, decay=0.05, decay_kind="exponential"),
        show=("controls", "cost", "bowl"), left=("controls",), bottom=("cost",), tabs=(("cost", "sigmoid"),),
        locked=("alpha", "train"), hidden=("seed",), iterations=123, race="GD vs momentum vs Adam")
    image_folder(tmp_path / "pets", 4)
    path = tmp_path / "saved.toml"
    save_lesson(path, lesson)
    assert load_lesson(path) == lesson
    for text in ("plain\nlines\n", "ends with a quote'", "odd \x7f \x01 \r\n", ""):
        other = replace(lesson, instructions=text, title=text.strip() or "t")
        save_lesson(path, other)
        assert load_lesson(path) == other


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_lessons_round_trip_through_the_writer(tmp_path, path):
    lesson = load_lesson(path)
    out = tmp_path / path.name
    save_lesson(out, lesson)
    assert load_lesson(out) == lesson


def test_the_loader_needs_no_qt():
    code = ("import sys, visualizer.formats.lesson_files\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'pyqtgraph'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
