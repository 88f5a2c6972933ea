"""A run thrown away by Reset or a new initialization, loss or seed comes back with Ctrl+Z, whole."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier


def run_to(window, qtbot, n: int) -> None:
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == n, timeout=10000)


def test_ctrl_z_brings_back_the_run_a_new_initialization_replaced(window, qtbot):
    run_to(window, qtbot, 60)
    cost = window.controller.gd.cost
    init = window.controls.init
    init.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(init, Qt.Key.Key_Down)  # Random (seeded): a new run
    assert window.state.settings.init == "random" and window.controller.gd.iteration == 0
    assert "Ctrl+Z brings it back" in window.notice.label.text()
    window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Z, CTRL)
    gd = window.controller.gd
    assert (gd.iteration, gd.cost, gd.init) == (60, cost, "zeros")
    assert window.state.settings.init == "zeros" and init.currentData() == "zeros"
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.controller.gd.iteration == 0 and init.currentData() == "random"
    window.step(5)  # training on after the redo, then undo again: the 60 come back
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 5, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.controller.gd.iteration == 60 and window.controller.gd.init == "zeros"


def test_ctrl_z_undoes_reset(window, qtbot):
    run_to(window, qtbot, 30)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.controller.gd.iteration == 0
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.controller.gd.iteration == 30
    window.step(1)  # it trains on from there
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 31, timeout=10000)
    assert window.controller.latest.iteration == 31


def test_a_reset_at_iteration_0_puts_nothing_on_the_undo_stack(window, qtbot):
    window.reset()
    assert window.undo.count() == 0
