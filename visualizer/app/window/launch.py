"""Starting the window: the display check, the Qt application (its options, names and icon) and the data."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from visualizer.data import DataError, load_data
from visualizer.fs.resources import ICON_SIZES, icon_png

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def _platform(qt_args: Sequence[str]) -> str:
    """The Qt platform plugin asked for: `-platform NAME` (or `-platform=NAME`) wins over QT_QPA_PLATFORM."""
    for i, arg in enumerate(qt_args):
        if arg == "-platform" and i + 1 < len(qt_args):
            return qt_args[i + 1]
        if arg.startswith("-platform="):
            return arg.partition("=")[2]
    return os.environ.get("QT_QPA_PLATFORM", "")


def has_display(qt_args: Sequence[str] = ()) -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if _platform(qt_args).split(":")[0] in HEADLESS_PLATFORMS:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def share_gl_contexts() -> None:
    """Must run before the QApplication exists: pyqtgraph shares compiled shaders between GL views."""
    from PySide6.QtCore import QCoreApplication, Qt

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def share_cores() -> None:
    """BLAS gets half the cores: the GUI thread and the workers each call it, and OpenBLAS giving every call
    all the cores made two threads on two cores spin against each other (a demo run under Xvfb went from
    22k to 31k iterations a second and from 32 to 42 frames a second)."""
    from threadpoolctl import threadpool_limits

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    threadpool_limits(max(1, cores // 2), user_api="blas")


def app_icon():
    """The icon at every size we ship, so each window and the task switcher get a sharp one."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)))
    return icon


def make_app(qt_args: Sequence[str] = ()):
    """The QApplication, given Qt's own options (-style, -platform, ...), with our names and icon.

    The organisation name gives QSettings a home; the desktop file name lets Wayland
    match the window to the menu entry of `visualizer install-desktop`.
    """
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    share_gl_contexts()
    share_cores()
    app = QApplication.instance() or QApplication([*(sys.argv[:1] or ["visualizer"]), *qt_args])
    app.setOrganizationName("visualizer")
    app.setApplicationName("visualizer")
    app.setDesktopFileName("visualizer")
    app.setWindowIcon(app_icon())
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


def launch(path: str | None = None, qt_args: Sequence[str] = (), lesson: tuple | None = None) -> int:
    """The window on the demo set, then on ``path`` when given, as File > Open would open it.

    A session (.npz) is restored; a lesson (.toml), a folder or .h5 file loads in the
    background with its progress bar. Either way its problems are shown in the window,
    where a user who started it from the desktop menu can see them. ``lesson``: (lesson, train,
    test) already read and loaded by the command line, which refused a bad one before any window.
    """
    if not has_display(qt_args):
        print("visualizer: error: no display to open the window on (DISPLAY is not set); "
              "run it from a desktop session, or under xvfb-run", file=sys.stderr)
        return 2
    try:
        train, test = load_data()
    except DataError as exc:
        print(f"visualizer: error: {exc}", file=sys.stderr)
        return 2
    app = make_app(qt_args)
    from visualizer.app.window.main_window import MainWindow

    window = MainWindow(train, test)
    window.show()
    window.fit_to_screen()  # after show: a first show lays the docks out at their preferred sizes
    report_errors_in(window)
    # Ctrl+C in the terminal closes the window the normal way (asking first if work is unsaved);
    # the window's redraw timer hands Python the control it needs to see the signal.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    if lesson is not None:
        window.apply_lesson(*lesson)
    elif path is not None:
        suffix = Path(path).suffix.lower()
        (window.open_session if suffix == ".npz" else window.open_lesson_file if suffix == ".toml"
         else window.load)(path)
    return app.exec()
