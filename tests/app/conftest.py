"""The real main window on the demo set, torn down with a check that no thread is left."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QStandardPaths, QThread

from visualizer.app.common.application import make_app, share_gl_contexts
from visualizer.app.window.main_window import MainWindow
from visualizer.data import load_data

share_gl_contexts()  # before pytest-qt creates the QApplication


@pytest.fixture(scope="session")
def demo():
    return load_data()


@pytest.fixture
def window(qtbot, demo):
    QStandardPaths.setTestModeEnabled(True)  # QSettings go to a scratch place, not the user's
    make_app()
    train, test = demo
    w = MainWindow(train, test, remember_layout=False)
    w.ask_before_closing = False
    w.state.change_settings(speed=None)  # a test waits for a run's end, not 10 s of the launch's watchable pace
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)  # window shortcuts need an active window
    yield w
    controller = w.controller
    w.close()
    assert not controller.running
    threads = w.findChildren(QThread) + (w.explorer.findChildren(QThread) if w.explorer else [])
    assert all(not t.isRunning() for t in threads), "a worker thread outlived the window"
