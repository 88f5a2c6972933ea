"""The banner that shows the state's notice: things the learner must see but need not click away at once.

It draws ``state.notice`` and nothing else: a notice ends by itself when what it says may no longer be
true (``visualizer.model.notices``), and the ✕ dismisses it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from visualizer.model.notices import USUAL

STYLES = {
    "warning": "background:#fff3cd; color:#5c4400; border:1px solid #e0b84a;",
    "error": "background:#f8d7da; color:#58151c; border:1px solid #e4868f;",
    "info": "background:#dbeafe; color:#123c69; border:1px solid #8bb4e6;",
}


class NoticeBar(QWidget):
    def __init__(self, state):
        super().__init__()
        self.state = state
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(state.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.hide()
        state.events.notice.connect(self._draw)

    def show_message(self, text: str, kind: str = "warning", owner: str = "window", ends_on=USUAL) -> None:
        """Tell ``text`` until it is dismissed or one of ``ends_on`` happens (by default: Train, Reset, other data
        or a reopened session)."""
        self.state.tell(text, kind, owner, ends_on)

    def _draw(self, notice) -> None:
        if notice is None:
            self.hide()
            return
        self.setStyleSheet(f"NoticeBar, QLabel {{ {STYLES[notice.kind]} }}")
        self.label.setText(notice.text)
        self.show()
