"""The mouse wheel scrolls the panel under the pointer; it changes a setting only in the control that has the focus.

A wheel turned to scroll the Controls flipped Initialization to "Random (seeded)" on its way (a new
run at iteration 0) and Speed from 100/s to 10/s. As in Qt Creator and KDE applications, combo
boxes, spin boxes and sliders take the focus only by a click or Tab (``Qt.StrongFocus``, not the wheel),
and a wheel over one without the focus scrolls the panel around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

#: Controls whose value the wheel changes.
WHEELED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
NAME = "wheel-scrolls-panels"


def wheeled(obj) -> bool:
    return isinstance(obj, WHEELED) and not isinstance(obj, QScrollBar)


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelScrollsPanels(QObject):
    """Installed once on the application: every window's controls, those made later included."""

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and wheeled(obj):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer gives it the focus
        elif kind == QEvent.Type.Wheel and wheeled(obj) and not obj.hasFocus():
            area = scroll_area_around(obj)
            if area is not None:
                QApplication.sendEvent(area.verticalScrollBar(), event)  # the panel scrolls
            event.accept()  # handled: not the control's, nor (once more) its parents'
            return True
        return False


def install(app: QApplication) -> None:
    """Once per application."""
    if app.findChild(WheelScrollsPanels, NAME) is None:
        wheel = WheelScrollsPanels(app)
        wheel.setObjectName(NAME)
        app.installEventFilter(wheel)
