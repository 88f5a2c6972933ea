"""Lesson files in the real window: every shipped lesson opens as it says, a bad one changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QFileDialog

from tests.conftest import COURSE_DIR, image_folder
from visualizer.app.common.accessibility import plain
from visualizer.app.lessons.expectation_dialog import ExpectationDialog
from visualizer.data import DEMO_DIR
from visualizer.formats.lesson_files import LESSON_PANELS, MAIN_PANELS, load_lesson
from visualizer.fs.resources import LESSONS_DIR

SHIPPED = sorted(LESSONS_DIR.glob("*.toml"))


def opened(window, qtbot, path) -> None:
    window.open_lesson_file(str(path))
    qtbot.waitUntil(lambda: window.lesson_file is not None and window.lesson_file.path == Path(path)
                    and not window.lesson_running, timeout=60000)
    qtbot.wait(50)  # the deferred re-lock after the pre-run


def write(tmp_path, text: str, name="lesson.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_lesson_sets_up_the_window(window, qtbot, path):
    lesson = load_lesson(path)
    opened(window, qtbot, path)
    assert window.state.settings == lesson.settings
    gd = window.controller.gd
    assert gd.iteration == lesson.iterations or gd.diverged_at is not None
    assert lesson.title in window.instructions.plain_text() and window.docks["instructions"].isVisible()
    for name in MAIN_PANELS + LESSON_PANELS:
        assert window.docks[name].isVisible() == (name in lesson.show), name
    for key in lesson.locked:
        widgets = window._control_widgets(key)
        assert widgets and not any(w.isEnabled() for w in widgets), key
    for key in lesson.hidden:
        assert not any(w.isVisible() for w in window._control_widgets(key)), key
    free = [k for k in ("alpha", "budget", "train", "reset") if k not in lesson.locked + lesson.hidden]
    for key in free:
        assert all(w.isEnabled() and w.isVisible() for w in window._control_widgets(key)), key


def test_locked_reset_and_steps_take_their_keys_and_menu_items_too(window, qtbot, tmp_path):
    path = write(tmp_path, 'title = "Hands off"\niterations = 7\n[controls]\nlocked = ["reset", "step", "train"]\n'
                           'hidden = ["timeline"]\n')
    opened(window, qtbot, path)
    assert not window.reset_action.isEnabled() and not window.step_action.isEnabled()
    assert not window.train_action.isEnabled() and not window.back_action.isEnabled()
    assert window.controls.timeline.isHidden()
    window.activateWindow()
    for key in (Qt.Key.Key_R, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Left):
        qtbot.keyClick(window, key)
    qtbot.wait(200)
    assert window.controller.gd.iteration == 7 and not window.controller.running and window.view_iteration is None
    assert not any(b.isEnabled() for b in window.controls.step_buttons)


def test_a_data_set_opened_afterwards_ends_the_lesson_and_unlocks(window, qtbot, tmp_path):
    path = write(tmp_path, 'title = "Locked"\n[controls]\nlocked = ["alpha", "loss"]\nhidden = ["seed", "lam"]\n')
    opened(window, qtbot, path)
    assert not window.controls.loss.isEnabled() and window.controls.seed.isHidden()
    window.load(str(DEMO_DIR))
    qtbot.waitUntil(lambda: window.lesson_file is None, timeout=30000)
    assert window.controls.loss.isEnabled() and window.controls.alpha.isEnabled()
    assert window.controls.seed.isVisible()
    assert window.controls.setting_widgets("lam")[1].isVisible()
    assert not window.docks["instructions"].isVisible()


def test_steps_stay_locked_after_a_run(window, qtbot, tmp_path):
    path = write(tmp_path, 'title = "Only train"\n[settings]\nbudget = 30\nspeed = 1000.0\n[controls]\n'
                           'locked = ["step"]\n')  # not the 10 s of the watchable pace
    opened(window, qtbot, path)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 30 and not window.controller.running, timeout=10000)
    qtbot.wait(50)
    assert not any(b.isEnabled() for b in window.controls.step_buttons)


@pytest.mark.parametrize(("text", "where"), [
    ('title = "x"\n[settings]\nalpha = = 1\n', "line 3"),
    ('title = "x"\n\n[settings]\nlos = "cross-entropy"\n', "line 4: key 'settings.los'"),
    ('title = "x"\n[data]\nsource = "no-such-folder"\n', "line 3: key 'data.source'"),
    ('title = "x"\n[settings]\nbatch_size = 5000\n', "line 3: key 'settings.batch_size'"),  # known after loading
])
def test_a_bad_lesson_changes_nothing(window, qtbot, tmp_path, text, where):
    window.set_alpha(0.01)
    window.step(5)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 5 and not window.controller.running, timeout=5000)
    before = (window.state.settings, window.controller.gd, window.state.data,
              {k: d.isVisible() for k, d in window.docks.items()})
    path = write(tmp_path, text)
    window.open_lesson_file(str(path))
    qtbot.waitUntil(lambda: window.lesson_error is not None and not window.lesson_running, timeout=30000)
    message = window.lesson_error.text()
    assert message.startswith(str(path)) and where in message
    after = (window.state.settings, window.controller.gd, window.state.data,
             {k: d.isVisible() for k, d in window.docks.items()})
    assert after == before and window.controller.gd.iteration == 5 and window.lesson_file is None
    window.lesson_error.close()


def test_a_lesson_with_a_race_opens_the_explorer_racing_its_preset(window, qtbot, tmp_path, monkeypatch):
    """... beside the lesson's Instructions: at 1280 x 800 it opened at 1200 x 800 over them."""
    from visualizer.core.analysis.race import PRESETS

    screen = QRect(0, 0, 1280, 800)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: screen)
    window.fit_to_screen()
    opened(window, qtbot, write(tmp_path, 'title = "Race"\nrace = "GD vs momentum vs Adam"\n'))
    explorer, instructions = window.explorer, window.docks["instructions"]
    assert explorer is not None and explorer.isVisible()
    text = QRect(instructions.mapToGlobal(QPoint(0, 0)), instructions.size())
    qtbot.waitUntil(lambda: not explorer.frameGeometry().intersects(text), timeout=3000)
    assert screen.contains(explorer.frameGeometry()) and explorer.width() >= 600
    assert [r.config for r in explorer.race.runs] == list(PRESETS["GD vs momentum vs Adam"][0])
    explorer.pause()
    assert window.lesson_from_window(tmp_path / "again.toml").race == "GD vs momentum vs Adam"


