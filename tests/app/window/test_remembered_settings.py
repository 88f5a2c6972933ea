"""What the next window starts with: the settings the user chose, never a lesson's.

A lesson that shows divergence sets α = 1e6 and Adam with β₂ = 0 on purpose; after Ctrl+Q
the next plain `visualizer` started with them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from visualizer.app.window.launch import make_app
from visualizer.app.window.main_window import MainWindow
from visualizer.app.window.preferences import REMEMBERED

LESSON = """title = "Adam overflows"
[settings]
alpha = 2.5
optimizer = "adam"
beta2 = 0.5
epsilon = 1e-3
batch_size = 1
slice = "principal"
"""


@pytest.fixture
def remembered(tmp_path):
    """The settings file of these tests, in a folder of their own (other test runs share ~/.qttest)."""
    QStandardPaths.setTestModeEnabled(True)
    make_app()
    native, user = QSettings.Format.NativeFormat, QSettings.Scope.UserScope
    QSettings.setPath(native, user, str(tmp_path / "config"))
    path = Path(QSettings().fileName())
    assert path.is_relative_to(tmp_path)
    yield path
    shared = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    QSettings.setPath(native, user, shared)


def _window(qtbot, demo) -> MainWindow:
    window = MainWindow(*demo, remember_layout=True)
    window.ask_before_closing = False
    qtbot.addWidget(window)
    return window


def _open_lesson(window, qtbot, tmp_path) -> None:
    path = tmp_path / "lesson.toml"
    path.write_text(LESSON)
    window.open_lesson_file(str(path))
    qtbot.waitUntil(lambda: window.lesson_file is not None and not window.lesson_running, timeout=10_000)
    assert window.state.settings.optimizer == "adam" and window.state.settings.batch_size == 1


def _settings(window) -> dict:
    return {key: getattr(window.state.settings, key) for key in REMEMBERED}


def test_a_lesson_s_settings_are_not_remembered(qtbot, demo, tmp_path, remembered):
    first = _window(qtbot, demo)
    first.state.change_settings(optimizer="momentum", beta=0.8, alpha=0.01)  # the user's own
    chosen = _settings(first)
    _open_lesson(first, qtbot, tmp_path)
    first.close()
    second = _window(qtbot, demo)
    assert _settings(second) == chosen
    second.close()


def test_after_a_lesson_only_what_the_user_changes_is_remembered(qtbot, demo, tmp_path, remembered):
    first = _window(qtbot, demo)
    before = _settings(first)
    _open_lesson(first, qtbot, tmp_path)
    first.state.change_settings(alpha=0.5)  # inside the lesson: still the lesson's exercise
    first.state.set_data(*demo, fresh=True)  # a data set opened: the lesson ends, its settings stay in force
    assert first.lesson_file is None and first.state.settings.optimizer == "adam"
    first.state.change_settings(beta1=0.8)  # the user's own choice, outside the lesson
    first.close()
    second = _window(qtbot, demo)
    assert _settings(second) == before | {"beta1": 0.8}
    second.close()
