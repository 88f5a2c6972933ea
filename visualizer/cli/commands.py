"""The command line: the window on a PATH, `visualizer train` printing what the course's notebook prints, and more.

Every mistake in the input becomes one line on stderr and exit code 2, never a traceback.
Arguments are read and checked by the constraint table (visualizer.model.constraints), and the run's
settings are built as a session's are (``RunSettings.from_dict``). A
closed pipe (``| head``) ends the program quietly, as for any Unix tool.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from pathlib import Path

from visualizer.cli import desktop
from visualizer.cli.args import UsageError, build_parser, route, window_path_problem
from visualizer.cli.check_lesson import check_lessons
from visualizer.cli.interrupts import CtrlC
from visualizer.cli.output import Progress, one_line, quote_path
from visualizer.cli.train import check_writable, settings_from_flags, train
from visualizer.core import sigmoid
from visualizer.core.blas import share_cores
from visualizer.data import DataError, ImageError, load_image
from visualizer.formats import animation_frames as af
from visualizer.formats.animation_frames import Cancelled
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data
from visualizer.formats.model_files import load_model
from visualizer.formats.storage import StorageError
from visualizer.fs.files import file_kind_problem
from visualizer.model.panels import SCREENSHOT_VIEWS

EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 2, 130, 141  # 141: killed by SIGPIPE, as other tools

def run_cli(argv: list[str]) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        _quiet()
        return EXIT_BROKEN_PIPE


def _quiet() -> None:
    """Point stdout and stderr at /dev/null, so the exit flush cannot complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptors (an embedding host)
        pass


