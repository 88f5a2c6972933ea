"""The command line: the window on a PATH, `visualizer train` printing what the course's notebook prints, and more.

Every mistake in the input becomes one line on stderr and exit code 2, never a traceback.
Arguments are checked by the same functions as session files (visualizer.model.settings). A
closed pipe (``| head``) ends the program quietly, as for any Unix tool.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from visualizer.cli.args import UsageError, build_parser, route, window_path_problem
from visualizer.cli.check_lesson import check_lessons
from visualizer.cli.output import Progress, json_safe, one_line, quote_path
from visualizer.core import GradientDescent, sigmoid
from visualizer.core.analysis.verdicts import SHORT, run_verdict
from visualizer.core.engine.gradient_descent import CHUNK
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import DataError, Dataset, ImageError, Skipped, load_data, load_image
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data
from visualizer.formats.storage import StorageError, load_model, save_model
from visualizer.fs.atomic import atomic_write
from visualizer.fs.files import file_kind_problem
from visualizer.model.settings import check_together

EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 2, 130, 141  # 141: killed by SIGPIPE, as other tools
#: Training goes in calls of a multiple of the engine's CHUNK, so the arithmetic is that of one call.
STEP_SECONDS = 0.25


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
    try:
        invocation = route(argv)
        if invocation.command is None:
            return _window(invocation.path, invocation.qt_args)
        args = build_parser().parse_args(invocation.argv)
        if args.command is None:
            raise UsageError("choose a command: train, predict, screenshot, animate, check-lesson or "
                             "install-desktop (or a PATH to open)")
        if args.command == "screenshot":
            return _screenshot(args, invocation.qt_args)
        if args.command == "animate":
            return _animate(args, invocation.qt_args)
        if args.command == "check-lesson":
            return check_lessons(args.lessons)
        if args.command == "install-desktop":
            return _install_desktop(args.uninstall)
        if args.command == "predict":
            return _predict(args)
        return _train(args)
    except (UsageError, DataError, StorageError, LessonError) as exc:
        print(f"visualizer: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
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
        yhat = float(sigmoid(np.array(model.z(x))))
        print(f"{quote_path(path)}\t{yhat:.6f}\t{one_line(model.classes[int(yhat > 0.5)], sys.stdout)}")
    return 1 if failed else 0


def _window(path: str | None, qt_args: list[str]) -> int:
    """The window, on PATH when given; a PATH it cannot open is refused before any window appears."""
    if path is not None and (problem := window_path_problem(path)):
        raise UsageError(problem)
    opened = None
    if path is not None and Path(path).suffix.lower() == ".toml":
        lesson = load_lesson(path)  # a bad lesson, or data it cannot use, is refused here, before any window
        opened = (lesson, *load_lesson_data(lesson))
    from visualizer.app.window.launch import launch

    return launch(path, qt_args, opened)


#: Views that show the 3-D surface: only these need a display (OpenGL); the others draw off the screen without one.
GL_VIEWS = ("window", "surface")
#: What Qt's offscreen platform says of every window it cannot do (raise, size hints): not the user's business.
OFFSCREEN_NOTES = ("does not support propagateSizeHints", "does not support raise()")


def _display_for(command: str, view: str, qt_args: list[str]) -> list[str]:
    """Qt's options for drawing ``view``: without a display, a 2-D view is drawn by Qt's offscreen platform."""
    from visualizer.app.window.launch import has_display

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


def _screenshot(args, qt_args: list[str]) -> int:
    qt_args = _display_for("screenshot", args.view, qt_args)
    _check_writable(args.out)
    lesson = _screenshot_lesson(args)
    from visualizer.app.export.screenshot import render_screenshot
    from visualizer.app.window.launch import make_app

    make_app(qt_args)  # Qt's options take effect here; render_screenshot uses this application
    render_screenshot(args.out, args.data, 2000 if args.iterations is None else args.iterations,
                      0.005 if args.alpha is None else args.alpha, args.size, args.view, lesson)
    return 0


def _animate(args, qt_args: list[str]) -> int:
    """Everything that can be checked is checked before the run is trained: one line and exit 2."""
    from visualizer.formats import animation_frames as af

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
        count = len(af.frame_iterations(args.start, stop, args.frames, args.every, args.log_spacing))
    except af.AnimationError as exc:
        raise UsageError(str(exc)) from None
    qt_args = _display_for("animate", args.view, qt_args)
    _check_writable(args.out)
    from visualizer.app.export.animation import render_animation
    from visualizer.app.window.launch import make_app

    make_app(qt_args)
    bar = af.TerminalBar(count)
    try:
        render_animation(args.out, args.data, iterations, 0.005 if args.alpha is None else args.alpha, args.size,
                         args.view, args.fps, args.frames, args.every, args.log_spacing, args.start, stop,
                         bar.update, lesson)
    except af.AnimationError as exc:
        raise UsageError(str(exc)) from None
    finally:
        bar.close()
    return 0


def _screenshot_lesson(args):
    """The lesson of --lesson, with --iterations and --alpha in place of its own when they are given."""
    if args.lesson is None:
        return None
    if args.data is not None:
        raise UsageError("argument --data: a lesson names its own data; leave out --data with --lesson")
    lesson = load_lesson(args.lesson)
    if args.alpha is not None:
        lesson = replace(lesson, settings=replace(lesson.settings, alpha=args.alpha))
    return lesson if args.iterations is None else replace(lesson, iterations=args.iterations)


def _install_desktop(uninstall: bool) -> int:
    from visualizer.cli import desktop

    try:
        changed = desktop.uninstall() if uninstall else desktop.install()
    except desktop.DesktopError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{exc.filename or 'the menu entry'}: {exc.strerror or exc}") from None
    verb = "removed" if uninstall else "wrote"
    for path in changed:
        print(f"{verb} {path}")
    if uninstall and not changed:
        print(f"nothing to remove: no menu entry at {desktop.desktop_file()}")
    return 0


def _train(args) -> int:
    for given in (args.train, args.test):
        if given is not None and (problem := file_kind_problem(given, folder_ok=True)):
            raise UsageError(f"{given}: {problem}")  # a FIFO would block before the data package could say so
    train, test = load_data(args.train, args.test, positive=args.positive, n_px=args.n_px,
                            test_fraction=args.test_fraction, seed=args.seed)
    _report_skipped(train.skipped + (test.skipped if test else []))
    if (test is None and args.test is None and args.test_fraction > 0) or (test is not None and test.m == 0):
        what = "too few examples to hold out a test set" if args.test is None else f"{args.test} has no examples"
        print(f"visualizer: note: {one_line(what)}; reporting training figures only", file=sys.stderr)
        test = None
    for out in (args.json, args.save):
        if out:
            _check_writable(out)
    optimizer = _optimizer(args, train.m)
    runs = []
    for alpha in args.alpha:
        if len(args.alpha) > 1:
            print(f"learning rate is: {alpha}")
        summary, gd = _one_run(train, test, alpha, args, optimizer)
        runs.append(summary)
        if len(args.alpha) > 1:
            print("-" * 55)
    if len(runs) > 1:
        _print_table(runs)
    if args.json:
        _write_json(args.json, train, test, runs)
    if args.save:
        save_model(args.save, gd.w, gd.b, train.n_px, train.classes, gd.history.alpha_changes, gd.metrics())
    return 0


def _optimizer(args, m: int) -> Optimizer:
    """The flags' optimizer; B <= m is checked here, where m is known."""
    settings = {"decay": args.decay, "decay_kind": args.decay_kind}
    try:
        check_together(settings)
    except ValueError as exc:
        raise UsageError(f"argument --decay: {exc}") from None
    if args.batch_size is not None and args.batch_size > m:
        raise UsageError(f"argument --batch-size: the batch size must be at most the number of training "
                         f"examples m = {m}, not {args.batch_size}")
    return Optimizer(kind=args.optimizer, batch_size=args.batch_size, beta=args.beta, beta1=args.beta1,
                     beta2=args.beta2, epsilon=args.epsilon, lam=args.lam, decay=args.decay,
                     decay_kind=args.decay_kind)


