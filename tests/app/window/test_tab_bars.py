"""The docks' tab bars: one for each group of tabbed docks, beside its docks, none left over the surface
(a second bar of "Cost J and accuracy | Evaluation" showed its "y" between the surface and the right docks).

Drawn as `visualizer screenshot` and the animations draw, with processEvents and no event loop: Qt
deletes a bar it has let go of only from an event loop, so every exported picture kept it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QStandardPaths, Qt
from PySide6.QtWidgets import QTabBar

from visualizer.app.common.application import make_app, settle
from visualizer.app.export.screenshot import prepared_window
from visualizer.app.window.main_window import MainWindow
from visualizer.model.panels import PANELS
from visualizer.model.settings import RunSettings


@pytest.fixture(scope="module")
def shown(demo):
    """One window for the module, prepared as `visualizer screenshot` prepares it: the tests only resize it and
    reset its layout."""
    QStandardPaths.setTestModeEnabled(True)
    make_app()
    w = prepared_window(MainWindow, *demo, RunSettings(), 0, (1280, 800))
    yield w
    w.close()


def stray_tab_bars(window) -> list:
    """Tab bars drawn in the window that are not the one bar of a group of docks tabbed together and shown:
    a second bar of a group, a bar naming a closed dock, a bar over the surface."""
    groups = set()
    for dock in window.docks.values():
        tabbed = [d for d in window.tabifiedDockWidgets(dock) if not d.isHidden()]
        if not dock.isHidden() and not dock.isFloating() and tabbed:
            groups.add(frozenset(d.windowTitle() for d in [dock, *tabbed]))
    centre = QRect(window.centralWidget().mapTo(window, window.centralWidget().rect().topLeft()),
                   window.centralWidget().size())
    stray = []
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not bar.isVisible() or not bar.geometry().intersects(window.rect()):
            continue
        tabs = frozenset(bar.tabText(i) for i in range(bar.count()))
        if tabs not in groups or bar.geometry().intersects(centre):
            stray.append((sorted(tabs), bar.geometry()))
        groups.discard(tabs)  # a second bar of it is stray
    return stray


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_no_tab_bar_is_left_over_the_surface(shown, size):
    shown.resize(*size)
    settle(0.1)
    assert stray_tab_bars(shown) == []
    for p in PANELS:  # and the panels that open behind another do
        if p.behind is not None:
            assert shown.docks[p.key] in shown.tabifiedDockWidgets(shown.docks[p.behind])
            assert shown.docks[p.key].visibleRegion().isEmpty()


def test_reset_layout_leaves_no_tab_bar_over_the_surface(shown, qtbot):
    """From the event loop, as View > Reset layout runs: the bars Qt lets go of are deleted there."""
    shown.docks["evaluation"].raise_()
    shown.reset_layout()
    qtbot.wait(100)
    assert stray_tab_bars(shown) == []
    assert shown.docks["evaluation"] in shown.tabifiedDockWidgets(shown.docks["cost"])
