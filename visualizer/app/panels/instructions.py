"""The Instructions panel: a lesson file's title and its text for the students, beside the run.

The text is a lesson's own simple formatting turned into escaped HTML by
``visualizer.formats.lesson_text.instructions_html``: nothing in it can load a resource or run.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from visualizer.formats.lesson_files import Lesson
from visualizer.formats.lesson_text import instructions_html

EMPTY = ("<p>No lesson is open. Open one with <b>File &gt; Open lesson…</b>, or pick a class lesson "
         "from <b>Lessons &gt; Class lessons</b>.</p>")


class InstructionsPanel(QWidget):
    def __init__(self):
        super().__init__()
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)  # a lesson holds no links; nothing it says is followed
        self.text.setAccessibleName("Instructions")
        self.text.setToolTip("What to do and what to look for in this lesson, from its lesson file.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.text)
        self.show_lesson(None)

    def show_lesson(self, lesson: Lesson | None) -> None:
        if lesson is None:
            self.text.setHtml(EMPTY)
            return
        self.text.setHtml(f"<h3>{html.escape(lesson.title, quote=False)}</h3>\n"
                          f"{instructions_html(lesson.instructions)}")

    def plain_text(self) -> str:
        return self.text.toPlainText()
