"""Lesson files: a small TOML file that sets up the window for one idea of the course.

A teacher writes (or saves from the window) the title, instructions for students, the data,
the run settings, which panels are shown and which controls are locked or hidden. The file
is data, never code: Python's own ``tomllib`` reads it and every value is checked here, the
run settings by ``RunSettings.from_dict`` (the one validator). A bad file raises one
``LessonError`` naming the file, the line and the key. No Qt, so the CLI uses it too.
The schema is documented in docs/lessons.md (a test keeps the two in step).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NoReturn

import tomllib

from visualizer.core.analysis.race import PRESETS
from visualizer.data import DataError, Dataset, load_data
from visualizer.data.contradictions import with_contradictions
from visualizer.data.planar import is_planar
from visualizer.fs.files import file_kind_problem, read_regular
from visualizer.model.constraints import DATA, batch_problem, check
from visualizer.model.expectations import Expectation, ExpectationError, parse
from visualizer.model.panels import DOCK_AREAS, LESSON_PANELS, MAIN_PANELS
from visualizer.model.settings import RunSettings, SettingsError, model_problem

#: A lesson is a page of text; anything bigger is not one.
MAX_BYTES = 256 * 1024
MAX_TITLE = 200
MAX_INSTRUCTIONS = 20_000
#: Iterations run before the student sees the window, with progress shown: seconds for batch descent,
#: minutes for Adam on all m examples (docs/lessons.md gives the figures).
MAX_ITERATIONS = 100_000
FORMAT_VERSION = 1
#: What a lesson can show: the window's docks and the lesson views (visualizer/model/panels.py).
PANELS = MAIN_PANELS + LESSON_PANELS
AREAS = DOCK_AREAS
#: What a lesson can lock or hide: every run setting (each has a control in the window), the α presets, and the
#: run's own buttons.
CONTROLS = (*(f.name for f in fields(RunSettings)), "presets", "train", "step", "reset", "timeline")
DATA_SOURCES = ("demo", "course")
COURSE_TRAIN = "train_catvnoncat.h5"
#: Where ``source = "course"`` looks first (then beside the lesson, then the current folder).
COURSE_ENV = "VISUALIZER_COURSE_DIR"


class LessonError(ValueError):
    """A lesson that cannot be used: one line naming the file, the line and the key."""


@dataclass(frozen=True)
class LessonData:
    """Where the examples come from: ``source`` as written ("demo", "course" or a path)."""

    source: str = "demo"
    test: str | None = None  # a test set; by default the source's own (test/, test_*.h5) or a held-out part
    n_px: int | None = DATA["n_px"].default  # None: the source's own size (64 for folders)
    positive: str | None = None  # None: cat, yes, ... as the data package guesses
    test_fraction: float = DATA["test_fraction"].default
    contradictions: int = DATA["contradictions"].default  # training images copied with the opposite label


@dataclass(frozen=True)
class Lesson:
    title: str
    instructions: str = ""
    data: LessonData = field(default_factory=LessonData)
    settings: RunSettings = field(default_factory=RunSettings)
    show: tuple[str, ...] = MAIN_PANELS
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    bottom: tuple[str, ...] = ()
    tabs: tuple[tuple[str, ...], ...] = ()
    locked: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    iterations: int = 0
    race: str | None = None  # a preset of Explore > Compare runs, raced beside the window when the lesson opens
    #: What the learner will see, checked by `visualizer check-lesson` (visualizer.model.expectations).
    expect: tuple[Expectation, ...] = ()
    #: The file it came from (relative data paths are relative to its folder); not part of its content.
    path: Path | None = field(default=None, compare=False)
    #: key -> line in that file, for messages about values only the data can check (batch_size <= m).
    lines: Mapping = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> str:
        return _where(self.path, self.lines, key)


def _where(path, lines: Mapping, key: str) -> str:
    """'FILE, line N: key K' for a message; a key written inline takes the line of its table, a table written
    as dotted keys (``alpha.x = 1``) the line of its first key."""
    deeper = [n for k, n in lines.items() if k.startswith(f"{key}.")]
    written = key
    while written and written not in lines:
        written = written.rpartition(".")[0]
    line = lines[key] if key in lines else min(deeper) if deeper else lines[written] if written else None
    return f"{path}" + (f", line {line}" if line else "") + f": key {key!r}"


# ---------------------------------------------------------------------------------- reading
def load_lesson(path: str | os.PathLike) -> Lesson:
    """The lesson in ``path``, every value checked; LessonError otherwise. Nothing is loaded yet."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except (ValueError, OSError) as exc:
        raise LessonError(f"{path}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LessonError(f"{path}, line {line}: not UTF-8 text") from None
    return parse_lesson(text, path)


def parse_lesson(text: str, path: Path) -> Lesson:
    text = text.removeprefix("\ufeff")  # the byte order mark Notepad writes; TOML's own grammar has none
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message gives the line and column
        raise LessonError(f"{path}: not a valid TOML file: {exc}") from None
    except RecursionError:
        raise LessonError(f"{path}: nested too deeply to be a lesson") from None
    return _Reader(text, path).lesson(doc)


class _Reader:
    def __init__(self, text: str, path: Path):
        self.lines_of = _key_lines(text)
        self.path = path

    def fail(self, key: str, problem: str) -> NoReturn:
        raise LessonError(f"{_where(self.path, self.lines_of, key)}: {problem}")

    def table(self, doc: dict, key: str, known) -> dict:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}]), not {_kind(value)}")
        for name in value:
            if name not in known:
                self.fail(f"{key}.{name}", _unknown(name, known))
        return value

    def text(self, table: dict, key: str, full: str, limit: int, default: str | None) -> str | None:
        value = table.get(key, default)
        if value is default:
            return value
        if not isinstance(value, str):
            self.fail(full, f"must be text in quotes, not {_kind(value)}")
        if len(value) > limit:
            self.fail(full, f"is {len(value):,} characters long; at most {limit:,}")
        return value

    def whole(self, value, key: str, lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.fail(key, f"must be a whole number from {lo:,} to {hi:,}, not {_shown(value)}")
        return value

    def names(self, table: dict, key: str, full: str, allowed, default=()) -> tuple[str, ...]:
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(full, f"must be a list of names in quotes, such as [{', '.join(map(json.dumps, allowed[:2]))}]")
        for v in value:
            if v not in allowed:
                self.fail(full, _unknown(v, allowed))
        if len(set(value)) != len(value):
            self.fail(full, "names a panel or control twice")
        return tuple(value)

    def lesson(self, doc: dict) -> Lesson:
        for name in doc:
            if name not in TOP_KEYS:
                self.fail(name, _unknown(name, TOP_KEYS))
        version = doc.get("version", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
            self.fail("version", f"this visualizer reads lesson format {FORMAT_VERSION}, not {_shown(version)}")
        title = self.text(doc, "title", "title", MAX_TITLE, None)
        if title is None or not title.strip():
            raise LessonError(f"{self.path}: key 'title': a lesson needs a title (title = \"...\")")
        iterations = self.whole(doc.get("iterations", 0), "iterations", 0, MAX_ITERATIONS)
        race = self.text(doc, "race", "race", MAX_TITLE, None)
        if race is not None and race not in PRESETS:
            self.fail("race", f"{_shown(race)} is not a preset of the race; one of {', '.join(PRESETS)}")
        panels = self.table(doc, "panels", PANEL_KEYS)
        controls = self.table(doc, "controls", CONTROL_KEYS)
        tabs = panels.get("tabs", [])
        if not isinstance(tabs, list) or not all(isinstance(t, list) for t in tabs):
            self.fail("panels.tabs", 'must be a list of lists of panel names, such as [["cost", "sigmoid"]]')
        tabs = tuple(self.names({"t": t}, "t", "panels.tabs", MAIN_PANELS) for t in tabs)
        if len({p for t in tabs for p in t}) != sum(map(len, tabs)):
            self.fail("panels.tabs", "a panel is in two groups of tabs; a panel is in one place")
        areas = {a: self.names(panels, a, f"panels.{a}", MAIN_PANELS) for a in AREAS}
        placed = [p for a in AREAS for p in areas[a]]
        if len(set(placed)) != len(placed):
            self.fail("panels", "a panel is placed in two areas")
        return Lesson(
            title=title.strip(),
            instructions=self.text(doc, "instructions", "instructions", MAX_INSTRUCTIONS, ""),
            data=self.data(self.table(doc, "data", DATA_KEYS)),
            settings=self.settings(self.table(doc, "settings", SETTING_KEYS)),
            show=self.names(panels, "show", "panels.show", PANELS, MAIN_PANELS),
            tabs=tabs,
            locked=self.names(controls, "locked", "controls.locked", CONTROLS),
            hidden=self.names(controls, "hidden", "controls.hidden", CONTROLS),
            iterations=iterations, race=race, expect=self.expectations(doc.get("expect", [])), path=self.path,
            lines=dict(self.lines_of), **areas,
        )

    def expectations(self, value) -> tuple[Expectation, ...]:
        if not isinstance(value, list):
            self.fail("expect", 'must be a list of sentences, such as ["J at 2000 < J at 0"]')
        out = []
        for k, sentence in enumerate(value, start=1):
            try:
                out.append(parse(sentence))
            except ExpectationError as exc:
                self.fail("expect", f"sentence {k} ({_shown(sentence)}): {exc}")
        return tuple(out)

    def data(self, table: dict) -> LessonData:
        source = self.text(table, "source", "data.source", 4096, "demo")
        test = self.text(table, "test", "data.test", 4096, None)
        for key, value in (("data.source", source), ("data.test", test)):
            if value is not None and not is_planar(value) and (key == "data.test" or value not in DATA_SOURCES):
                problem = _path_problem(resolve(value, self.path))
                if problem:
                    self.fail(key, f"the data set {value!r}: {problem}")
        if test is not None and source in DATA_SOURCES:
            self.fail("data.test", f"the {source} set comes with its own test set")
        values = {}
        for key in DATA:
            try:
                values[key] = check(key, table.get(key, DATA[key].default))
            except ValueError as exc:
                self.fail(f"data.{key}", str(exc))
        positive = self.text(table, "positive", "data.positive", 200, None)
        if positive is not None and (not positive.strip() or any(ord(c) < 32 or ord(c) == 127 for c in positive)):
            self.fail("data.positive", f"must name a class, without control characters, not {_shown(positive)}")
        return LessonData(source, test, positive=positive, **values)

    def settings(self, table: dict) -> RunSettings:
        try:
            return RunSettings.from_dict(table, str(self.path))
        except SettingsError as exc:  # unknown keys are refused before, by table()
            self.fail(f"settings.{exc.key}", exc.reason)


TOP_KEYS = ("version", "title", "instructions", "iterations", "race", "expect", "data", "settings", "panels",
            "controls")
DATA_KEYS = tuple(f.name for f in fields(LessonData))
SETTING_KEYS = tuple(f.name for f in fields(RunSettings))
PANEL_KEYS = ("show", *AREAS, "tabs")
CONTROL_KEYS = ("locked", "hidden")


def schema() -> dict[str, object]:
    """Every key (dotted) with its default: what docs/lessons.md documents. ``...`` marks a required key."""
    keys = {"version": FORMAT_VERSION, "title": ..., "instructions": "", "iterations": 0, "race": None, "expect": []}
    keys |= {f"data.{f.name}": f.default for f in fields(LessonData)}
    keys |= {f"settings.{k}": list(v) if isinstance(v, tuple) else v for k, v in RunSettings().to_dict().items()}
    keys |= {"panels.show": list(MAIN_PANELS), **{f"panels.{a}": [] for a in AREAS}, "panels.tabs": []}
    return keys | {"controls.locked": [], "controls.hidden": []}


def _kind(value) -> str:
    return {bool: "true/false", str: "text", int: "a number", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _unknown(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; one of {', '.join(known)}"
    return f"unknown name {_shown(name)}{hint}"


_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(rf"({_PART}(?:\s*\.\s*{_PART})*)\s*=")  # dotted keys too: settings.alpha = 0.1


def _dotted(written: str) -> str:
    """A key as TOML writes it (``a . "b.c"``) as the dotted name messages use."""
    return ".".join(p.strip("\"'") for p in re.findall(_PART, written))


def _key_lines(text: str) -> dict[str, int]:
    """Dotted key -> the line it is written on; TOML's parser does not say, so the text is read here.

    Tables and ``key = value`` lines, dotted keys included, are enough for lesson files; lines inside
    multi-line strings are skipped.
    """
    lines: dict[str, int] = {}
    table, inside = "", None
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if inside is not None:
            if stripped.count(inside) % 2:
                inside = None
            continue
        if m := _HEADER.match(stripped):
            table = _dotted(m[1])
            lines.setdefault(table, n)
        elif m := _KEY.match(stripped):
            key = _dotted(m[1])
            lines.setdefault(f"{table}.{key}" if table else key, n)
            rest = stripped[m.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2:
                    inside = quote
    return lines


# ---------------------------------------------------------------------------------- data
def resolve(source: str, lesson_path: Path | None) -> Path:
    """A data path as written in a lesson: relative to the lesson's folder."""
    p = Path(source).expanduser()
    return p if p.is_absolute() or lesson_path is None else lesson_path.parent / p


def _path_problem(path: Path) -> str | None:
    problem = file_kind_problem(path, folder_ok=True)
    if problem is None and not path.is_dir() and path.suffix.lower() not in (".h5", ".hdf5", ".csv"):
        problem = "not a folder of images, a course .h5 file, a .csv of x1,x2,y points nor planar:NAME"
    return problem


def course_file(lesson: Lesson) -> Path:
    """The course's training file: in $VISUALIZER_COURSE_DIR, beside the lesson, or in the current folder."""
    places = [Path(os.environ[COURSE_ENV])] if os.environ.get(COURSE_ENV) else []
    places += [lesson.path.parent] if lesson.path is not None else []
    places.append(Path.cwd())
    for place in places:
        if (place / COURSE_TRAIN).is_file():
            return place / COURSE_TRAIN
    raise LessonError(f"{lesson.where('data.source')}: the course's {COURSE_TRAIN} is in none of "
                      f"{', '.join(map(str, places))}; set {COURSE_ENV} to its folder")


def load_lesson_data(lesson: Lesson, progress=None, cancelled=None) -> tuple[Dataset, Dataset | None]:
    """The lesson's (train, test); LessonError naming the key when they cannot be used."""
    d = lesson.data
    source = (None if d.source == "demo" else course_file(lesson) if d.source == "course"
              else d.source if is_planar(d.source) else resolve(d.source, lesson.path))
    test = None if d.test is None else d.test if is_planar(d.test) else resolve(d.test, lesson.path)
    try:
        train, test = load_data(source, test, positive=d.positive, n_px=d.n_px, test_fraction=d.test_fraction,
                                progress=progress, cancelled=cancelled)
    except DataError as exc:
        key = f"data.{exc.option or 'source'}"
        raise LessonError(f"{lesson.where(key)}: {exc}") from None
    if d.contradictions:
        if d.contradictions > train.m:
            raise LessonError(f"{lesson.where('data.contradictions')}: at most the {train.m} training images can "
                              f"be copied with the opposite label, not {d.contradictions}")
        train = with_contradictions(train, d.contradictions)
    if problem := batch_problem(lesson.settings.batch_size, train.m):
        raise LessonError(f"{lesson.where('settings.batch_size')}: {problem}")
    if problem := model_problem(lesson.settings, train.m, train.n_x):
        raise LessonError(f"{lesson.where(f'settings.{problem[0]}')}: {problem[1]}")
    return train, test