def test_a_lesson_without_a_race_closes_the_race_of_the_data_it_replaced(window, qtbot, tmp_path):
    opened(window, qtbot, write(tmp_path, 'title = "Race"\nrace = "Course α"\n'))
    explorer = window.explorer
    assert explorer.isVisible()
    explorer.pause()
    opened(window, qtbot, write(tmp_path, 'title = "No race"\n', "plain.toml"))
    assert not explorer.isVisible()


def test_save_as_lesson_keeps_the_course_files_as_course(window, qtbot, tmp_path, monkeypatch):
    from visualizer.formats.lesson_files import COURSE_ENV, COURSE_TRAIN

    if not (COURSE_DIR / COURSE_TRAIN).is_file():
        pytest.skip("the course's files are not beside the checkout")
    monkeypatch.setenv(COURSE_ENV, str(COURSE_DIR))
    opened(window, qtbot, write(tmp_path, 'title = "Course"\n[data]\nsource = "course"\n'))
    lesson = window.lesson_from_window(tmp_path / "elsewhere" / "saved.toml")
    assert (lesson.data.source, lesson.data.test) == ("course", None)


def test_a_lesson_refused_for_its_data_leaves_the_run_going(window, qtbot, tmp_path, monkeypatch):
    paused = []
    monkeypatch.setattr(window.controller, "pause", lambda: paused.append(True))
    window.open_lesson_file(str(write(tmp_path, 'title = "x"\n[settings]\nbatch_size = 5000\n')))
    qtbot.waitUntil(lambda: window.lesson_error is not None, timeout=30000)
    assert not paused  # nothing changes, a run going on included
    window.lesson_error.close()


def test_save_as_lesson_keeps_a_test_set_of_its_own(window, qtbot, tmp_path):
    image_folder(tmp_path / "pets", 6)
    image_folder(tmp_path / "exam", 3)
    path = write(tmp_path, 'title = "Own test"\n[data]\nsource = "pets"\ntest = "exam"\n')
    opened(window, qtbot, path)
    assert (window.controller.train.m, window.controller.test.m) == (12, 6)
    saved = tmp_path / "sub" / "saved.toml"
    saved.parent.mkdir()
    lesson = window.lesson_from_window(saved)
    assert (lesson.data.source, lesson.data.test) == (str(Path("..") / "pets"), str(Path("..") / "exam"))
    held = write(tmp_path, 'title = "Held out"\n[data]\nsource = "pets"\n', "held.toml")
    opened(window, qtbot, held)
    assert window.lesson_from_window(saved).data.test is None  # held out of pets, as the lesson says
    opened(window, qtbot, LESSONS_DIR / "01-sigmoid-and-yhat.toml")
    assert (window.lesson_from_window(saved).data.source, window.lesson_from_window(saved).data.test) == ("demo", None)


