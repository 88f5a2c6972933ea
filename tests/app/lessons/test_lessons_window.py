"""The Lessons window stays out of the way: beside the lesson's Instructions, on the screen, with the
window's shortcuts, and gone with its last tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen

from visualizer.fs.resources import LESSONS_DIR
from visualizer.model.panels import LESSON_PANELS

BOWL_LESSON = LESSONS_DIR / "03-gradient-descent-bowl.toml"  # its bowl opens in the Lessons window


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", [(960, 540), (1024, 768), (1280, 800), (1920, 1080)])
def test_a_lesson_leaves_its_instructions_in_sight(window, qtbot, monkeypatch, size):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, *size))
    window.fit_to_screen()
    window.open_lesson_file(str(BOWL_LESSON))
    qtbot.waitUntil(lambda: window.lesson_file is not None and window.lesson_file.path == Path(BOWL_LESSON)
                    and not window.lesson_running, timeout=60000)
    lessons, instructions = window.lessons_window, window.docks["instructions"]
    qtbot.waitUntil(lambda: lessons.isVisible() and instructions.isVisible(), timeout=3000)
    # the instructions take their room after they show, and the Lessons window then moves beside them
    qtbot.waitUntil(lambda: not lessons.frameGeometry().intersects(on_screen(instructions)), timeout=3000)
    assert QRect(0, 0, *size).contains(lessons.frameGeometry())


def test_window_shortcuts_work_while_a_lesson_has_the_focus(window, qtbot):
    window.open_lesson("bowl")
    lessons = window.lessons_window
    qtbot.waitUntil(lessons.isActiveWindow, timeout=3000)
    qtbot.keyClick(lessons.focusWidget() or lessons, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.docks["computation-graph"].isVisible(), timeout=2000)  # Alt+2
    assert window.docks["bowl"].isVisible()  # both open, as tabs
    qtbot.keyClick(lessons.focusWidget() or lessons, Qt.Key.Key_Escape)  # its own key still closes the front one
    qtbot.waitUntil(lambda: not window.docks["computation-graph"].isVisible(), timeout=2000)


def test_closing_the_last_lesson_with_its_cross_closes_the_window(window, qtbot):
    window.open_lesson("bowl")
    lessons, dock = window.lessons_window, window.docks["bowl"]
    qtbot.waitUntil(lessons.isVisible, timeout=3000)
    dock.close()  # what the × on its title does
    qtbot.waitUntil(lambda: not lessons.isVisible(), timeout=2000)  # no empty grey "visualizer: lessons" left
    window.open_lesson("bowl")
    qtbot.waitUntil(lambda: lessons.isVisible() and dock.isVisible(), timeout=2000)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
def test_every_lesson_opened_stays_on_the_screen(window, qtbot, monkeypatch, size):
    """The second lesson showed beside the first before it was tabbed: 841 + 438 px widened the window to
    1285 px, past a 1280 px screen, cutting off its text, its nodes and its close button."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, *size))
    for key in LESSON_PANELS:
        window.open_lesson(key)
        qtbot.wait(50)
        assert QRect(0, 0, *size).contains(window.lessons_window.frameGeometry()), key


def test_each_lesson_is_named_for_screen_readers(window):
    """A lesson panel takes the focus when it opens (and on Tab), but had no name to read out."""
    assert all(window.lesson(key).accessibleName() == window.docks[key].windowTitle() for key in LESSON_PANELS)


@pytest.mark.parametrize(("size", "name"), [((1024, 768), "19-sharpness-rises-to-2-over-alpha"),
                                            ((1280, 800), "15-why-a-hidden-layer")])
def test_a_network_lesson_leaves_each_cost_plot_readable(window, qtbot, monkeypatch, size, name):
    """Lesson 19 is about the edge of stability in the cost panel's lowest plot: at 1024 x 768 only the cost J plot
    was drawn, at 1280 x 800 the three plots had 40 px each. Now each has 80 px or more, and the Keep row shows."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, *size))
    window.resize(*size)
    window.fit_to_screen()
    path = LESSONS_DIR / f"{name}.toml"
    window.open_lesson_file(str(path))
    qtbot.waitUntil(lambda: window.lesson_file is not None and window.lesson_file.path == path
                    and not window.lesson_running, timeout=60000)
    cost = window.cost_curve
    plots = (cost.plot, cost.acc, cost.stability)
    qtbot.waitUntil(lambda: all(p.isVisible() and p.vb.height() >= 80 for p in plots), timeout=3000)
    assert not window.docks["cost"].visibleRegion().isEmpty() and cost.keeping.isVisible()
    qtbot.waitUntil(lambda: window.docks["boundary"].height() >= window.height() // 3, timeout=3000)  # under the
    # surface, with room of its own
