"""Lesson checks agree with the docs and the constraint table (issue 21, groups 7 and 12): strict types, one
place per panel, a BOM, dotted keys with their line, a NUL in a path, the key a data problem is about."""

from __future__ import annotations

import re

import pytest

from tests.formats.test_lesson_files import DOC, refused, write
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data
from visualizer.model.constraints import DATA, RUN


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    # Text where the docs say number or integer, and a float where they say integer, as n_px and iterations are.
    ('title = "x"\n[settings]\nalpha = "0.1"\n', 3, "settings.alpha", "not the text '0.1'"),
    ('title = "x"\n[settings]\nbatch_size = "32"\n', 3, "settings.batch_size", "not the text '32'"),
    ('title = "x"\n[settings]\nbudget = "1e6"\n', 3, "settings.budget", "not the text '1e6'"),
    ('title = "x"\n[settings]\nseed = "12"\n', 3, "settings.seed", "not the text '12'"),
    ('title = "x"\n[settings]\nbatch_size = 32.0\n', 3, "settings.batch_size", "whole number"),
    ('title = "x"\n[data]\nn_px = "64"\n', 3, "data.n_px", "not the text '64'"),
    ('title = "x"\n[data]\nn_px = 64.0\n', 3, "data.n_px", "whole number"),
    ('title = "x"\n[data]\ntest_fraction = "0.1"\n', 3, "data.test_fraction", "not the text '0.1'"),
    ('title = "x"\niterations = 1e5\n', 2, "iterations", "whole number"),
    # λ is bounded (group 3): 1e308 was accepted and gave NaN.
    ('title = "x"\n[settings]\nlam = 1e308\n', 3, "settings.lam", "from 0 to 1000000"),
    # A control character is no class name; the message names data.positive, not data.source.
    ('title = "x"\n[data]\npositive = "\\u0000"\n', 3, "data.positive", "control characters"),
    # One panel in two groups of tabs.
    ('title = "x"\n[panels]\ntabs = [["cost", "sigmoid"], ["cost", "weights"]]\n', 3, "panels.tabs",
     "two groups of tabs"),
    # Dotted keys carry their line.
    ('title = "x"\n\nsettings.alpha = -1\n', 3, "settings.alpha", "positive"),
    ('title = "x"\n[data]\n"n_px" = 8\n', 3, "data.n_px", "from 16 to 256"),
    ('title = "x"\n[settings]\nalpha . x = 1\n', 3, "settings.alpha", "learning rate"),
])
def test_a_bad_value_names_its_line_and_key(tmp_path, text, line, key, words):
    message = refused(tmp_path, text)
    assert f", line {line}: key {key!r}: " in message, message
    assert words in message, message


def test_a_byte_order_mark_is_read_as_notepad_writes_it(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'title = "x"\n[settings]\nalpha = 0.1\n')
    assert load_lesson(path).settings.alpha == 0.1


@pytest.mark.parametrize("data", ['source = "a\\u0000b"', 'test = "x\\u0000"', 'source = "x"\ntest = "\\u0000"'])
def test_a_nul_in_a_data_path_is_a_lesson_error(tmp_path, data):
    (tmp_path / "x").mkdir()
    message = refused(tmp_path, f'title = "x"\n[data]\n{data}\n')
    assert "NUL" in message and re.search(r"key 'data\.(source|test)'", message)


def test_a_positive_class_the_data_lacks_is_blamed_on_data_positive(tmp_path):
    lesson = load_lesson(write(tmp_path, 'title = "x"\n[data]\npositive = "dog"\n'))
    with pytest.raises(LessonError, match=r"line 3: key 'data.positive': .*dog is not one of the classes"):
        load_lesson_data(lesson)


def _rows() -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| `([a-z_.0-9]+)` \| ([^|]+) \| [^|]+ \| (.+) \|$", DOC.read_text(encoding="utf-8"),
                      re.MULTILINE)
    return {key: (kind.strip(), cell) for key, kind, cell in rows}


def test_the_document_gives_each_setting_the_tables_type_and_range():
    rows = _rows()
    for prefix, table in (("settings", RUN), ("data", DATA)):
        for key, c in table.items():
            kind, cell = rows[f"{prefix}.{key}"]
            assert kind == c.type_name(), key
            if c.choices:
                assert set(re.findall(r'`"([^"`]+)"`', cell)) == set(c.choices), key
            else:
                assert cell.startswith(c.rule()), (key, cell, c.rule())
    assert "at most m" in rows["settings.batch_size"][1]
