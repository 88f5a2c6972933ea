"""One "Lessons" window holding every open lesson as a tab, beside the main window.

The main window has no room left for a lesson to be read; floating docks opened stacked at
one spot. Here they are docks of their own window (so ``window.docks[key]`` still says
whether a lesson is shown), tabbed in one area. Esc or Ctrl+W closes the lesson in front.
It opens where it leaves ``keep_clear`` (the lesson's Instructions) in sight, and the main
window's shortcuts (Alt+1…, Space, F11…) work in it too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from visualizer.app.common.placing import KeepClear, place_beside

#: The size it opens at where the screen has room.
PREFERRED = QSize(1000, 660)


class LessonsWindow(QMainWindow):
    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("visualizer: lessons")
        self.setObjectName("lessons-window")
        self.setDockNestingEnabled(False)
        self._front: QDockWidget | None = None
        self.keep_clear: QWidget | None = None  # what it must not cover; set by the main window
        self._own_keys = [QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Close)]
        for keys in self._own_keys:
            QShortcut(keys, self, self.close_front)

    def share_shortcuts(self, actions: list[QAction]) -> None:
        """The main window's shortcuts work here too (Alt+2 did nothing while a lesson had the focus); those
        of its own keys (Esc, Ctrl+W) it keeps, since one key bound twice in a window fires neither."""
        self.addActions([a for a in actions if not any(k in self._own_keys for k in a.shortcuts())])

    def watch(self, widget: QWidget) -> None:
        """Keep ``widget`` in sight: the window moves off it when it shows, moves or grows under it."""
        self.keep_clear = widget
        self._clear = KeepClear(self, widget, PREFERRED)

    def eventFilter(self, obj, event) -> bool:
        if isinstance(obj, QDockWidget) and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self, self._after_a_tab_closed)  # its own ×: the window goes with its last tab
        return super().eventFilter(obj, event)

    def add(self, title: str, panel: QWidget | None = None) -> QDockWidget:
        """A hidden tab; its panel may be set later (``dock.setWidget``), before it is first shown."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        if panel is not None:
            dock.setWidget(panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)
        dock.hide()
        dock.installEventFilter(self)
        dock.visibilityChanged.connect(lambda shown, d=dock: shown and self._came_to_front(d))
        return dock

    def open(self, dock: QDockWidget) -> None:
        if not dock.isVisible():
            shown = [d for d in self.findChildren(QDockWidget) if d.isVisible()]
            if shown:  # tabbed before it shows: shown beside the others first, it widened the window past the screen
                self.tabifyDockWidget(shown[-1], dock)
            dock.show()
        if not self.isVisible():
            self.place()
            self.show()
        dock.raise_()
        self._came_to_front(dock)
        self.raise_()
        self.activateWindow()

    def _came_to_front(self, dock: QDockWidget) -> None:
        self._front = dock
        if dock.widget() is not None:
            dock.widget().setFocus()

    def place(self) -> None:
        """Beside the main window where the screen has room, else beside ``keep_clear`` (placing.place_beside)."""
        place_beside(self, self.parentWidget(), self.keep_clear, PREFERRED)

    def _after_a_tab_closed(self) -> None:
        shown = [d for d in self.findChildren(QDockWidget) if not d.isHidden()]
        if not shown:
            self.hide()
        elif self._front is None or self._front.isHidden():
            shown[-1].raise_()
            self._came_to_front(shown[-1])

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

