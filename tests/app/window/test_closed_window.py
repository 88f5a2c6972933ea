"""A closed window is let go: nothing long-lived (psygnal's class-level map of signal groups, Qt connections to the
window's lambdas) keeps its 385 widgets, its run and its data alive after it is closed and deleted."""

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths

from visualizer.app.common.application import make_app
from visualizer.app.window.main_window import MainWindow


def _closed_after_training(demo, qtbot) -> weakref.ref:
    QStandardPaths.setTestModeEnabled(True)
    make_app()
    w = MainWindow(*demo, remember_layout=False)
    w.ask_before_closing = False
    w.show()
    w.controller.step(3)
    qtbot.waitUntil(lambda: w.controller.gd.iteration == 3 and not w.controller.running, timeout=5000)
    w.refresh(force=True)
    w.close()
    QCoreApplication.processEvents()  # what the close left to do (a showEvent's pending redraw included)
    w.deleteLater()
    return weakref.ref(w)


def test_a_closed_and_deleted_window_is_collected(demo, qtbot):
    ref = _closed_after_training(demo, qtbot)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    assert ref() is None
