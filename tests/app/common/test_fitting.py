"""Fitting helpers: a wrapped label is as tall as its text at its width, whatever widths and texts it had
before; a scrolled panel keeps the control with the focus in sight."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFormLayout, QPushButton, QVBoxLayout, QWidget

from visualizer.app.common.fitting import LiveLabelBox, ScrolledPanel, WrappedLabel

TEXT = "edge of stability 2/λmax ≈ {} at this point (α = 0.001 is below it)"


def text_height(label) -> int:
    return label.fontMetrics().boundingRect(QRect(0, 0, label.contentsRect().width(), 0),
                                            Qt.TextFlag.TextWordWrap, label.text()).height()


def test_a_label_given_a_text_while_narrow_is_no_taller_than_its_lines_once_wider(qtbot):
    """QLabel caches its size hint with the minimum height of the moment: the Controls' edge label, given its
    text while narrow (3 lines), kept that height at a width where 2 lines fit, so the screenshot's Controls
    sat 14 px lower than the exported animation's."""
    host = QWidget()
    form = QFormLayout(host)
    label = WrappedLabel(TEXT.format("0.0027"))
    form.addRow("", label)
    qtbot.addWidget(host)
    host.show()
    line = label.fontMetrics().lineSpacing()
    wide = label.fontMetrics().horizontalAdvance(label.text()) // 2 + 4 * line
    margins = host.width() - label.width()
    heights = []
    for width, number in ((wide // 2, "0.0028"), (wide, "0.0028")):  # a new text while narrow, then wider
        host.resize(width + margins, 20 * line)
        qtbot.wait(50)
        label.setText(TEXT.format(number))
        label.sizeHint()  # a layout asks
        qtbot.wait(50)
        heights.append(label.height())
        assert label.height() == text_height(label)
    assert heights[0] > heights[1]


def test_a_control_focused_from_outside_the_panel_scrolls_into_sight(qtbot):
    """Tabbing from the surface's Slice onto Train left Train focused above the Controls' visible part."""
    outside = QPushButton("Slice")
    panel = QWidget()
    buttons = [QPushButton(f"button {k}") for k in range(30)]
    column = QVBoxLayout(panel)
    for b in buttons:
        column.addWidget(b)
    area = ScrolledPanel(panel)
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(outside)
    layout.addWidget(area)
    qtbot.addWidget(window)
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    assert buttons[0].visibleRegion().isEmpty()
    outside.setFocus()
    qtbot.waitUntil(outside.hasFocus, timeout=2000)
    buttons[0].setFocus()  # as the window's Tab chain moves it
    qtbot.waitUntil(lambda: not buttons[0].visibleRegion().isEmpty(), timeout=2000)


def test_a_live_label_box_grows_with_its_text_and_hides_with_its_label(qtbot):
    """The box keeps the window's layout out of a label's every new text, not out of the room the text needs."""
    host = QWidget()
    column = QVBoxLayout(host)
    label = WrappedLabel("iteration 1")
    column.addWidget(LiveLabelBox(label))
    column.addStretch(1)
    qtbot.addWidget(host)
    host.resize(200, 400)
    host.show()
    qtbot.waitExposed(host)
    one_line = label.height()
    label.setText("iteration 120; before 120 only the costs were saved, so the run before it cannot be replayed")
    box = label.parent()
    qtbot.waitUntil(lambda: box.height() == label.height() == text_height(label) > 2 * one_line, timeout=2000)
    label.setText("iteration 121")
    qtbot.waitUntil(lambda: box.height() == label.height() == one_line, timeout=2000)
    label.hide()  # as a lesson hides it
    assert box.isHidden()
    label.show()
    assert not box.isHidden()
