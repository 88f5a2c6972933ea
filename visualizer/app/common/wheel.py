"""The mouse wheel scrolls the panel under the pointer; it changes a setting only in the control that has the focus.

A wheel turned to scroll the Controls flipped Initialization to "Random (seeded)" on its way (a new
run at iteration 0) and Speed from 100/s to 10/s. As in Qt Creator and KDE applications, combo
boxes, spin boxes and sliders take the focus only by a click or Tab (``Qt.StrongFocus``, not the wheel),
and a wheel over one without the focus scrolls the panel around it instead.

The filter sits on those controls alone (``guard``), not on the application: an application-wide Python
filter was called for every event of every object, about 33,000 times while one main window was built.
Each window guards its controls once they are made (the main window, a lesson panel when first opened,
Explore > Compare runs, the animation dialog); a control made later in a shown window needs ``guard`` too.
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
WHEEL = QEvent.Type.Wheel
NAME = "wheel-scrolls-panels"


def wheeled(obj) -> bool:
    return isinstance(obj, WHEELED) and not isinstance(obj, QScrollBar)


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelScrollsPanels(QObject):
    """Installed on each guarded control: a wheel over it without the focus scrolls the panel around it."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == WHEEL and not obj.hasFocus():
            area = scroll_area_around(obj)
            if area is not None:
                QApplication.sendEvent(area.verticalScrollBar(), event)  # the panel scrolls
            event.accept()  # handled: not the control's, nor (once more) its parents'
            return True
        return False


def guard(root: QWidget) -> None:
    """Every wheeled control in ``root`` (``root`` included) takes the focus only by a click or Tab, and passes
    the wheel to its panel until it has the focus. Guarding a control twice changes nothing."""
    wheel = root.findChild(WheelScrollsPanels, NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    if wheel is None:
        wheel = WheelScrollsPanels(root)
        wheel.setObjectName(NAME)
    for control in [root, *root.findChildren(QWidget)]:
        if wheeled(control):
            if control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer gives it the focus
            control.installEventFilter(wheel)
