"""A dismissible banner for things the learner must see but need not click away at once."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

STYLES = {
    "warning": "background:#fff3cd; color:#5c4400; border:1px solid #e0b84a;",
    "error": "background:#f8d7da; color:#58151c; border:1px solid #e4868f;",
    "info": "background:#dbeafe; color:#123c69; border:1px solid #8bb4e6;",
}


class NoticeBar(QWidget):
    def __init__(self):
        super().__init__()
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, kind: str = "warning") -> None:
        self.setStyleSheet(f"NoticeBar, QLabel {{ {STYLES[kind]} }}")
        self.label.setText(text)
        self.show()
