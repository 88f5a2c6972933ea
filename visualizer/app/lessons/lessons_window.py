"""One "Lessons" window holding every open lesson as a tab, beside the main window.

The main window has no room left for a lesson to be read; floating docks opened stacked at
one spot. Here they are docks of their own window (so ``window.docks[key]`` still says
whether a lesson is shown), tabbed in one area. Esc or Ctrl+W closes the lesson in front.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


class LessonsWindow(QMainWindow):
    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("visualizer: lessons")
        self.setObjectName("lessons-window")
        self.setDockNestingEnabled(False)
        self._front: QDockWidget | None = None
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence.StandardKey.Close):
            QShortcut(keys, self, self.close_front)

    def add(self, title: str, panel: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)
        dock.hide()
        dock.visibilityChanged.connect(lambda shown, d=dock: shown and self._came_to_front(d))
        return dock

    def open(self, dock: QDockWidget) -> None:
        if not dock.isVisible():
            shown = [d for d in self.findChildren(QDockWidget) if d.isVisible()]
            dock.show()
            if shown:
                self.tabifyDockWidget(shown[-1], dock)
        if not self.isVisible():
            parent = self.parentWidget()
            screen = parent.screen().availableGeometry()
            self.resize(min(1000, screen.width()), min(660, screen.height()))
            self.move(parent.geometry().center() - self.rect().center())
            self.show()
        dock.raise_()
        self._came_to_front(dock)
        self.raise_()
        self.activateWindow()

    def _came_to_front(self, dock: QDockWidget) -> None:
        self._front = dock
        dock.widget().setFocus()

    def close_front(self) -> None:
        """Close the lesson in front; the window goes when the last one does."""
        if self._front is not None and self._front.isVisible():
            self._front.hide()
        shown = [d for d in self.findChildren(QDockWidget) if d.isVisible()]
        if shown:
            shown[-1].raise_()
            self._came_to_front(shown[-1])
        else:
            self.hide()

    def closeEvent(self, event) -> None:
        for dock in self.findChildren(QDockWidget):
            dock.hide()
        super().closeEvent(event)
