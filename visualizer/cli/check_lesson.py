"""`visualizer check-lesson FILE...`: each lesson's expectations measured on its own run, headless.

One line per expectation, held or not, with the values measured; exit 0 when every one holds, 1 when any fails,
2 when a file cannot be read or its data cannot be loaded (one line on stderr naming it, the others still checked).
"""

from __future__ import annotations

import sys

from visualizer.cli.output import one_line, quote_path
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data
from visualizer.model.lesson_check import check

EXIT_FAILED, EXIT_UNREADABLE = 1, 2


def check_lessons(paths: list[str]) -> int:
    code = 0
    for path in paths:
        shown = quote_path(path)
        try:
            lesson = load_lesson(path)
            train, test = load_lesson_data(lesson)
        except LessonError as exc:
            print(f"visualizer: error: {one_line(str(exc))}", file=sys.stderr)
            code = EXIT_UNREADABLE
            continue
        if not lesson.expect:
            print(f"{shown}: states no expectations (docs/lessons.md, 'Expectations')")
            continue
        for result in check(lesson.expect, train, test, lesson.settings):
            print(f"{shown}: {one_line(result.line(), sys.stdout)}", flush=True)
            if not result.holds and code == 0:
                code = EXIT_FAILED
    return code