def _run(argv: list[str]) -> int:
    share_cores()
    try:
        invocation = route(argv)
        if invocation.command is None:
            return _window(invocation.path, invocation.qt_args, invocation.test_fraction)
        args = build_parser().parse_args(invocation.argv)
        if args.command is None:
            raise UsageError("choose a command: train, predict, screenshot, animate, check-lesson or "
                             "install-desktop (or a PATH to open)")
        if args.command in ("screenshot", "animate"):
            with CtrlC() as pressed:  # from here on Qt may be loaded or drawing: Ctrl+C only sets a flag
                return (_screenshot if args.command == "screenshot" else _animate)(args, invocation.qt_args, pressed)
        if args.command == "check-lesson":
            return check_lessons(args.lessons)
        if args.command == "install-desktop":
            return _install_desktop(args.uninstall)
        if args.command == "predict":
            return _predict(args)
        return train(args)
    except (UsageError, DataError, StorageError, LessonError) as exc:
        print(f"visualizer: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, Cancelled):  # Cancelled: Ctrl+C noted while Qt drew (visualizer.cli.interrupts)
        print("visualizer: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _predict(args) -> int:
    model = load_model(args.model)
    failed = 0
    for path in args.images:
        try:
            problem = file_kind_problem(path)
            if problem:
                raise ImageError(problem)
            x = load_image(path, model.n_px).reshape(-1) / 255.0
        except ImageError as exc:
            print(f"visualizer: skipped {quote_path(path, sys.stderr)}: {one_line(str(exc))}", file=sys.stderr)
            failed += 1
            continue
        yhat = float(sigmoid(model.z(x.reshape(-1, 1)))[0])  # logistic regression's or a network's z
        print(f"{quote_path(path)}\t{yhat:.6f}\t{one_line(model.classes[int(yhat > 0.5)], sys.stdout)}")
    return 1 if failed else 0


def _window(path: str | None, qt_args: list[str], test_fraction: float | None = None) -> int:
    """The window, on PATH when given; a PATH it cannot open is refused before any window appears.
    ``test_fraction``: the part of PATH's data held out (None: the table's default)."""
    if path is not None and (problem := window_path_problem(path)):
        raise UsageError(problem)
    opened = None
    if path is not None and Path(path).suffix.lower() == ".toml":
        lesson = load_lesson(path)  # a bad lesson, or data it cannot use, is refused here, before any window
        opened = (lesson, *load_lesson_data(lesson))
    from visualizer.app.window.launch import launch

    return launch(path, qt_args, opened, test_fraction)


#: Views that show the 3-D surface: only these need a display (OpenGL); the others draw off the screen without one.
GL_VIEWS = tuple(v.key for v in SCREENSHOT_VIEWS if v.gl)
#: What Qt's offscreen platform says of every window it cannot do (raise, size hints): not the user's business.
OFFSCREEN_NOTES = ("does not support propagateSizeHints", "does not support raise()")


def _display_for(command: str, view: str, qt_args: list[str]) -> list[str]:
    """Qt's options for drawing ``view``: without a display, a 2-D view is drawn by Qt's offscreen platform."""
    from visualizer.app.common.application import has_display

    if has_display(qt_args):
        return qt_args
    if view in GL_VIEWS:
        raise UsageError(f"{command} --view {view} needs a display for the 3-D view (OpenGL); run it under "
                         f"xvfb-run, or choose a 2-D --view such as contours")
    import atexit

    from PySide6.QtCore import qInstallMessageHandler

    def drop_offscreen_notes(kind, context, message: str) -> None:
        if not any(note in message for note in OFFSCREEN_NOTES):
            print(message, file=sys.stderr)

    qInstallMessageHandler(drop_offscreen_notes)
    atexit.register(qInstallMessageHandler, None)  # Qt's own again before Python goes: a late log crashed
    return [*qt_args, "-platform", "offscreen"]


def _screenshot(args, qt_args: list[str], pressed: CtrlC) -> int:
    qt_args = _display_for("screenshot", args.view, qt_args)
    check_writable(args.out)
    lesson = _screenshot_lesson(args)
    iterations = 2000 if args.iterations is None else args.iterations
    with _training_progress() as training:
        from visualizer.app.common.application import make_app
        from visualizer.app.export.screenshot import render_screenshot
        from visualizer.app.window.main_window import MainWindow

        make_app(qt_args)  # Qt's options take effect here; render_screenshot uses this application
        render_screenshot(MainWindow, args.out, args.data, iterations, settings_from_flags(args, "alpha"), args.size,
                          args.view, lesson, progress=training, cancelled=pressed, test_fraction=args.test_fraction,
                          theme=args.theme)
    return 0


def _animate(args, qt_args: list[str], pressed: CtrlC) -> int:
    """Everything that can be checked is checked before the run is trained: one line and exit 2."""
    problem = af.format_problem(args.out, args.fps) or (
        af.video_problem() if args.out.lower().endswith(".mp4") else None)
    if problem:
        raise UsageError(problem)
    lesson = _screenshot_lesson(args)
    if lesson is not None and lesson.iterations == 0 and args.iterations is None:
        lesson = replace(lesson, iterations=2000)  # a lesson that starts at iteration 0: its first 2000
    iterations = lesson.iterations if lesson else 2000 if args.iterations is None else args.iterations
    if iterations == 0:
        raise UsageError("argument --iterations: nothing to animate when no iterations are trained first")
    stop = iterations if args.stop is None else args.stop
    if stop > iterations:
        raise UsageError(f"argument --to: iteration {stop} is beyond the {iterations} trained first (--iterations)")
    try:
        count = af.frame_count(args.start, stop, args.frames, args.every, args.log_spacing)
    except af.AnimationError as exc:
        raise UsageError(str(exc)) from None
    qt_args = _display_for("animate", args.view, qt_args)
    check_writable(args.out)
    bar = af.TerminalBar(count)
    try:
        with _training_progress() as training:
            from visualizer.app.common.application import make_app
            from visualizer.app.export.animation import render_animation
            from visualizer.app.window.main_window import MainWindow

            make_app(qt_args)
            render_animation(MainWindow, args.out, args.data, iterations, settings_from_flags(args, "alpha"), args.size,
                             args.view, args.fps, args.frames, args.every, args.log_spacing, args.start, stop,
                             bar.update, lesson, training=training, cancelled=pressed,
                             test_fraction=args.test_fraction)
    except af.AnimationError as exc:
        raise UsageError(str(exc)) from None
    finally:
        bar.close()
    return 0


@contextlib.contextmanager
def _training_progress():
    """``progress(done, total)`` for the iterations a picture is trained first: a line on stderr every few
    seconds once they take that long (100,000 Adam iterations of a lesson on batches of one take minutes),
    timed from the first burst of training, not from the start of the program."""
    shown: list[Progress] = []

    def update(done: int, total: int) -> None:
        if not shown:
            shown.append(Progress(total))
        shown[0].update(done)

    try:
        yield update
    finally:
        for progress in shown:
            progress.close()


def _screenshot_lesson(args):
    """The lesson of --lesson, with --iterations and --alpha in place of its own when they are given."""
    if args.lesson is None:
        return None
    if args.data is not None:
        raise UsageError("argument --data: a lesson names its own data; leave out --data with --lesson")
    if args.test_fraction is not None:
        raise UsageError("argument --test-fraction: a lesson names its own test fraction; leave it out with --lesson")
    lesson = load_lesson(args.lesson)
    if args.alpha is not None:
        lesson = replace(lesson, settings=settings_from_flags(args, "alpha", lesson.settings))
    return lesson if args.iterations is None else replace(lesson, iterations=args.iterations)


def _install_desktop(uninstall: bool) -> int:
    try:
        changed, left = desktop.uninstall() if uninstall else (desktop.install(), [])
    except desktop.DesktopError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{exc.filename or 'the menu entry'}: {exc.strerror or exc}") from None
    verb = "removed" if uninstall else "wrote"
    for path in changed:
        print(f"{verb} {quote_path(path)}")
    if uninstall and not changed:
        print(f"nothing to remove: no menu entry of install-desktop at {quote_path(desktop.desktop_file())}")
    for path in left:
        print(f"left {quote_path(path)}: not written by install-desktop")
    return 0
