"""Starting the window: the display check, the Qt application and the data, then the window on them."""

from __future__ import annotations

import contextlib
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from visualizer.app.common.application import has_display, make_app
from visualizer.app.window.main_window import MainWindow
from visualizer.data import DataError, load_data


def report_errors_in(window) -> None:
    """A bug in a slot or an override is printed and shown in the window; the app carries on."""

    def hook(kind, exc, tb):
        traceback.print_exception(kind, exc, tb)
        with contextlib.suppress(RuntimeError):  # the window may already be gone
            window.notice.show_message(f"Something went wrong ({kind.__name__}: {exc}). The run is kept; "
                                       "save the session to be safe.", "error")

    sys.excepthook = hook


def launch(path: str | None = None, qt_args: Sequence[str] = (), lesson: tuple | None = None,
           test_fraction: float | None = None) -> int:
    """The window on the demo set, then on ``path`` when given, as File > Open would open it.

    A session (.npz) is restored; a lesson (.toml), a folder or .h5 file loads in the
    background with its progress bar. Either way its problems are shown in the window,
    where a user who started it from the desktop menu can see them. ``lesson``: (lesson, train,
    test) already read and loaded by the command line, which refused a bad one before any window.
    ``test_fraction``: the part of ``path``'s data held out as a test set (None: the usual 0.2).
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
         else lambda p: window.load(p, test_fraction))(path)
    return app.exec()
