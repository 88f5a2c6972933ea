"""A scrolled panel keeps the control with the focus in sight."""

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from visualizer.app.common.fitting import ScrolledPanel


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
