"""Answering a modal question as a learner would: once it is up, read it and press one of its buttons."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_the_box(seen: list, button: QMessageBox.StandardButton | str) -> None:
    """Press ``button`` (a standard button, or a button's text without its &) of the next message box, and
    append its text to ``seen``."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, press)
            return
        seen.append(box.text())
        if isinstance(button, str):
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()
        else:
            box.button(button).click()

    QTimer.singleShot(50, press)
