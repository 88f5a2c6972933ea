"""The wheel over the Controls scrolls the panel; it changes a control only once the learner gave it the focus."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication, QComboBox, QScrollArea, QScrollBar

from visualizer.app.common.wheel import wheeled


def turn_wheel(control, notches: int = -1) -> None:
    """A wheel event to the widget under the pointer, passed on to its parents while ignored, as Qt does."""
    spot = control.mapToGlobal(control.rect().center())
    target = QApplication.widgetAt(spot)
    assert target is control or control.isAncestorOf(target), f"{control} is not under the pointer"
    widget = target
    while widget is not None:
        event = QWheelEvent(QPointF(widget.mapFromGlobal(spot)), QPointF(spot), QPoint(), QPoint(0, 120 * notches),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(widget, event)
        if event.isAccepted() or widget.isWindow():
            return
        widget = widget.parentWidget()


def value(control):
    return control.currentIndex() if isinstance(control, QComboBox) else control.value()


def controls_area(window) -> QScrollArea:
    return window.controls.parentWidget().parentWidget()


@pytest.fixture
def short_window(window, qtbot):
    """Short enough that the Controls scroll, as on a laptop."""
    window.resize(1024, 600)
    qtbot.waitUntil(lambda: controls_area(window).verticalScrollBar().maximum() > 0, timeout=3000)
    return window


def test_no_control_takes_the_focus_from_the_wheel(window):
    controls = [w for dock in window.docks.values() for w in dock.findChildren(QComboBox) + dock.findChildren(
        QAbstractSlider) if wheeled(w)]
    assert len(controls) > 8
    assert all(w.focusPolicy() == Qt.FocusPolicy.StrongFocus for w in controls), [
        type(w).__name__ + w.accessibleName() for w in controls if w.focusPolicy() != Qt.FocusPolicy.StrongFocus]


def test_the_wheel_over_a_control_mid_run_scrolls_the_panel_and_keeps_the_run(short_window, qtbot):
    window, c = short_window, short_window.controls
    window.step(40)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 40, timeout=5000)
    bar = controls_area(window).verticalScrollBar()
    for control in (c.init, c.speed, c.loss, c.seed, c.budget, c.alpha.slider, c.optimizer.optimizer):
        controls_area(window).ensureWidgetVisible(control)
        before, scrolled = value(control), bar.value()
        turn_wheel(control, -1 if scrolled < bar.maximum() else 1)
        assert value(control) == before, control.accessibleName() or control
        assert bar.value() != scrolled or bar.maximum() == 0
    assert window.controller.gd.iteration == 40 and window.state.settings.init == "zeros"
    assert window.state.settings.speed is None


def test_the_wheel_changes_a_control_the_learner_clicked(short_window, qtbot):
    speed = short_window.controls.speed
    controls_area(short_window).ensureWidgetVisible(speed)
    speed.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(speed.hasFocus, timeout=2000)
    before = speed.currentIndex()
    turn_wheel(speed, -1)
    assert speed.currentIndex() == before + 1 and short_window.state.settings.speed == speed.itemData(before + 1)


def test_the_wheel_over_the_slice_and_other_docks_changes_nothing(window, qtbot):
    for control in [w for dock in window.docks.values() if dock.isVisible()
                    for w in dock.findChildren(QComboBox) + dock.findChildren(QAbstractSlider)
                    if wheeled(w) and w.isVisible() and not isinstance(w, QScrollBar)]:
        if not control.visibleRegion().isEmpty() and QApplication.widgetAt(
                control.mapToGlobal(control.rect().center())) in (control, *control.findChildren(object)):
            before = value(control)
            turn_wheel(control)
            assert value(control) == before, control.accessibleName() or control
