"""A plain sentence laid over a panel whose picture means one model only (visualizer/model/panels.py ``models``):
on the other model the panel says so instead of crashing or showing the last run's numbers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class ModelNote(QObject):
    """Takes the place of ``panel``'s own widgets (a 3-D view draws over anything laid on it) while shown."""

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
        self._hidden: list[QWidget] = []  # the panel's widgets it put away, shown again by ``hide``
        panel.installEventFilter(self)

    @property
    def shown(self) -> bool:
        return not self.label.isHidden()

    def show(self, text: str) -> None:
        self.label.setText(text)
        if not self.shown:
            own = self.panel.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            self._hidden = [w for w in own if w is not self.label and not w.isHidden()]
            for widget in self._hidden:
                widget.hide()
        self.label.setGeometry(self.panel.rect())
        self.label.raise_()
        self.label.show()

    def hide(self) -> None:
        if self.shown:
            self.label.hide()
            for widget in self._hidden:
                widget.show()
            self._hidden = []

    def eventFilter(self, obj, event) -> bool:
        if obj is self.panel and event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.panel.rect())
        return False
