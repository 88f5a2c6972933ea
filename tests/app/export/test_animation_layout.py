"""An exported window looks like the user's: the open lesson and the docks as they are arranged now."""

from __future__ import annotations

from tests.app.window.test_tab_bars import stray_tab_bars
from visualizer.app.export import animation_dialog
from visualizer.app.export.animation_dialog import AnimationExport, ExportChoice
from visualizer.fs.resources import LESSONS_DIR


def test_an_exported_window_has_the_users_lesson_and_docks(window, qtbot, tmp_path, monkeypatch):
    window.open_lesson_file(str(LESSONS_DIR / "04-learning-rate.toml"))
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=60_000)
    window.step(30)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 30 and not window.controller.running, timeout=5000)
    window.docks["gallery"].show()  # the user's own change after the lesson set the panels up
    window.docks["weights"].hide()
    window.docks["evaluation"].raise_()  # the hidden window's restoreState lets go of the tab bars it had
    window.keep_run()  # a kept cost curve is drawn in the exported window too
    seen = {}
    real = animation_dialog.take_look_of

    def spy(hidden, user_window, size):
        real(hidden, user_window, size)
        seen.update(docks={k: d.isVisible() for k, d in hidden.docks.items()},
                    text=hidden.instructions.plain_text(), loss=hidden.controls.loss.isEnabled(),
                    optimizer=hidden.controls.setting_widgets("optimizer")[0].isVisible(),
                    stray=stray_tab_bars(hidden), pinned=hidden.state.pinned)

    monkeypatch.setattr(animation_dialog, "take_look_of", spy)
    export = window.animation_export = AnimationExport(
        window, ExportChoice("window", 0, 30, 0, 10, (1280, 800), 3, None, False), str(tmp_path / "w.gif"))
    export.start()
    qtbot.waitUntil(lambda: window.animation_export is None, timeout=60_000)
    assert (tmp_path / "w.gif").exists()
    assert seen["docks"] == {k: d.isVisible() for k, d in window.docks.items()}
    assert seen["docks"]["instructions"] and seen["docks"]["gallery"] and not seen["docks"]["weights"]
    assert "The learning rate" in seen["text"]
    assert not seen["loss"] and not seen["optimizer"]  # locked and hidden, as in the user's window
    assert seen["stray"] == []  # no tab bar it let go of left drawn over its docks
    assert len(window.state.pinned) == 1 and seen["pinned"] == window.state.pinned


def test_a_floating_panel_is_left_out_of_the_exported_window_and_never_pops_up(window, qtbot, tmp_path,
                                                                                monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog

    window.open_lesson_file(str(LESSONS_DIR / "04-learning-rate.toml"))
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=60_000)
    window.step(10)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 10 and not window.controller.running, timeout=5000)
    window.docks["instructions"].setFloating(True)
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    popped = []
    real = animation_dialog.take_look_of

    def spy(hidden, user_window, size):
        real(hidden, user_window, size)
        popped.extend(w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in before
                      and not w.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                      and not isinstance(w, QProgressDialog))  # the export's own progress shows on a slow machine
        popped.append(hidden.docks["instructions"].isVisible())

    monkeypatch.setattr(animation_dialog, "take_look_of", spy)
    export = window.animation_export = AnimationExport(
        window, ExportChoice("window", 0, 10, 0, 10, (1280, 800), 2, None, False), str(tmp_path / "f.gif"))
    export.start()
    qtbot.waitUntil(lambda: window.animation_export is None, timeout=60_000)
    assert popped == [False]  # no window of the export's on the screen; the floating panel not in the picture