def _one_run(train: Dataset, test: Dataset | None, alpha: float, args, optimizer: Optimizer
             ) -> tuple[dict, GradientDescent]:
    """One α. A mini-batch run prints the full J_reg every K iterations (the metrics, at that stride);
    batch descent prints the cost of every K-th iteration, which is that same full J."""
    started = time.perf_counter()
    mini = optimizer.batch(train.m) < train.m
    gd = GradientDescent(
        train.X, train.Y, alpha=alpha, loss=args.loss, init=args.init, seed=args.seed,
        X_test=None if test is None else test.X, Y_test=None if test is None else test.Y,
        metric_stride=args.print_every if mini else max(args.iterations, 1), optimizer=optimizer,
    )
    _steps(gd, args.iterations, f"alpha {alpha:g}: " if len(args.alpha) > 1 else "")
    seconds = time.perf_counter() - started
    if mini:
        its, printed = gd.history.metric("train_cost", max(gd.iteration - 1, 0))
        its = its.astype(int)
    else:
        printed = gd.history.costs.values[:: args.print_every]
        its = range(0, len(gd.history.costs), args.print_every)
    for i, cost in zip(its, printed, strict=False):
        print(f"Cost after iteration {i}: {cost:f}")
    if gd.iteration < args.iterations:
        print(f"stopped at iteration {gd.iteration}: with alpha = {alpha:g} the next step overflows")
    m, verdict = gd.metrics(), run_verdict(gd)
    print(f"what J did: {verdict.sentence()}")
    print(f"train accuracy: {m['train_accuracy']} %")
    if test is not None:
        print(f"test accuracy: {m['test_accuracy']} %")
    return {
        "alpha": alpha,
        "iterations": gd.iteration,
        "costs": [float(c) for c in printed],
        "final_cost": m["train_cost"],
        "train_accuracy": m["train_accuracy"],
        "test_accuracy": m["test_accuracy"],
        "diverged": verdict.diverged,
        "verdict": {"kind": verdict.kind, "sentence": verdict.sentence(), "start_cost": verdict.start,
                    "highest_cost": verdict.peak, "highest_at": verdict.peak_at, "rises": verdict.rises,
                    "not_finite_at": verdict.not_finite_at},
        "train_seconds": seconds,
        "settings": {"alpha": alpha, "iterations": args.iterations, "print_every": args.print_every,
                     "loss": args.loss, "init": args.init, "seed": args.seed, **optimizer.to_dict(),
                     "batch_size_used": optimizer.batch(train.m)},
        "method": gd.method,
        "path_reason": gd.path_reason,
        "printed_costs": "full J_reg at the stride (mini-batches)" if mini else "J_reg of each printed iteration",
    }, gd


