"""The real main window on the demo set, torn down with a check that no thread is left."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QStandardPaths, QThread
from PySide6.QtTest import QTest

from visualizer.app.common.application import make_app, share_gl_contexts
from visualizer.app.window.main_window import MainWindow
from visualizer.data import load_data

share_gl_contexts()  # before pytest-qt creates the QApplication


@pytest.fixture(scope="session")
def demo():
    return load_data()


def _open_window(demo) -> MainWindow:
    QStandardPaths.setTestModeEnabled(True)  # QSettings go to a scratch place, not the user's
    make_app()
    train, test = demo
    w = MainWindow(train, test, remember_layout=False)
    w.ask_before_closing = False
    w.state.change_settings(speed=None)  # a test waits for a run's end, not 10 s of the launch's watchable pace
    w.resize(1280, 800)
    w.show()
    assert QTest.qWaitForWindowExposed(w, 5000)
    w.activateWindow()
    deadline = time.monotonic() + 3  # window shortcuts need an active window
    while not w.isActiveWindow():
        assert time.monotonic() < deadline, "the window did not become active"
        QTest.qWait(10)
    return w


def _close_window(w: MainWindow) -> None:
    controller = w.controller
    w.close()
    assert not controller.running
    threads = w.findChildren(QThread) + (w.explorer.findChildren(QThread) if w.explorer else [])
    assert all(not t.isRunning() for t in threads), "a worker thread outlived the window"


@pytest.fixture
def window(qtbot, demo):
    w = _open_window(demo)
    qtbot.addWidget(w)
    yield w
    _close_window(w)


@pytest.fixture(scope="module")
def shared_window(qapp, demo):
    """One window for all the tests of a module, for tests that only read it or put back what they change
    (building a window is most of a window test's time)."""
    w = _open_window(demo)
    yield w
    _close_window(w)
    w.deleteLater()
