"""Window-wide keys (Space to train, ← and → to step, R to reset) give way to a focused control.

Qt fires a window shortcut before the focused widget sees the key, unless that widget accepts
the ShortcutOverride event. Buttons, lists, sliders and combo boxes do not, so → in the gallery
stepped the model. This filter accepts the override for the keys such a widget uses, so it gets
them as Qt users expect.

Space is the README's first instruction ("press Train (Space)"), so it trains unless the learner
gave the focus to a control that takes it: a text field or a list they clicked or tabbed into, or a
button or combo box they reached with the keyboard (Tab, Alt+letter), where Space is how one presses
it. Focus that came by itself (at launch, after a dialog) or with a click on a button or a combo box
(a side effect of pressing it) leaves Space to Train: clicking Speed and then pressing Space trains.

The filter sits on the widgets that take the focus (``watch``), not on the application: an
application-wide Python filter is called for every event of every object. A widget made after
``watch`` gets it when it first takes the focus; how it took that first focus is not known, so
Space trains until the learner gives it the focus again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

Key = Qt.Key
Reason = Qt.FocusReason
ACTIVATE = {Key.Key_Return, Key.Key_Enter}
MOVE = {Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down}
WANTS = (
    (QAbstractButton, ACTIVATE),
    (QAbstractItemView, ACTIVATE | MOVE),
    (QAbstractSlider, MOVE),
    (QComboBox, ACTIVATE | MOVE),
)
#: Widgets where Space is typed or toggles an item: theirs once the learner has put the focus there.
TYPED_INTO = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractItemView)
#: Widgets Space presses: theirs when the learner reached them with the keyboard.
PRESSED = (QAbstractButton, QComboBox, QAbstractSlider)
KEYBOARD = {Reason.TabFocusReason, Reason.BacktabFocusReason, Reason.ShortcutFocusReason}
BY_USER = KEYBOARD | {Reason.MouseFocusReason}
#: Focus coming back (the window activated again, a popup or menu closed): it is where the learner left it.
RETURNING = {Reason.ActiveWindowFocusReason, Reason.PopupFocusReason, Reason.MenuBarFocusReason}


class FocusedWidgetFirst(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.given = None  # the widget the learner last put the focus on, and how: (widget, reason)
        self._following = True
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def watch(self, root: QWidget) -> None:
        """Every widget in ``root`` that can take the focus."""
        for widget in [root, *root.findChildren(QWidget)]:
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)

    def _focus_moved(self, _old, new) -> None:
        if new is not None:
            new.installEventFilter(self)  # a widget made after watch(); installing twice changes nothing

    def stop(self) -> None:
        """When the window closes (a second close changes nothing)."""
        if self._following:
            self._following = False
            QApplication.instance().focusChanged.disconnect(self._focus_moved)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn and obj.isWidgetType():
            reason = event.reason()
            if reason not in RETURNING:
                self.given = (obj, reason) if reason in BY_USER else None
            return False
        if kind != QEvent.Type.ShortcutOverride or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        if obj is not focus:
            return False
        if event.key() == Key.Key_Space:
            if self._takes_space(focus):
                event.accept()  # typed, toggled or pressed there
                return False
            event.ignore()
            return True  # not even a line edit's own override: Space trains
        if any(isinstance(focus, kind) and event.key() in keys for kind, keys in WANTS):
            event.accept()  # the focused widget gets this key; the window shortcut does not fire
            return True
        return False

    def _takes_space(self, focus) -> bool:
        widget, reason = self.given or (None, None)
        if widget is not focus:
            return False
        if isinstance(focus, TYPED_INTO) or isinstance(focus, QComboBox) and focus.isEditable():
            return True
        return isinstance(focus, PRESSED) and reason in KEYBOARD