def _steps(gd: GradientDescent, n: int, label: str) -> None:
    """n iterations in calls of about STEP_SECONDS, showing progress on long runs."""
    progress = Progress(n, label)
    chunk, target = CHUNK, gd.iteration + n
    try:
        while gd.iteration < target:
            started = time.perf_counter()
            want = min(chunk, target - gd.iteration)
            if gd.step(want) < want:
                break  # the next step would overflow
            progress.update(gd.iteration - (target - n))
            took = time.perf_counter() - started
            if took < STEP_SECONDS / 2:
                chunk *= 2
            elif took > 2 * STEP_SECONDS and chunk > CHUNK:
                chunk //= 2
    finally:
        progress.close()


def _report_skipped(skipped: list[Skipped]) -> None:
    for s in skipped[:10]:
        print(f"visualizer: skipped {quote_path(s.path, sys.stderr)}: {one_line(s.reason)}", file=sys.stderr)
    if len(skipped) > 10:
        print(f"visualizer: ... and {len(skipped) - 10} more skipped files (--json lists them all)", file=sys.stderr)


def _print_table(runs: list[dict]) -> None:
    print(f"{'alpha':>10}  {'final cost':>12}  {'train accuracy':>15}  {'test accuracy':>14}  what J did")
    for r in runs:
        test = "-" if r["test_accuracy"] is None else f"{r['test_accuracy']:.7g} %"
        v = r["verdict"]
        peak = f" (highest {v['highest_cost']:.3g} at iteration {v['highest_at']})" if v["kind"] == "unstable" else ""
        print(f"{r['alpha']:>10g}  {r['final_cost']:>12.6f}  {r['train_accuracy']:>13.7g} %  {test:>14}  "
              f"{SHORT[v['kind']]}{peak}")


def _check_writable(path: str) -> None:
    """Before a long run: the folder exists and the name is not taken by a folder."""
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise UsageError(f"{path}: its folder {parent} does not exist")
    if Path(path).is_dir():
        raise UsageError(f"{path}: is a folder, not a file")


def _write_json(path: str, train: Dataset, test: Dataset | None, runs: list[dict]) -> None:
    doc = {
        "data": {
            "n_x": train.n_x,
            "m_train": train.m,
            "m_test": 0 if test is None else test.m,
            "classes": list(train.classes),
            "skipped": [{"path": s.path, "reason": s.reason} for s in train.skipped + (test.skipped if test else [])],
        },
        "runs": runs,
    }
    text = json.dumps(json_safe(doc), indent=2, allow_nan=False) + "\n"
    atomic_write(path, lambda f: f.write(text), binary=False)

