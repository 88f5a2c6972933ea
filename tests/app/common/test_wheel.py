"""``wheel.guard`` on a bare panel, without a main window: the wheel scrolls the panel until a control has the focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSlider, QSpinBox, QVBoxLayout, QWidget

from visualizer.app.common import wheel


def turn(control, notches: int = -1) -> None:
    at = QPointF(control.rect().center())
    QApplication.sendEvent(control, QWheelEvent(
        at, QPointF(control.mapToGlobal(at.toPoint())), QPoint(), QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))


def value(control):
    return control.currentIndex() if isinstance(control, QComboBox) else control.value()


@pytest.fixture
def panel(qtbot):
    """A short scroll area over a tall column of a combo box, a spin box and a slider, guarded."""
    column = QWidget()
    layout = QVBoxLayout(column)
    combo = QComboBox()
    combo.addItems(["a", "b", "c"])
    spin, slider = QSpinBox(), QSlider(Qt.Orientation.Horizontal)
    spin.setValue(5)
    slider.setValue(5)
    for control in (combo, spin, slider):
        layout.addWidget(control)
    layout.addSpacing(2000)
    area = QScrollArea()
    area.setWidget(column)
    area.resize(200, 150)
    qtbot.addWidget(area)
    wheel.guard(area)
    wheel.guard(area)  # twice changes nothing
    area.show()
    qtbot.waitExposed(area)
    return area, (combo, spin, slider)


def test_guarded_controls_take_the_focus_only_by_a_click_or_tab(panel):
    _, controls = panel
    assert all(c.focusPolicy() == Qt.FocusPolicy.StrongFocus for c in controls)
    assert all(not wheel.wheeled(b) for b in (panel[0].verticalScrollBar(), panel[0].horizontalScrollBar()))


def test_the_wheel_over_an_unfocused_control_scrolls_the_panel(panel):
    area, controls = panel
    bar = area.verticalScrollBar()
    for control in controls:
        before, scrolled = value(control), bar.value()
        turn(control)
        assert value(control) == before, control
        assert bar.value() > scrolled, control


def test_the_wheel_changes_the_control_with_the_focus(panel, qtbot):
    area, controls = panel
    area.activateWindow()
    for control in controls:
        control.setFocus(Qt.FocusReason.MouseFocusReason)
        qtbot.waitUntil(control.hasFocus, timeout=2000)
        before = value(control)
        turn(control)
        assert value(control) != before, control
