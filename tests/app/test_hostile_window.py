"""Unlucky and hostile use of the window: each case here once crashed, froze or lied."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack

from tests.app.test_drop_and_save import drop, photo, urls
from visualizer.app.safety import reported


def _slide_alpha_while_training(window, qtbot, ticks=8):
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 100, timeout=5000)
    slider = window.controls.alpha.slider
    for position in range(slider.value() + 1, slider.value() + 1 + ticks):
        slider.setValue(position)
        qtbot.wait(20)
    qtbot.wait(300)  # the ghost is drawn once the slider rests
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)


def test_teaching_after_an_alpha_change_mid_run(window, qtbot, tmp_path):
    """It segfaulted: the old alpha's ghost, in the old Gram coordinates, was drawn after the matrix grew,
    and the numpy error escaping QUndoCommand.redo crashed PySide6."""
    m = window.controller.train.m
    drop(window, urls(*[photo(tmp_path / f"{i}.png", i) for i in range(3)]))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 3, timeout=5000)
    _slide_alpha_while_training(window, qtbot)
    assert window.controller.ghost is not None and window.controller.ghost.belongs_to(window.controller.gd)
    qtbot.mouseClick(window.classify.add_targets[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.train.m == m + 3, timeout=5000)
    assert window.controller.ghost is None  # drawn for the old data: gone with it
    window.refresh(force=True)
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.undo.undo()
    window.refresh(force=True)
    assert window.controller.train.m == m


def test_a_ghost_from_before_a_reset_is_not_drawn_on_the_new_run(window, qtbot):
    _slide_alpha_while_training(window, qtbot, ticks=1)
    window.set_alpha(0.02)  # a ghost request pending...
    window.reset()  # ...when the run starts again
    qtbot.wait(300)
    assert window.controller.ghost is None


def test_an_exception_in_an_undo_command_is_reported_not_a_crash(qapp, monkeypatch):
    seen = []
    monkeypatch.setattr("sys.excepthook", lambda *info: seen.append(info[1]))

    class Broken(QUndoCommand):
        @reported
        def redo(self):
            np.zeros(3) + np.zeros(4)  # a C-raised numpy error: the kind that crashed shiboken

    QUndoStack().push(Broken("broken"))
    assert len(seen) == 1 and isinstance(seen[0], ValueError)
