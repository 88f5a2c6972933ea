"""`visualizer screenshot`: train N iterations, then save the window or one panel as PNG.

``prepared_window`` and ``grab_view`` are also the animation's (visualizer.app.export.animation):
a frame of an animation at iteration i is drawn exactly as a screenshot is. The window class is
handed in (``new_window``): the window is built above this package and imports it, never the reverse.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QTabBar

from visualizer.app.common.application import make_app, settle
from visualizer.app.common.images import png_bytes
from visualizer.app.explorer.explorer import race_picture
from visualizer.app.run.ahead import run_ahead
from visualizer.core.analysis.lessons import time_vectorization
from visualizer.core.models.registry import model_of
from visualizer.data import LoadCancelled, load_data
from visualizer.formats.animation_frames import Cancelled
from visualizer.formats.lesson_files import load_lesson_data
from visualizer.fs.atomic import atomic_write
from visualizer.model.constraints import TABLE
from visualizer.model.panels import LESSON_PANELS, RACE, WINDOW, panel_of
from visualizer.model.settings import RunSettings


def prepared_window(new_window, train, test, settings: RunSettings, iterations: int, size: tuple[int, int],
                    run=None, theme: str | None = None, lesson=None, progress=None, cancelled=None):
    """A window trained ``iterations``, laid out at ``size`` and shown off the screen (never on the user's).

    ``new_window``: the main window's class; ``run``: go on from this GradientDescent (another
    window's) instead of a new one; ``theme``: that window's theme choice, so the picture looks
    like it; ``lesson``: a lesson_files.Lesson that then sets the window up (its panels, locks
    and first iterations). The iterations (its own or the lesson's) call ``progress(done, total)``
    as they go and stop early once ``cancelled()``: then the caller, who asked, finds the window as
    far as it got.
    """
    window = new_window(train, test, settings, remember_layout=False)
    if theme is not None:
        window.set_theme(theme)
    window.ask_before_closing = False  # nothing in it is the user's work
    window.timer.stop()  # drawn when asked, not on the window's own timer
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    if run is not None:
        window.controller.gd = run
    progress, cancelled = progress or (lambda *_: None), cancelled or (lambda: False)
    run_ahead(window.controller.gd, iterations, progress, cancelled)
    window.controller.latest = window.controller._snapshot()
    window.resize(*size)
    window.show()
    settle(1.0)
    drop_released_tab_bars(window)  # the second bar Qt made tabbing the docks before the first show
    window.resize(*size)  # again: a first show lays the docks out at their preferred sizes
    window.refresh(force=True)
    settle(0.1)
    if lesson is not None and not cancelled():
        window.apply_lesson(lesson, train, test, wait=True, progress=progress, cancelled=cancelled)
        window.notice.hide()  # the banner says what the picture shows anyway
        drop_released_tab_bars(window)  # the lesson placed and tabbed the docks
        settle(0.5)
        window.resize(*size)
        window.refresh(force=True)
        settle(0.1)
    return window


def drop_released_tab_bars(window) -> None:
    """Delete the dock tab bars Qt let go of: it deletes them later, from an event loop, which a window drawn off
    the screen never runs. Tabbing two pairs of docks before the first show left a second "Cost J and accuracy |
    Evaluation" bar, whose "y" showed between the surface and the right docks in every screenshot and animation;
    a restoreState left the old bars (their old current tab) drawn over the new ones."""
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        QCoreApplication.sendPostedEvents(bar, QEvent.Type.DeferredDelete)


def take_look_of(hidden, window, size: tuple[int, int]) -> None:
    """``hidden`` shows what ``window`` shows: its open lesson (text, locked and hidden controls), its docks
    (which are shown, where, tabbed how) and its kept cost curves, so an exported window looks like the user's."""
    lesson = window.lesson_file
    if lesson is not None:
        hidden.lesson_file = lesson
        hidden.instructions.show_lesson(lesson)
        hidden._apply_controls()
    hidden.state.set_pinned(window.state.pinned)
    hidden.restoreState(window.saveState())
    drop_released_tab_bars(hidden)
    for dock in hidden.docks.values():
        if dock.isFloating():  # a window of its own, not part of the window's picture (nor to pop up on screen)
            dock.hide()
    settle(0.3)
    hidden.resize(*size)
    hidden.refresh(force=True)
    settle(0.1)


def grab_view(window, view: str):
    """The window, or one panel (or part) of it, as a QImage; a 3-D view grabs itself (grab() leaves it blank)."""
    if view == WINDOW.key:
        return window.grab_image()
    dock = window.docks.get(panel_of(view).key)
    if dock is not None and (dock.isHidden() or dock.visibleRegion().isEmpty()):  # behind a tab: never drawn
        dock.show()
        dock.raise_()
        settle(0.2)
        window.refresh(force=True)
        settle(0.1)
    widget = window.view_widget(view)
    return widget.grab_with_gl() if hasattr(widget, "grab_with_gl") else widget.grab().toImage()


def load_for_export(data: str | None, lesson, cancelled=None, test_fraction: float | None = None):
    """(train, test) of ``data`` (``test_fraction`` of it held out; None: the usual 0.2) or of ``lesson``;
    Cancelled once ``cancelled()``."""
    try:
        if lesson is not None:
            return load_lesson_data(lesson, cancelled=cancelled)
        return load_data(data, cancelled=cancelled,
                         test_fraction=TABLE["test_fraction"].default if test_fraction is None else test_fraction)
    except LoadCancelled:
        raise Cancelled from None


def export_window(new_window, data, iterations: int, settings: RunSettings | None, size: tuple[int, int], lesson,
                  progress, cancelled, test_fraction: float | None = None, theme: str | None = None):
    """(the application, a window prepared off the screen) for ``screenshot`` and ``animate``: the data (or the
    lesson's), trained ``iterations`` (or the lesson's first ones) under ``settings`` (None: the defaults), in
    ``theme`` (None: the window's own choice)."""
    train, test = load_for_export(data, lesson, cancelled, test_fraction)
    app = make_app()
    window = prepared_window(new_window, train, test, lesson.settings if lesson else settings or RunSettings(),
                             iterations if lesson is None else 0, size, theme=theme, lesson=lesson,
                             progress=progress, cancelled=cancelled)
    return app, window


def render_screenshot(new_window, out: str, data: str | None = None, iterations: int = 2000,
                      settings: RunSettings | None = None, size: tuple[int, int] = (1280, 800),
                      view: str = "window", lesson=None, progress=None, cancelled=None,
                      test_fraction: float | None = None, theme: str | None = None) -> None:
    """``new_window``: the main window's class. ``settings``: the run's, built and checked by the caller (the
    command line, through RunSettings' validator); None: the defaults. ``lesson``: a lesson_files.Lesson that
    sets the window up instead of ``data``, ``iterations`` and ``settings``. ``theme``: 'light' or 'dark' (None:
    the window's own choice, which follows the desktop).

    ``progress(done, total)`` follows the iterations run first; once ``cancelled()`` it stops, raises
    Cancelled and writes nothing.
    """
    cancelled = cancelled or (lambda: False)
    app, window = export_window(new_window, data, iterations, settings, size, lesson, progress, cancelled,
                                test_fraction, theme)
    if cancelled():
        window.close()
        app.processEvents()
        raise Cancelled
    if view in LESSON_PANELS:
        window.open_lesson(view)
        if view == "vectorization" and not model_of(window.controller.gd).has_hidden:  # a network: the panel says
            gd = window.controller.gd
            window.lesson(view).show_timing(time_vectorization(gd.param.X, gd.y, gd.w, gd.b), gd.m)
        elif view == "bowl":
            bowl = window.lesson(view)
            for w, b in ((-3.0, 3.0), (3.0, -2.5), (2.5, 3.0)):
                bowl.start_at(w, b)
            bowl.timer.stop()
            bowl.bowl.step(400)
            bowl._advance()
        window.refresh(force=True)
        settle(0.2)
        image = window.lesson(view).grab().toImage()
    elif view == RACE.key:
        image = race_picture(window, size, *([lesson.race] if lesson is not None and lesson.race else []))
    else:
        image = grab_view(window, view)
    window.close()
    app.processEvents()
    if cancelled():
        raise Cancelled
    atomic_write(out, lambda f: f.write(png_bytes(image)))
