"""Widgets that keep their text whole whatever it says and however large the font: nothing clipped.

A panel's minimum width changes after it is built (a long message, the presentation mode's larger
text); the area it scrolls in and the labels that wrap follow it instead of keeping their first size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QScrollArea, QSizePolicy, QStyle, QWidget


class WrappedLabel(QLabel):
    """A label that wraps and is always as tall as its text at its width (a QFormLayout row or a
    scrolled panel does not grow for a wrapped label on its own, so its last lines were cut)."""

    def __init__(self, text: str = ""):
        super().__init__(text)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    def sizeHint(self) -> QSize:
        return self._at_its_width(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._at_its_width(super().minimumSizeHint())

    def _at_its_width(self, hint: QSize) -> QSize:
        """As tall as the text at the label's width now: QLabel caches its hints with the minimum height of the
        moment they were asked, so the edge label, given a text while narrow, kept 3 lines' height where 2 fit
        (the screenshot's Controls sat 14 px lower than the animation's)."""
        return QSize(hint.width(), self._text_height()) if self.width() > 0 else hint

    def _text_height(self) -> int:
        width = self.contentsRect().width()  # measured here: QLabel's own heightForWidth kept the 1.6 x text's
        lines = self.fontMetrics().boundingRect(QRect(0, 0, width, 0), Qt.TextFlag.TextWordWrap, self.text())
        return max(lines.height() + self.height() - self.contentsRect().height(), 0) if self.text() else 0

    def _fit_height(self) -> None:
        height = self._text_height()
        if self.width() > 0 and height != self.minimumHeight():
            self.setMinimumHeight(height)


class LiveLabelBox(QWidget):
    """Holds a label whose text changes at every frame (the iteration, the status line, the boundary's counts).

    A label's new text makes Qt lay out every layout above it, up to the main window, which then repainted
    half of itself: at 45 frames a second that was a third of the GUI thread's time. The label sits here with
    no layout, so a new text repaints the label alone; the box asks its own layout again only when the label
    needs another size (a longer text that wraps, a font), and hides with it.
    """

    def __init__(self, label: QLabel):
        super().__init__()
        self.label = label
        label.setParent(self)
        self.setSizePolicy(label.sizePolicy())
        self._needs = self._label_needs()
        label.installEventFilter(self)
        self.setVisible(not label.isHidden())

    def _label_needs(self) -> tuple:
        label = self.label
        return (label.sizeHint(), label.minimumSizeHint(), label.minimumSize(), label.maximumSize(),
                label.heightForWidth(self.width()) if label.hasHeightForWidth() else -1)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # posted by the label: the window's layout only if it must
            needs = self._label_needs()
            if needs != self._needs:
                self._needs = needs
                self.updateGeometry()
            if self.label.geometry() != self.rect():  # a taller minimum made the label resize itself
                self.label.setGeometry(self.rect())
            return True
        return super().event(event)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.label and event.type() in (QEvent.Type.HideToParent, QEvent.Type.ShowToParent):
            self.setVisible(not self.label.isHidden())  # a lesson that hides the label hides its room too
        return False

    def resizeEvent(self, event) -> None:
        self.label.setGeometry(self.rect())
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return self.label.sizeHint().expandedTo(self.label.minimumSize())

    def minimumSizeHint(self) -> QSize:
        return self.label.minimumSizeHint().expandedTo(self.label.minimumSize())

    def hasHeightForWidth(self) -> bool:
        return self.label.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        return max(self.label.heightForWidth(width), self.label.minimumHeight())


class ElidedLabel(QLabel):
    """One line that ends in "…" where it has no room, the whole text in its tooltip (the status bar's
    line ran past a 1280 px screen in presentation mode)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


class NumberField(QLineEdit):
    """A line edit as wide as ``sample`` in its current font (a fixed pixel width cut "0.005" at 1.6 x text)."""

    def __init__(self, sample: str = "0.00005"):
        super().__init__()
        self.sample = sample
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.sample) + 16, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class ScrolledPanel(QScrollArea):
    """A panel that scrolls vertically on a short screen instead of setting the window's minimum height,
    and is never narrower than the panel needs, now (a message or a font may widen it after it is built)."""

    def __init__(self, panel: QWidget):
        super().__init__()
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: its controls are
        panel.installEventFilter(self)
        QApplication.instance().focusChanged.connect(self._show_focus)

    def _show_focus(self, _old, new) -> None:
        """The control given the focus scrolls into sight, from wherever it came: Qt scrolls only for a Tab
        from inside the area, so a Tab from the surface's Slice onto Train left Train focused 42 px above it."""
        panel = self.widget()
        if new is not None and panel is not None and panel.isAncestorOf(new):
            self.ensureWidgetVisible(new)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the dock asks again how wide the panel must be
        return super().eventFilter(obj, event)

    def minimumSizeHint(self) -> QSize:
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        panel = self.widget().minimumSizeHint().width() if self.widget() is not None else 0
        return QSize(panel + bar, super().minimumSizeHint().height())  # nothing cut when the scroll bar shows


def fit_window(window: QWidget, size: QSize) -> None:
    """A top-level window at ``size`` or less, all of it within its screen's available area (a window
    opened at a fixed 1200 x 800 put its Close button off a 1024 x 768 screen)."""
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.size() if window.isVisible() else QSize(0, 0)
    window.resize(size.boundedTo(screen.size() - frame).expandedTo(window.minimumSizeHint()))
    where = window.frameGeometry()
    where.moveRight(min(where.right(), screen.right()))
    where.moveBottom(min(where.bottom(), screen.bottom()))
    where.moveLeft(max(where.left(), screen.left()))
    where.moveTop(max(where.top(), screen.top()))
    window.move(where.topLeft())
