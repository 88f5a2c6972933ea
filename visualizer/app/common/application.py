"""The Qt application: the display check, its options, names and icon, and letting it draw."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from visualizer.core.blas import share_cores
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
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def app_icon() -> QIcon:
    """The icon at every size we ship, so each window and the task switcher get a sharp one."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)))
    return icon


def make_app(qt_args: Sequence[str] = ()) -> QApplication:
    """The QApplication, given Qt's own options (-style, -platform, ...), with our names and icon.

    The organisation name gives QSettings a home; the desktop file name lets Wayland
    match the window to the menu entry of `visualizer install-desktop`.
    """
    share_gl_contexts()
    share_cores()
    app = QApplication.instance() or QApplication([*(sys.argv[:1] or ["visualizer"]), *qt_args])
    app.setOrganizationName("visualizer")
    app.setApplicationName("visualizer")
    app.setDesktopFileName("visualizer")
    app.setWindowIcon(app_icon())
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    return app


def settle(seconds: float) -> None:
    """Let Qt lay out and draw (GL draws its first frames only from the event loop)."""
    deadline = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if time.monotonic() >= deadline:
            return
        time.sleep(0.02)
