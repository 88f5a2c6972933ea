"""Window-wide keys (Space to train, ← and → to step, R to reset) give way to a focused control.

Qt fires a window shortcut before the focused widget sees the key, unless that widget accepts
the ShortcutOverride event. Buttons, lists, sliders and combo boxes do not, so Space on a
focused Reset button trained and → in the gallery stepped the model. This filter accepts the
override for the keys such a widget uses, so it gets them as Qt users expect.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSlider, QApplication, QComboBox

Key = Qt.Key
ACTIVATE = {Key.Key_Space, Key.Key_Return, Key.Key_Enter}
MOVE = {Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down}
WANTS = (
    (QAbstractButton, ACTIVATE),
    (QAbstractItemView, ACTIVATE | MOVE),
    (QAbstractSlider, MOVE),
    (QComboBox, ACTIVATE | MOVE),
)


class FocusedWidgetFirst(QObject):
    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        if obj is focus and any(isinstance(focus, kind) and event.key() in keys for kind, keys in WANTS):
            event.accept()  # the focused widget gets this key; the window shortcut does not fire
            return True
        return False
