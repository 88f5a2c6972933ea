"""Writing a lesson file: the window's state as TOML that ``lesson_files.load_lesson`` reads back equal."""

from __future__ import annotations

import json
import os
from dataclasses import fields

from visualizer.formats.lesson_files import AREAS, FORMAT_VERSION, Lesson, LessonData
from visualizer.fs.atomic import StorageError, atomic_write


def lesson_to_toml(lesson: Lesson) -> str:
    """The lesson as a TOML file that loads back equal: every setting written out, for the teacher to edit."""
    out = ["# A visualizer lesson: open it with `visualizer FILE` or File > Open lesson…; see docs/lessons.md.",
           f"version = {FORMAT_VERSION}", f"title = {_toml_string(lesson.title)}",
           f"instructions = {_toml_text(lesson.instructions)}", f"iterations = {lesson.iterations}"]
    if lesson.race is not None:
        out.append(f"race = {_toml_string(lesson.race)}")
    if lesson.expect:  # what the learner will see, one sentence a line (checked by `visualizer check-lesson`)
        out += ["expect = ["] + [f"    {_toml_string(e.text)}," for e in lesson.expect] + ["]"]
    out += ["", "[data]"]
    out += [f"{f.name} = {_toml_value(getattr(lesson.data, f.name))}" for f in fields(LessonData)
            if getattr(lesson.data, f.name) is not None]
    out += ["", "[settings]"] + [f"{key} = {_toml_value(value)}" if value is not None else f"# {key}: the default"
                                 for key, value in lesson.settings.to_dict().items()]
    out += ["", "[panels]", f"show = {_toml_value(list(lesson.show))}"]
    out += [f"{a} = {_toml_value(list(getattr(lesson, a)))}" for a in AREAS if getattr(lesson, a)]
    if lesson.tabs:
        out.append(f"tabs = [{', '.join(_toml_value(list(t)) for t in lesson.tabs)}]")
    out += ["", "[controls]", f"locked = {_toml_value(list(lesson.locked))}",
            f"hidden = {_toml_value(list(lesson.hidden))}", ""]
    return "\n".join(out)


def save_lesson(path: str | os.PathLike, lesson: Lesson) -> None:
    """Through the one atomic writer: a reader sees the old lesson or the new one, never half.

    A lesson file is UTF-8 text: a name that is not UTF-8 (bytes of another encoding in a path,
    which Python holds as lone surrogates) cannot be written in it, and is refused naming its key.
    """
    text = lesson_to_toml(lesson)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text[: exc.start].rpartition("\n")[2]
        key = next((f"data.{f.name}" for f in fields(LessonData) if line.startswith(f"{f.name} = ")), "a name")
        raise StorageError(f"{path}: not saved: {key} is not UTF-8 text (a name in another encoding), which a "
                           "lesson file cannot hold; rename it") from None
    atomic_write(path, lambda f: f.write(text), binary=False)


def _toml_string(s: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL, which TOML wants escaped too."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_text(s: str) -> str:
    """Multi-line text as a literal block a teacher can edit, when it holds nothing that needs escaping."""
    plain = all(c in "\n\t" or (c >= " " and c != "\x7f") for c in s)
    if s and plain and "'''" not in s and not s.endswith("'"):
        return "'''\n" + s + "'''"
    return _toml_string(s)


def _toml_value(value) -> str:
    """Text, a list of names or of layer sizes, or a number (str() of an int or a float is valid TOML; lessons
    hold no bool)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    return _toml_string(value) if isinstance(value, str) else str(value)
