"""A plain sentence laid over a panel whose picture means one model only (visualizer/model/panels.py ``models``):
on the other model the panel says so instead of crashing or showing the last run's numbers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class ModelNote(QObject):
    """Covers ``panel`` with ``text`` while shown; follows the panel's size."""

    def __init__(self, panel: QWidget):
        super().__init__(panel)
        self.panel = panel
        self.label = QLabel(panel)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAutoFillBackground(True)  # the panel's stale picture is hidden behind it
        self.label.setMargin(24)
        self.label.setAccessibleName("Panel note")
        self.label.hide()
        panel.installEventFilter(self)

    @property
    def shown(self) -> bool:
        return not self.label.isHidden()

    def show(self, text: str) -> None:
        self.label.setText(text)
        self.label.setGeometry(self.panel.rect())
        self.label.raise_()
        self.label.show()

    def hide(self) -> None:
        self.label.hide()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.panel and event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.panel.rect())
        return False
