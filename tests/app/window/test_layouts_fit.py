"""Every optimizer's Controls, presentation mode and Compare runs fit the screen from 960 x 540 up:
geometry of the real widgets at each size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter, QScreen
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from visualizer.app.common.accessibility import plain
from visualizer.app.explorer.explorer import show_explorer
from visualizer.app.panels.gallery import cell_size
from visualizer.core.optim.registry import SPECS

SIZES = [(960, 540), (1024, 768), (1280, 800), (1920, 1080)]


def screen_of(monkeypatch, size) -> QRect:
    area = QRect(0, 0, *size)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: area)
    monkeypatch.setattr(QScreen, "geometry", lambda self: area)
    return area


def cut_controls(window) -> list:
    """What of the Controls is cut: a widget wider than the area it scrolls in, a label's text wider than
    the label, a wrapped label shorter than its lines."""
    panel = window.controls
    viewport = panel.parentWidget()
    assert isinstance(viewport.parentWidget(), QScrollArea)
    cut = []
    for widget in [panel, *panel.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) or widget.width() == 0:
            continue
        left = widget.mapTo(viewport, QPoint(0, 0)).x()
        if left < 0 or left + widget.width() > viewport.width():
            cut.append((type(widget).__name__, widget.accessibleName(), left, widget.width(), viewport.width()))
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    cut.append(("lines cut", widget.text()[:50], widget.height()))
            elif widget.fontMetrics().horizontalAdvance(plain(widget.text())) > widget.width() + 1:
                cut.append(("text cut", widget.text()[:50], widget.width()))
    return cut


def axis_texts(axis) -> int:
    """How many tick labels ``axis`` writes as it is now laid out."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return len(specs[2]) if specs else 0


def settled(window, qtbot) -> None:
    window.refresh(force=True)
    qtbot.wait(100)


@pytest.mark.parametrize("size", SIZES)
def test_no_optimizer_widens_the_controls_past_their_dock(window, qtbot, monkeypatch, size):
    screen_of(monkeypatch, size)
    window.fit_to_screen()
    window.step(100)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 100, timeout=5000)
    for key in SPECS:  # a switch mid-run says "…<optimizer> moved the run to other coordinates" on the timeline
        window.state.change_settings(optimizer=key)
        window.step(10)
        qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
        settled(window, qtbot)
        assert window.width() <= size[0] and window.height() <= size[1]
        assert cut_controls(window) == [], key


@pytest.mark.parametrize("size", SIZES)
def test_presentation_mode_fits_and_leaving_it_fits_again(window, qtbot, monkeypatch, size):
    area = screen_of(monkeypatch, size)
    monkeypatch.setattr(window, "showFullScreen", lambda: window.setGeometry(area))  # the platform's full screen
    window.fit_to_screen()
    window.state.change_settings(optimizer="adam")
    window.step(10)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.docks["evaluation"].raise_()  # the walk's: Evaluation in front of the cost curve
    settled(window, qtbot)
    before = window.docks["gallery"].height()
    sizes = {key: dock.size() for key, dock in window.docks.items() if not dock.visibleRegion().isEmpty()}
    window.set_presentation(True)
    qtbot.waitUntil(lambda: window.width() <= size[0] and window.height() <= size[1]
                    and window.minimumSizeHint().width() <= size[0], timeout=3000)  # tabbed, then stacked
    qtbot.wait(300)
    settled(window, qtbot)
    assert cut_controls(window) == []
    box = window.surface.this_batch
    assert box.visibleRegion().boundingRect().size() == box.size() and box.width() >= box.sizeHint().width(), size
    cards = window.gallery.tabs.currentWidget()
    if not cards.visibleRegion().isEmpty():  # a row of cards with their captions (160 px at 1280 x 800 cut them)
        assert cards.viewport().height() >= cell_size().height(), (cards.viewport().height(), size)
    window.set_presentation(False)
    settled(window, qtbot)
    assert area.contains(window.frameGeometry()), f"{window.frameGeometry()} after leaving it at {size}"
    assert cut_controls(window) == []
    box = window.surface.this_batch  # "this batch's J" whole, its text included
    assert box.visibleRegion().boundingRect().size() == box.size(), (size, box.visibleRegion().boundingRect())
    assert box.width() >= box.sizeHint().width(), size
    cost = window.cost_curve
    if not cost._short and not cost.visibleRegion().isEmpty():  # the accuracies' 0-100 are written again
        assert axis_texts(cost.acc.getAxis("left")) >= 3, size
    if not window._compact:  # the docks as they were: the room the cards took is given back
        assert abs(window.docks["gallery"].height() - before) <= 2, (window.docks["gallery"].height(), before)
    # and every dock's size (the Controls came back 50 px wider, the gallery a card narrower)
    after = {key: dock.size() for key, dock in window.docks.items() if not dock.visibleRegion().isEmpty()}
    assert after.keys() == sizes.keys(), size
    moved = {k: (sizes[k].toTuple(), after[k].toTuple()) for k in sizes
             if abs(sizes[k].width() - after[k].width()) > 2 or abs(sizes[k].height() - after[k].height()) > 2}
    assert moved == {}, size


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("size", SIZES)
def test_compare_runs_opens_within_the_screen(window, qtbot, monkeypatch, size, presentation):
    area = screen_of(monkeypatch, size)
    monkeypatch.setattr(window, "showFullScreen", lambda: window.setGeometry(area))
    window.set_presentation(presentation)
    explorer = show_explorer(window)
    qtbot.waitExposed(explorer)
    assert area.contains(explorer.frameGeometry()), f"{explorer.frameGeometry()} on {size}"
    for button in (explorer.tabs.cornerWidget(), explorer.race_buttons.png, explorer.race_buttons.svg):
        assert not button.visibleRegion().isEmpty()
        assert area.contains(QRect(button.mapToGlobal(QPoint(0, 0)), button.size()))
    assert explorer.plots.height() >= 240  # squeezed to 120 px at 960 x 540, before the race tab could scroll
    window.set_presentation(False)


