"""The window fits laptops and projectors: opened within the screen, every dock on it, nothing clipped."""

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QScrollArea, QTabBar

from visualizer.app.common.accessibility import plain


# Logical sizes: 1920 x 1080 at scale factor 2 is 960 x 540, at 1.5 it is 1280 x 720.
@pytest.mark.parametrize("size", [(960, 540), (1024, 700), (1024, 768), (1280, 720), (1366, 768), (1920, 1080)])
def test_every_dock_and_control_is_on_screen(window, qtbot, size, monkeypatch):
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, *size))
    window.fit_to_screen()
    qtbot.wait(50)
    assert window.width() <= size[0] and window.height() <= size[1]
    area = window.rect()
    for name, dock in window.docks.items():
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            top_left = dock.mapTo(window, dock.rect().topLeft())
            assert area.contains(QRect(top_left, dock.size())), f"{name} dock lies off the window at {size}"
    for widget in (window.controls.train_button, window.controls.alpha.field, window.controls.loss,
                   window.controls.reset_button, window.controls.timeline):
        widget.setFocus()  # as Tab would: a scrolling panel brings the focused control into view
        area = widget.parent()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parent()
        if area is not None:
            area.ensureWidgetVisible(widget)
        qtbot.wait(10)
        assert not widget.visibleRegion().isEmpty(), f"{widget.accessibleName() or widget} cannot be reached"


def test_the_window_can_be_as_small_as_1024_by_700(window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700


def test_no_label_text_is_wider_than_its_label(window, qtbot):
    window.resize(1024, 700)
    window.step(300)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.refresh(force=True)
    qtbot.wait(50)
    clipped = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or label.wordWrap() or not label.text() or label.pixmap() is not None \
                and not label.pixmap().isNull():
            continue
        text = plain(label.text()) if label.buddy() is not None else label.text()
        if QtGui.Qt.mightBeRichText(text):
            continue
        width = max(QFontMetrics(label.font()).horizontalAdvance(line) for line in text.split("\n"))
        if width > label.width() + 1 and label.width() > 0:
            clipped.append((label.text()[:40], width, label.width()))
    assert clipped == []


def test_the_edge_label_is_never_clipped_when_it_wraps(window, qtbot):
    window.resize(1024, 700)
    window.state.change_settings(loss="squared-error")
    window.refresh(force=True)
    qtbot.wait(50)
    label = window.controls.edge_label
    assert label.height() >= label.heightForWidth(label.width())


def test_a_window_fitted_right_after_its_first_show_fits_a_small_screen(demo, qtbot, monkeypatch):
    """As `visualizer` starts on a 960 x 540 screen: show, then fit at once (the tabbed docks' smaller
    minimum counts only after the event loop has run)."""
    from PySide6.QtGui import QScreen

    from visualizer.app.window.main_window import MainWindow

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 960, 540))
    train, test = demo
    w = MainWindow(train, test, remember_layout=False)
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    w.fit_to_screen()
    qtbot.waitUntil(lambda: w.width() <= 960 and w.height() <= 540, timeout=3000)
    cut = []
    for bar in w.findChildren(QTabBar):  # the docks' tabs: each title whole
        for i in range(bar.count()):
            if bar.isVisible() and bar.tabRect(i).width() < bar.fontMetrics().horizontalAdvance(bar.tabText(i)):
                cut.append(bar.tabText(i))
    assert cut == []
    w.close()


def test_tab_into_a_hidden_tab_brings_its_panel_to_the_front(window, qtbot):
    window.tabifyDockWidget(window.docks["cost"], window.docks["gallery"])
    window.docks["cost"].raise_()
    qtbot.wait(20)
    gallery = window.docks["gallery"]
    assert gallery.visibleRegion().isEmpty()  # behind the cost panel
    window.gallery.sort.setFocus()  # where Tab lands
    qtbot.waitUntil(lambda: not gallery.visibleRegion().isEmpty(), timeout=2000)
    assert not window.gallery.sort.visibleRegion().isEmpty()

