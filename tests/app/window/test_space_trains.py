"""Space trains from launch on, unless the learner put the focus on a text field or a list (or tabbed to a button)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def trained(window, qtbot) -> bool:
    qtbot.wait(150)
    trains = window.controller.running or window.controller.gd.iteration > 0
    window.controller.pause()
    return trains


def test_the_focus_starts_on_train_and_space_trains(window, qtbot):
    assert QApplication.focusWidget() is window.controls.train_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert trained(window, qtbot)


def test_space_trains_after_a_combo_box_was_clicked_and_closed(window, qtbot):
    speed = window.controls.speed
    qtbot.mouseClick(speed, Qt.MouseButton.LeftButton)  # opens its list, as a click does
    qtbot.waitUntil(speed.view().isVisible, timeout=2000)
    qtbot.keyClick(speed.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not speed.view().isVisible() and QApplication.focusWidget() is speed, timeout=2000)
    qtbot.keyClick(speed, Qt.Key.Key_Space)
    assert not speed.view().isVisible()
    assert trained(window, qtbot)


def test_space_after_clicking_a_button_trains(window, qtbot):
    step = window.controls.step_buttons[0]
    qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 1 and not window.controller.running, timeout=5000)
    step.setFocus(Qt.FocusReason.MouseFocusReason)  # as a click on the screen does (QTest's click gives none)
    qtbot.keyClick(step, Qt.Key.Key_Space)
    qtbot.wait(150)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=20000)
    assert window.controller.gd.iteration > 2  # trained, not one more step


def test_space_in_a_text_field_the_learner_clicked_is_typed(window, qtbot):
    field = window.controls.alpha.field
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)
    qtbot.keyClick(field, Qt.Key.Key_Space)
    assert not trained(window, qtbot)


def test_space_in_a_list_the_learner_clicked_is_the_list_s(window, qtbot):
    view = window.gallery.lists["train"]
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not trained(window, qtbot)


def test_a_text_field_focused_by_the_program_leaves_space_to_train(window, qtbot):
    field = window.controls.alpha.field
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)
    qtbot.keyClick(field, Qt.Key.Key_Space)
    assert trained(window, qtbot)
