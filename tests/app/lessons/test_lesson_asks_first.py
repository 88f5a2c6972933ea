"""Opening a lesson file asks first, as Quit does; leaving it gives back the own window; View > Reset layout."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.app.dialogs import answer_the_box
from visualizer.fs.resources import LESSONS_DIR

LESSON = LESSONS_DIR / "04-learning-rate.toml"


def menu_action(window, text: str):
    return next(a for a in window.actions() if a.text().replace("&", "") == text)


def test_opening_a_lesson_over_a_changed_run_asks_and_cancel_keeps_the_run(window, qtbot):
    window.ask_before_closing = True
    window.step(25)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 25 and not window.controller.running, timeout=5000)
    seen = []
    answer_the_box(seen, QMessageBox.StandardButton.Cancel)
    window.open_lesson_file(str(LESSON))
    qtbot.wait(300)
    assert seen == ["The run has changed since the session was last saved. "
                    "Save the session before opening the lesson?"]
    assert window.lesson_file is None and window.controller.gd.iteration == 25
    window.ask_before_closing = False


def test_discard_opens_the_lesson_and_leaving_it_gives_back_the_own_window(window, qtbot):
    window.ask_before_closing = True
    window.state.change_settings(alpha=0.02, decay=0.1)
    window.docks["weights"].hide()
    window.step(5)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 5 and not window.controller.running, timeout=5000)
    own = window.state.settings
    shown = {k: d.isVisible() for k, d in window.docks.items()}
    seen = []
    answer_the_box(seen, QMessageBox.StandardButton.Discard)
    window.open_lesson_file(str(LESSON))
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=60000)
    assert len(seen) == 1 and window.state.settings.alpha == 0.001 and window.docks["instructions"].isVisible()
    window.ask_before_closing = False
    menu_action(window, "Leave the lesson file").trigger()
    qtbot.waitUntil(lambda: window.lesson_file is None, timeout=5000)
    assert window.state.settings == own
    assert {k: d.isVisible() for k, d in window.docks.items()} == shown
    assert window.controls.alpha.isEnabled() and window.controls.alpha.field.text() == "0.02"


def test_view_reset_layout_brings_every_panel_back(window, qtbot):
    first = {k: d.isVisible() for k, d in window.docks.items()}
    window.docks["weights"].hide()
    window.docks["cost"].setFloating(True)
    menu_action(window, "Reset layout").trigger()
    qtbot.wait(100)
    assert {k: d.isVisible() for k, d in window.docks.items()} == first
    assert not window.docks["cost"].isFloating()
