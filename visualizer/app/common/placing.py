"""Where a window of its own opens: beside the main window where the screen has room, else beside what it must
leave in sight (a lesson's Instructions), never over it where the screen allows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, QTimer
from PySide6.QtWidgets import QWidget

#: The least room worth opening beside the main window in, rather than beside what is kept in sight.
ENOUGH = QSize(600, 400)


def place_beside(window: QWidget, parent: QWidget, keep_clear: QWidget | None, preferred: QSize) -> None:
    """``window`` on ``parent``'s screen, at most ``preferred``: beside ``parent`` where the screen has room, else in
    the largest part of the screen beside ``keep_clear`` (when shown), else centred on ``parent``."""
    screen = parent.screen().availableGeometry()
    avoid = global_rect(keep_clear)
    frame = window.frameGeometry().size() - window.size() if window.isVisible() else QSize(0, 0)

    def area(room: QRect) -> int:
        size = preferred.boundedTo(room.size() - frame)
        return size.width() * size.height()

    beside = [r for r in free_sides(screen, parent.frameGeometry()) if area(r) >= area(QRect(QPoint(), ENOUGH))]
    sides = beside or ([] if avoid is None else free_sides(screen, avoid))  # off the window, or off the text
    room = max(sides, key=area) if sides else screen
    least = window.minimumSizeHint().boundedTo(screen.size() - frame)
    size = preferred.boundedTo(room.size() - frame).expandedTo(least)
    window.resize(size)
    where = QRect(room.topLeft(), size + frame)
    where.moveCenter(room.center() if sides else parent.frameGeometry().center())
    where.moveRight(min(where.right(), screen.right()))
    where.moveBottom(min(where.bottom(), screen.bottom()))
    where.moveLeft(max(where.left(), screen.left()))
    where.moveTop(max(where.top(), screen.top()))
    window.move(where.topLeft())


def global_rect(widget: QWidget | None) -> QRect | None:
    """Where ``widget`` is on the screen; None when it is not shown."""
    if widget is None or not widget.isVisible():
        return None
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def free_sides(screen: QRect, avoid: QRect) -> list[QRect]:
    """The parts of ``screen`` left, right, above and below ``avoid``, each as tall or wide as the screen."""
    sides = [QRect(screen.left(), screen.top(), avoid.left() - screen.left(), screen.height()),
             QRect(avoid.right() + 1, screen.top(), screen.right() - avoid.right(), screen.height()),
             QRect(screen.left(), screen.top(), screen.width(), avoid.top() - screen.top()),
             QRect(screen.left(), avoid.bottom() + 1, screen.width(), screen.bottom() - avoid.bottom())]
    return [side for side in sides if side.width() > 0 and side.height() > 0]


class KeepClear(QObject):
    """Moves ``window`` off ``widget`` whenever ``widget`` shows, moves or grows under it (the Instructions take
    their room only once shown, after the window opened beside where they were)."""

    def __init__(self, window: QWidget, widget: QWidget, preferred: QSize):
        super().__init__(window)
        self.window, self.widget, self.preferred = window, widget, preferred
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.widget and event.type() in (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize):
            QTimer.singleShot(0, self, self.move_off_if_covering)
        return False

    def move_off_if_covering(self) -> None:
        avoid = global_rect(self.widget)
        if self.window.isVisible() and avoid is not None and self.window.frameGeometry().intersects(avoid):
            self.place()

    def place(self) -> None:
        place_beside(self.window, self.window.parentWidget(), self.widget, self.preferred)
