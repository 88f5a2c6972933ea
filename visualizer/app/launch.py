"""Starting the window: the display check, the Qt application and the demo data."""

from __future__ import annotations

import os
import signal
import sys

from ..data import DataError, load_data


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def share_gl_contexts() -> None:
    """Must run before the QApplication exists: pyqtgraph shares compiled shaders between GL views."""
    from PySide6.QtCore import QCoreApplication, Qt

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def make_app():
    """The QApplication, with our organisation name so QSettings has a home."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    share_gl_contexts()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("visualizer")
    app.setApplicationName("visualizer")
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    return app


def report_errors_in(window) -> None:
    """A bug in a slot or an override is printed and shown in the window; the app carries on."""
    import contextlib
    import traceback

    def hook(kind, exc, tb):
        traceback.print_exception(kind, exc, tb)
        with contextlib.suppress(RuntimeError):  # the window may already be gone
            window.notice.show_message(f"Something went wrong ({kind.__name__}: {exc}). The run is kept; "
                                       "save the session to be safe.", "error")

    sys.excepthook = hook


def launch(data: str | None = None) -> int:
    if not has_display():
        print("visualizer: error: no display to open the window on (DISPLAY is not set); "
              "run it from a desktop session, or under xvfb-run", file=sys.stderr)
        return 2
    try:
        train, test = load_data(data)
    except DataError as exc:
        print(f"visualizer: error: {exc}", file=sys.stderr)
        return 2
    app = make_app()
    from .main_window import MainWindow

    window = MainWindow(train, test)
    window.resize(1280, 800)
    window.show()
    report_errors_in(window)
    # Ctrl+C in the terminal closes the window the normal way (asking first if work is unsaved);
    # the window's redraw timer hands Python the control it needs to see the signal.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    return app.exec()
