"""Everything can be done from the keyboard, and window-wide keys never steal a focused control's keys."""

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QScrollArea


def test_space_on_a_button_tabbed_to_presses_it_and_does_not_train(window, qtbot):
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 5, timeout=5000)
    window.controls.reset_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.controls.reset_button, timeout=2000)
    qtbot.keyClick(window.controls.reset_button, Qt.Key.Key_Space)
    qtbot.wait(100)
    assert not window.controller.running and window.controller.gd.iteration == 0  # Reset was pressed


def test_arrows_in_the_gallery_move_the_selection_not_the_model(window, qtbot):
    view = window.gallery.lists["train"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(3))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.wait(100)
    assert window.controller.gd.iteration == 0 and view.currentIndex().row() == 4
    assert window.selected == ("train", view.currentIndex().data(Qt.ItemDataRole.UserRole))


def test_a_whole_session_with_the_keyboard_only(window, qtbot, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    for cls in ("cat", "non-cat"):
        (tmp_path / "set" / cls).mkdir(parents=True)
        for i in range(6):
            Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(tmp_path / "set" / cls / f"{i}.png")
    # The file dialogs are typed into and confirmed with Enter; here they answer at once.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "set"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "run.vis.npz"), ""))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # open a folder
    qtbot.waitUntil(lambda: window.controller.train.source.startswith(str(tmp_path)), timeout=10000)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # one step
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 1 and not window.controller.running, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # ten more
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 11 and not window.controller.running, timeout=5000)
    field = window.controls.alpha.field  # change alpha: Alt+the label's mnemonic focuses its control
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (field, window.controls.alpha.slider), timeout=2000)
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.02")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.state.settings.alpha == 0.02
    field.clearFocus()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Left)  # step back
    assert window.view_iteration == 10
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # the second lesson
    dock = window.docks["computation-graph"]
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # close it
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: (tmp_path / "run.vis.npz").is_file(), timeout=5000)


def test_escape_closes_the_explorer_and_a_lesson(window, qtbot):
    window.open_explorer()
    explorer = window.explorer
    qtbot.waitExposed(explorer)
    explorer.activateWindow()
    qtbot.waitUntil(explorer.isActiveWindow, timeout=2000)
    qtbot.keyClick(explorer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not explorer.isVisible(), timeout=2000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.open_lesson("bowl")
    dock = window.docks["bowl"]
    qtbot.waitUntil(lambda: dock.isVisible() and window.lessons_window.isActiveWindow(), timeout=2000)
    qtbot.keyClick(dock.widget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=2000)


def test_tab_goes_through_the_controls_in_visual_order_and_skips_plots(window, qtbot):
    import pyqtgraph as pg

    p = window.controls
    p.train_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is p.train_button, timeout=2000)
    seen = []
    for _ in range(70):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert not any(isinstance(w, pg.GraphicsView) for w in seen)
    assert all(w.accessibleName() for w in seen if isinstance(w, QScrollArea))  # no unnamed stop
    assert not any(isinstance(w, QScrollArea) and w.widget() is p for w in seen)  # the Controls' controls are
    unnamed = [w for w in seen if isinstance(w, QAbstractButton) and not (w.accessibleName() or w.text())]
    assert not unnamed, "a button a screen reader would read as nothing"
    order = [p.step_buttons[0], p.reset_button, p.alpha.slider, p.alpha.field, p.presets, p.budget, p.speed, p.init,
             p.seed, p.loss]
    # then the rest of the window as it reads: the centre's Slice came last, after the Examples
    order += [window.weights.channel, window.surface.choice, window.cost_curve.unit, window.gallery.sort]
    positions = [seen.index(w) for w in order]
    assert positions == sorted(positions)