def test_save_as_lesson_then_reopen_gives_the_same_window(window, qtbot, tmp_path, monkeypatch):
    opened(window, qtbot, LESSONS_DIR / "04-learning-rate.toml")
    window.set_alpha(0.0123)
    window.step(40)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 40 and not window.controller.running, timeout=5000)
    window.docks["weights"].hide()
    window.docks["gallery"].show()
    saved = tmp_path / "mine.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "mine"), ""))
    monkeypatch.setattr(ExpectationDialog, "exec", lambda dialog: ExpectationDialog.DialogCode.Accepted)
    assert window.save_lesson_file()  # the suffix is added
    lesson = load_lesson(saved)
    assert lesson.expect == load_lesson(LESSONS_DIR / "04-learning-rate.toml").expect  # ticked as they were
    assert lesson.settings == window.state.settings and lesson.settings.alpha == 0.0123
    assert lesson.iterations == 40 and "weights" not in lesson.show and "gallery" in lesson.show
    assert lesson.locked == load_lesson(LESSONS_DIR / "04-learning-rate.toml").locked
    window.set_alpha(0.2)
    window.docks["weights"].show()
    opened(window, qtbot, saved)
    assert window.state.settings == lesson.settings and window.controller.gd.iteration == 40
    assert {n for n in MAIN_PANELS if window.docks[n].isVisible()} == {n for n in lesson.show if n in MAIN_PANELS}
    again = window.lesson_from_window(saved)
    assert again == lesson


def test_the_mini_batches_view_is_saved_in_a_lesson_and_shown_by_it(window, qtbot, tmp_path):
    """Defect 7 of issue 20: the lesson files' panels lacked "mini-batches", so Save as lesson dropped it
    and a lesson could not show it."""
    window.open_lesson("mini-batches")
    saved = tmp_path / "batches.toml"
    assert window.save_lesson_file(str(saved))
    assert "mini-batches" in load_lesson(saved).show
    window.close_lesson()
    assert not window.docks["mini-batches"].isVisible()
    opened(window, qtbot, saved)
    assert window.docks["mini-batches"].isVisible()


def test_panels_are_arranged_by_name(window, qtbot, tmp_path):
    path = write(tmp_path, 'title = "Arranged"\n[panels]\nshow = ["controls", "cost", "sigmoid", "gallery"]\n'
                           'left = ["cost"]\nbottom = ["controls", "gallery"]\ntabs = [["sigmoid", "gallery"]]\n')
    opened(window, qtbot, path)
    d = window.docks
    assert window.dockWidgetArea(d["cost"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(d["controls"]) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert d["gallery"] in window.tabifiedDockWidgets(d["sigmoid"])
    assert not d["weights"].isVisible() and not d["classify"].isVisible()


def test_the_class_lessons_submenu_lists_the_shipped_lessons(window, qtbot):
    titles = [plain(a.text()) for a in window.class_lessons_menu.actions()]
    assert titles == [load_lesson(p).title for p in SHIPPED]
    window.class_lessons_menu.actions()[3].trigger()
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=30000)
    assert window.lesson_file.title == titles[3]


def test_file_open_lesson_asks_for_a_toml_file(window, qtbot, monkeypatch):
    asked = {}

    def answer(parent, title, start, filters):
        asked["filters"] = filters
        return str(SHIPPED[0]), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    window.open_lesson_file()
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=30000)
    assert "*.toml" in asked["filters"] and window.lesson_file.path == SHIPPED[0]


def test_another_lesson_replaces_the_locks_of_the_first(window, qtbot, tmp_path):
    first = write(tmp_path, 'title = "One"\n[controls]\nlocked = ["loss", "reset"]\nhidden = ["seed"]\n', "one.toml")
    second = write(tmp_path, 'title = "Two"\n[controls]\nlocked = ["alpha"]\n', "two.toml")
    opened(window, qtbot, first)
    assert not window.controls.loss.isEnabled() and not window.reset_action.isEnabled()
    opened(window, qtbot, second)
    assert window.controls.loss.isEnabled() and window.reset_action.isEnabled() and window.controls.seed.isVisible()
    assert not window.controls.alpha.isEnabled() and "Two" in window.instructions.plain_text()


def test_a_lessons_network_is_built_on_its_own_data_only(window, qtbot, tmp_path, monkeypatch):
    """900 units fit the lesson's 2-D points (3,601 parameters); its settings were put in force first, so they were
    built on the window's 12288 inputs (11 million; 10000,900 would be 123 million), and leaving it did the same."""
    from visualizer.core.models import network

    built, real = [], network.Network.__init__
    monkeypatch.setattr(network.Network, "__init__", lambda net, n_x, hidden, *a, **k: (
        built.append((n_x, tuple(hidden))), real(net, n_x, hidden, *a, **k))[1])
    opened(window, qtbot, write(tmp_path, 'title = "x"\n[data]\nsource = "planar:flower"\ntest_fraction = 0\n'
                                          '[settings]\nhidden = [900]\ninit = "random"\n'))
    monkeypatch.setattr(window, "save_first", lambda *a: True)
    window.leave_lesson()
    assert window.controller.train.n_x == 12288 and window.controller.settings.hidden == ()
    assert {size for size in built if size[1] == (900,)} == {(2, (900,))}
