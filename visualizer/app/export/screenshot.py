"""`visualizer screenshot`: train N iterations, then save the window or one panel as PNG.

``prepared_window`` and ``grab_view`` are also the animation's (visualizer.app.export.animation):
a frame of an animation at iteration i is drawn exactly as a screenshot is.
"""

from __future__ import annotations

import time

from visualizer.data import load_data
from visualizer.formats.lesson_files import load_lesson_data
from visualizer.fs.atomic import atomic_write
from visualizer.model.settings import RunSettings

#: Views that are one panel of the window, by the names `--view` uses.
PANEL_VIEWS = ("surface", "contours", "cost", "gallery", "sigmoid", "weights")


def settle(seconds: float) -> None:
    """Let Qt lay out and draw (GL draws its first frames only from the event loop)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if time.monotonic() >= deadline:
            return
        time.sleep(0.02)


def prepared_window(train, test, settings: RunSettings, iterations: int, size: tuple[int, int], run=None,
                    theme: str | None = None, lesson=None):
    """A window trained ``iterations``, laid out at ``size`` and shown off the screen (never on the user's).

    ``run``: go on from this GradientDescent (another window's) instead of a new one; ``theme``:
    that window's theme choice, so the picture looks like it; ``lesson``: a lesson_files.Lesson
    that then sets the window up (its panels, locks and first iterations).
    """
    from PySide6.QtCore import Qt

    from visualizer.app.window.main_window import MainWindow

    window = MainWindow(train, test, settings, remember_layout=False)
    if theme is not None:
        window.set_theme(theme)
    window.ask_before_closing = False  # nothing in it is the user's work
    window.timer.stop()  # drawn when asked, not on the window's own timer
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    if run is not None:
        window.controller.gd = run
    window.controller.gd.step(iterations)
    window.controller.latest = window.controller._snapshot()
    window.resize(*size)
    window.show()
    settle(1.0)
    window.resize(*size)  # again: a first show lays the docks out at their preferred sizes
    window.refresh(force=True)
    settle(0.1)
    if lesson is not None:
        window.apply_lesson(lesson, train, test, wait=True)
        window.notice.hide()  # the banner says what the picture shows anyway
        settle(0.5)
        window.resize(*size)
        window.refresh(force=True)
        settle(0.1)
    return window


def take_look_of(hidden, window, size: tuple[int, int]) -> None:
    """``hidden`` shows what ``window`` shows: its open lesson (text, locked and hidden controls) and its
    docks (which are shown, where, tabbed how), so an exported window looks like the user's."""
    lesson = window.lesson_file
    if lesson is not None:
        hidden.lesson_file = lesson
        hidden.instructions.show_lesson(lesson)
        hidden._apply_controls()
    hidden.restoreState(window.saveState())
    for dock in hidden.docks.values():
        if dock.isFloating():  # a window of its own, not part of the window's picture (nor to pop up on screen)
            dock.hide()
    settle(0.3)
    hidden.resize(*size)
    hidden.refresh(force=True)
    settle(0.1)


def panel_widget(window, view: str):
    """The widget a panel view grabs."""
    return {"surface": window.surface, "contours": window.surface.contour.plot, "cost": window.cost_curve,
            "gallery": window.gallery, "sigmoid": window.sigmoid, "weights": window.weights}[view]


def grab_view(window, view: str):
    """The window, or one panel of it, as a QImage (the 3-D view included)."""
    if view == "window":
        return window.grab_image()
    if view == "surface":
        return window.surface.grab_with_gl()
    return panel_widget(window, view).grab().toImage()


def render_screenshot(out: str, data: str | None = None, iterations: int = 2000, alpha: float = 0.005,
                      size: tuple[int, int] = (1280, 800), view: str = "window", lesson=None) -> None:
    """``lesson``: a lesson_files.Lesson that sets the window up instead of ``data``, ``iterations`` and ``alpha``."""
    from visualizer.app.window.file_actions import png_bytes
    from visualizer.app.window.launch import make_app

    train, test = load_data(data) if lesson is None else load_lesson_data(lesson)
    app = make_app()
    window = prepared_window(train, test, RunSettings(alpha=alpha) if lesson is None else lesson.settings,
                             iterations if lesson is None else 0, size, lesson=lesson)
    if view in window.lessons:
        window.open_lesson(view)
        if view == "vectorization":
            from visualizer.core.analysis.lessons import time_vectorization

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
    elif view == "race":
        from visualizer.app.explorer.explorer import race_picture

        image = race_picture(window, size, *([lesson.race] if lesson is not None and lesson.race else []))
    else:
        image = grab_view(window, view)
    window.close()
    app.processEvents()
    atomic_write(out, lambda f: f.write(png_bytes(image)))