@pytest.mark.parametrize("size", [(1024, 768)])
def test_presentation_mode_measures_the_larger_text_before_it_fits(window, qtbot, monkeypatch, size):
    """Measured before the 1.6 x text was laid out, the window looked small enough: it stayed 1165 px wide on a
    1024 px screen, the cost curve and σ(z) cut off; and leaving it, measured at the large text, left it tabbed."""
    screen_of(monkeypatch, size)
    window.fit_to_screen()
    qtbot.wait(100)
    assert not window._compact
    window.set_presentation(True)
    qtbot.wait(300)
    assert window.minimumSizeHint().width() <= size[0]
    window.set_presentation(False)
    qtbot.wait(100)
    assert not window._compact, "leaving presentation mode left the docks tabbed"
    assert not window.docks["cost"].visibleRegion().isEmpty(), "the cost curve went behind the Evaluation tab"


def test_presentation_mode_gives_the_evaluation_in_front_room_for_all_of_it(window, qtbot, monkeypatch):
    """F11 at 1280 x 800 with Evaluation in front: the test matrix's "cat" column, "0.5 (course)" and "Show all
    examples" were cut and the ROC plot was some 50 px, the rest scrolled out of the dock."""
    area = screen_of(monkeypatch, (1280, 800))
    monkeypatch.setattr(window, "showFullScreen", lambda: window.setGeometry(area))
    window.fit_to_screen()
    window.docks["evaluation"].raise_()
    settled(window, qtbot)
    panel = window.panels["evaluation"]
    whole = [panel.course, panel.show_all, *(b for box in panel.boxes.values() for b in box.cells.values())]

    def fits() -> bool:
        bars = (panel.area.verticalScrollBar(), panel.area.horizontalScrollBar())
        return all(w.visibleRegion().boundingRect().size() == w.size() for w in whole) and \
            panel.plot.height() >= 130 and not any(bar.isVisible() for bar in bars)  # the ROC too, unscrolled

    window.set_presentation(True)
    try:
        qtbot.waitUntil(fits, timeout=3000)
    finally:
        window.set_presentation(False)


def test_a_new_window_at_1024_by_768_shows_the_cost_panels_three_plots(qtbot, monkeypatch, demo):
    """The cost dock opened at 300 px, too short for three readable plots: the cost J showed alone."""
    from PySide6.QtTest import QTest

    from visualizer.app.common.application import make_app
    from visualizer.app.window.main_window import MainWindow

    screen_of(monkeypatch, (1024, 768))
    make_app()
    w = MainWindow(*demo, remember_layout=False)
    qtbot.addWidget(w)
    w.ask_before_closing = False
    w.resize(1024, 768)
    w.show()
    assert QTest.qWaitForWindowExposed(w, 5000)
    QTest.qWait(50)
    curve = w.cost_curve
    assert curve.acc.isVisible() and curve.stability.isVisible() and w.docks["sigmoid"].height() >= 200
    w.close()
