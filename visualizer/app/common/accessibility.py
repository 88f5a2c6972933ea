"""Controls are named for assistive technology by the label a sighted user reads beside them.

Qt gives a combo box its current item as its name and a line edit none; screen readers and
UI automation look controls up by their visible label. Every QLabel with a buddy (QFormLayout
rows have one) lends its text to that buddy, unless the control already has a name.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def plain(text: str) -> str:
    """A label's text as read aloud: no mnemonic ampersand, no trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def name_by_labels(root: QWidget) -> None:
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and not buddy.accessibleName() and plain(label.text()):
            buddy.setAccessibleName(plain(label.text()))


def buddy(text: str, widget: QWidget) -> QLabel:
    """A visible label tied to ``widget``: its name for screen readers, and Alt+mnemonic focuses it."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label
