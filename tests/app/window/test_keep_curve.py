"""Keep this run: the button, K and Run > Keep this run pin the cost curve in the cost panel, labelled with its
settings; Reset, a new α and a lesson leave it; × and Kept remove one or all, Ctrl+Z brings them back; sessions,
the CSV and the SVG carry it. One window for the module (the tests follow on from one another)."""

from __future__ import annotations

import csv
import html
import re
from dataclasses import replace

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QToolButton

from visualizer.app.common.application import make_app
from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.panels.curve_parts import drawn
from visualizer.app.window.main_window import MainWindow
from visualizer.formats.lesson_files import load_lesson
from visualizer.fs.resources import LESSONS_DIR

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def window(demo):
    QStandardPaths.setTestModeEnabled(True)
    make_app()
    w = MainWindow(*demo, remember_layout=False)
    w.ask_before_closing = False
    w.resize(1280, 800)
    w.show()
    yield w
    w.close()


def run_to(window, qtbot, n: int) -> None:
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == n, timeout=10000)


def legend(window) -> list[str]:
    return [label.text for _, label in window.cost_curve.plot.legend.items]


def removal_buttons(window) -> list[QToolButton]:
    return [b for b in window.cost_curve.pinned.findChildren(QToolButton) if b.isVisible()]


def test_the_keep_button_pins_the_curve_with_its_label_in_the_legend_and_the_list(window, qtbot):
    keep = window.cost_curve.pinned.keep
    assert keep.accessibleName() == "Keep this run" and "(K)" in keep.toolTip()
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)  # nothing trained yet: nothing kept, and it says so
    assert window.state.pinned == () and "Nothing to keep yet" in window.notice.label.text()
    run_to(window, qtbot, 40)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    (curve,) = window.state.pinned
    assert curve.label == "α=0.005, gradient descent, B=all, λ=0 · demo/train" and curve.costs.size == 40
    assert legend(window) == ["train", "test", "α=0.005 GD"]
    item = window.cost_curve.pinned.items[0]
    assert list(item.yData) == list(curve.costs) and item.isVisible()
    assert window.cost_curve.pinned.isVisible() and [b.accessibleName() for b in removal_buttons(window)] == [
        "Remove the kept curve α=0.005 GD"]


def test_reset_a_new_alpha_and_a_lesson_leave_it_and_k_keeps_another(window, qtbot):
    kept = window.state.pinned
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_R)  # Reset
    window.set_alpha(0.02)
    assert window.controller.gd.iteration == 0 and window.state.pinned is kept
    run_to(window, qtbot, 30)
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert [c.short for c in window.state.pinned] == ["α=0.005 GD", "α=0.02 GD"]
    rows = [w.text() for w in window.cost_curve.pinned.findChildren(WrappedLabel) if not w.isHidden()]
    assert rows == [c.label for c in window.state.pinned]  # the old rows gone at once, not drawn under the new
    assert legend(window) == ["train", "test", "α=0.005 GD", "α=0.02 GD"]
    lesson = replace(load_lesson(LESSONS_DIR / "04-learning-rate.toml"), iterations=5)
    window.apply_lesson(lesson, window.controller.train, window.controller.test, wait=True)
    assert len(window.state.pinned) == 2 and legend(window)[-2:] == ["α=0.005 GD", "α=0.02 GD"]


def test_removing_one_or_all_is_undone_with_ctrl_z(window, qtbot):
    kept = window.state.pinned
    qtbot.mouseClick(removal_buttons(window)[0], Qt.MouseButton.LeftButton)
    assert window.state.pinned == kept[1:] and legend(window)[-1] == "α=0.02 GD" and len(legend(window)) == 3
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.state.pinned == kept
    window.remove_kept(None)  # Kept > Remove all kept curves
    assert window.state.pinned == () and not window.cost_curve.pinned.isVisible()
    assert not any(drawn(item) for item in window.cost_curve.pinned.items)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Z, CTRL)
    assert window.state.pinned == kept and legend(window)[-2:] == ["α=0.005 GD", "α=0.02 GD"]


def test_the_kept_menus_list_each_curve_and_all(window):
    from visualizer.app.panels.pinned_curves import fill_removal_menu

    menu = window.cost_curve.pinned.kept.menu()
    fill_removal_menu(menu, window.state.pinned, window.remove_kept)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [f"Remove “{c.label}”" for c in window.state.pinned] + ["Remove all kept curves"]
    assert window.cost_curve.pinned.kept.text() == "Kept (2)"
    keep = next(a for a in window.actions() if a.text() == "&Keep this run")
    assert keep.shortcut().toString() == "K"


def test_a_session_keeps_the_curves_and_the_threshold_and_the_exports_name_them(window, tmp_path):
    kept = window.state.pinned
    window.state.set_threshold(0.7)
    assert window.save_session(str(tmp_path / "s.vis.npz"))
    window.remove_kept(None)
    window.state.set_threshold(0.5)
    window.open_session(str(tmp_path / "s.vis.npz"))
    assert [c.label for c in window.state.pinned] == [c.label for c in kept] and window.state.threshold == 0.7
    window.exports.cost_csv(str(tmp_path / "cost.csv"))
    runs = [row[0] for row in csv.reader((tmp_path / "cost.csv").open(encoding="utf-8"))]
    assert all(runs.count(c.label) == c.costs.size for c in kept)
    window.exports.cost_plot("svg", str(tmp_path / "cost.svg"))
    svg = (tmp_path / "cost.svg").read_text(encoding="utf-8")
    words = html.unescape("".join(re.findall(r">([^<>]*)</text>", svg)))  # the SVG writes a line in runs
    assert all(c.label in words for c in kept)  # whole, in the legend beside the plot
    assert words.startswith("demo/train, m = 210:") and all(c.label.endswith("· demo/train") for c in kept)


def test_closing_after_keeping_a_curve_names_the_kept_curves(window, qtbot, tmp_path, monkeypatch):
    """Keeping a curve, then closing, asked about "The run or the data set", neither of which had changed."""
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *_: asked.append(text)
                        or QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(window, "ask_before_closing", True)
    def ten_more():
        end = window.controller.gd.iteration + 10
        window.step(10)
        qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == end, timeout=10000)

    ten_more()
    assert window.save_session(str(tmp_path / "s.vis.npz"))
    assert window.save_first("closing")  # nothing changed: nothing asked
    window.keep_run()
    assert not window.save_first("closing")
    assert asked[-1] == ("The kept curves have changed since the session was last saved. "
                         "Save the session before closing?")
    ten_more()
    assert not window.save_first("closing")
    assert asked[-1].startswith("The run and the kept curves have changed since")
    window.undo.undo()  # the kept curve taken back: only the run differs now
    assert not window.save_first("leaving the lesson")
    assert asked[-1].startswith("The run has changed since") and len(asked) == 3


def test_the_question_names_each_thing_that_changed():
    from visualizer.app.window.editing import unsaved_sentence

    assert unsaved_sentence({"the data set"}) == "The data set has changed since the session was last saved."
    assert unsaved_sentence({"the kept curves", "the run", "the data set"}) == (
        "The run, the data set and the kept curves have changed since the session was last saved.")
    assert unsaved_sentence(None) == "The session has changed since it was last saved."
