"""`visualizer screenshot`: train N iterations, then save the window or one panel as PNG."""

from __future__ import annotations

import time

from ..data import load_data
from ..settings import RunSettings


def render_screenshot(out: str, data: str | None = None, iterations: int = 2000, alpha: float = 0.005,
                      size: tuple[int, int] = (1280, 800), view: str = "window") -> None:
    from PySide6.QtWidgets import QApplication

    from .launch import make_app
    from .main_window import MainWindow

    train, test = load_data(data)
    app = make_app()
    window = MainWindow(train, test, RunSettings(alpha=alpha), remember_layout=False)
    window.ask_before_closing = False  # a screenshot has nothing to save
    window.controller.gd.step(iterations)
    window.controller.latest = window.controller._snapshot()
    window.resize(*size)
    window.show()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:  # let the layout settle and GL draw its first frames
        QApplication.processEvents()
        time.sleep(0.02)
    window.resize(*size)  # again: a first show lays the docks out at their preferred sizes
    window.refresh(force=True)
    for _ in range(5):
        QApplication.processEvents()
        time.sleep(0.02)
    if view in window.lessons:
        window.open_lesson(view)
        if view == "vectorization":
            from ..core.lessons import time_vectorization

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
        for _ in range(10):
            QApplication.processEvents()
            time.sleep(0.02)
        image = window.lesson(view).grab().toImage()
    elif view == "window":
        image = window.grab_image()
    elif view == "surface":
        image = window.surface.grab_with_gl()
    else:
        panel = {"cost": window.cost_curve, "gallery": window.gallery, "sigmoid": window.sigmoid,
                 "weights": window.weights}[view]
        image = panel.grab().toImage()
    window.close()
    app.processEvents()
    if not image.save(out, "PNG"):
        raise OSError(f"{out}: could not write the PNG")
