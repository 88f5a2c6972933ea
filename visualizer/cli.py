"""The command line: `visualizer train`, printing what the course's notebook prints.

Every mistake in the input becomes one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from .core import LOSSES, GradientDescent, sigmoid
from .data import DataError, Dataset, ImageError, Skipped, load_data, load_image
from .storage import StorageError, load_model, save_model

EXIT_USAGE = 2
SCREENSHOT_VIEWS = ("window", "surface", "cost", "gallery", "sigmoid", "weights", "image-vector",
                    "computation-graph", "vectorization", "convexity", "bowl")


class UsageError(Exception):
    """Bad input from the user: shown as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(message)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"the learning rate must be a positive number, not {text}")
    return value


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="visualizer", description="Logistic regression as a one-neuron network, made visible.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    train = sub.add_parser("train", help="train from the command line and print the course's figures")
    train.add_argument("train", metavar="TRAIN", nargs="?",
                       help="training data: a course .h5 file or a folder of images (default: the demo set)")
    train.add_argument("--test", metavar="TEST",
                       help="test data (default: test_*.h5 beside train_*.h5, a test/ folder beside train/, "
                            "or a held-out part of TRAIN)")
    train.add_argument("--positive", metavar="NAME", help="the class that counts as y = 1 (default: cat, yes, ...)")
    train.add_argument("--n-px", metavar="PX", type=_count(1), help="resize images to PX x PX (16..256, default 64)")
    train.add_argument("--test-fraction", metavar="F", type=float, default=0.2,
                       help="held-out fraction when there is no test set (default 0.2)")
    train.add_argument("--alpha", metavar="A", nargs="+", type=_positive_float, default=[0.005],
                       help="learning rate(s); several run side by side from the same start (default 0.005)")
    train.add_argument("--iterations", metavar="N", type=_count(0), default=2000, help="iterations (default 2000)")
    train.add_argument("--print-every", metavar="K", type=_count(1), default=100,
                       help="print the cost every K iterations (default 100)")
    train.add_argument("--init", choices=["zeros", "random"], default="zeros", help="initial w (default zeros)")
    train.add_argument("--seed", metavar="S", type=int, default=0,
                       help="seed for --init random and for the held-out split (default 0)")
    train.add_argument("--loss", choices=list(LOSSES), default="cross-entropy", help="loss (default cross-entropy)")
    train.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    train.add_argument("--save", metavar="MODEL.npz", help="save the trained model (the last α's run)")

    predict = sub.add_parser("predict", help="classify images with a saved model")
    predict.add_argument("model", metavar="MODEL.npz", help="a model saved by the window or by train --save")
    predict.add_argument("images", metavar="IMAGE", nargs="+", help="image files")

    shot = sub.add_parser("screenshot", help="train, then save the window or one panel as a PNG")
    shot.add_argument("out", metavar="OUT.png", help="where to write the PNG")
    shot.add_argument("--data", metavar="PATH", help="data set (default: the demo set)")
    shot.add_argument("--iterations", metavar="N", type=_count(0), default=2000, help="iterations first (2000)")
    shot.add_argument("--alpha", metavar="A", type=_positive_float, default=0.005, help="learning rate (0.005)")
    shot.add_argument("--size", metavar="WxH", type=_size, default=(1280, 800), help="window size (1280x800)")
    shot.add_argument("--view", choices=list(SCREENSHOT_VIEWS), default="window", help="what to capture")
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x800") from None
    if not (320 <= w <= 8192 and 240 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"{text} is outside 320x240 .. 8192x8192")
    return w, h


def run_cli(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("choose a command: train or screenshot (or no arguments for the window)")
        if args.command == "screenshot":
            return _screenshot(args)
        if args.command == "predict":
            return _predict(args)
        return _train(args)
    except (UsageError, DataError, StorageError) as exc:
        print(f"visualizer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("visualizer: interrupted", file=sys.stderr)
        return 130


def _predict(args) -> int:
    model = load_model(args.model)
    failed = 0
    for path in args.images:
        try:
            x = load_image(path, model.n_px).reshape(-1) / 255.0
        except ImageError as exc:
            print(f"visualizer: skipped {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        yhat = float(sigmoid(np.array(model.z(x))))
        print(f"{path}\t{yhat:.6f}\t{model.classes[int(yhat > 0.5)]}")
    return 1 if failed else 0


def _screenshot(args) -> int:
    from .app.launch import has_display

    if not has_display():
        raise UsageError("screenshot needs a display for OpenGL; run it under xvfb-run")
    _check_writable(args.out)
    from .app.screenshot import render_screenshot

    render_screenshot(args.out, args.data, args.iterations, args.alpha, args.size, args.view)
    return 0


def _train(args) -> int:
    train, test = load_data(args.train, args.test, positive=args.positive, n_px=args.n_px,
                            test_fraction=args.test_fraction, seed=args.seed)
    _report_skipped(train.skipped + (test.skipped if test else []))
    for out in (args.json, args.save):
        if out:
            _check_writable(out)
    runs = []
    for alpha in args.alpha:
        if len(args.alpha) > 1:
            print(f"learning rate is: {alpha}")
        summary, gd = _one_run(train, test, alpha, args)
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


def _one_run(train: Dataset, test: Dataset | None, alpha: float, args) -> tuple[dict, GradientDescent]:
    started = time.perf_counter()
    gd = GradientDescent(
        train.X, train.Y, alpha=alpha, loss=args.loss, init=args.init, seed=args.seed,
        X_test=None if test is None else test.X, Y_test=None if test is None else test.Y,
        metric_stride=max(args.iterations, 1),
    )
    gd.step(args.iterations)
    seconds = time.perf_counter() - started
    costs = gd.history.costs.values
    printed = costs[:: args.print_every]
    for i, cost in zip(range(0, len(costs), args.print_every), printed, strict=False):
        print(f"Cost after iteration {i}: {cost:f}")
    if gd.iteration < args.iterations:
        print(f"stopped at iteration {gd.iteration}: with alpha = {alpha:g} the next step overflows")
    m = gd.metrics()
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
        "diverged": gd.diverged_at is not None,
        "train_seconds": seconds,
    }, gd


def _report_skipped(skipped: list[Skipped]) -> None:
    for s in skipped[:10]:
        print(f"visualizer: skipped {s.path}: {s.reason}", file=sys.stderr)
    if len(skipped) > 10:
        print(f"visualizer: ... and {len(skipped) - 10} more skipped files (--json lists them all)", file=sys.stderr)


def _print_table(runs: list[dict]) -> None:
    print(f"{'alpha':>10}  {'final cost':>12}  {'train accuracy':>15}  {'test accuracy':>14}  diverged")
    for r in runs:
        test = "-" if r["test_accuracy"] is None else f"{r['test_accuracy']:.7g} %"
        print(f"{r['alpha']:>10g}  {r['final_cost']:>12.6f}  {r['train_accuracy']:>13.7g} %  {test:>14}  "
              f"{'yes' if r['diverged'] else 'no'}")


def _check_writable(path: str) -> None:
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise UsageError(f"{path}: its folder {parent} does not exist")


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
    text = json.dumps(doc, indent=2, allow_nan=False)
    try:
        Path(path).write_text(text + "\n")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None

