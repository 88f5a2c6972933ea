"""The command line's grammar: the subcommands, `visualizer [PATH]` for the window, and Qt's own options.

A desktop starts programs as `visualizer FILE` (the .desktop entry's ``Exec=... %f``), so a
bare PATH opens the window; Qt's options (``-style fusion``, ``-platform offscreen``,
``-reverse``) are single-dash words argparse would refuse, so they are set aside for
QApplication before argparse sees the rest.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from visualizer import __version__
from visualizer.core.optim.registry import HYPERS, SPECS
from visualizer.data.planar import PLANAR_SETS, PREFIX, is_planar
from visualizer.fs.files import file_kind_problem
from visualizer.model import panels
from visualizer.model.constraints import TABLE, parse
from visualizer.model.themes import PICTURE_THEMES

COMMANDS = ("train", "predict", "screenshot", "animate", "check-lesson", "install-desktop")
QT_COMMANDS = ("screenshot", "animate")  # the commands that make a QApplication, besides the window
WINDOW_SUFFIXES = (".h5", ".hdf5", ".csv", ".npz", ".toml")
#: Data the window opens: these also take --test-fraction (a session or a lesson has its own).
WINDOW_DATA_SUFFIXES = (".h5", ".hdf5", ".csv")
SCREENSHOT_VIEWS = tuple(v.key for v in panels.SCREENSHOT_VIEWS)
ANIMATE_VIEWS = tuple(v.key for v in panels.ANIMATED_VIEWS)
#: Qt's options that take the next word as their value (QGuiApplication and QApplication docs).
QT_VALUE_OPTIONS = frozenset({"-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qwindowgeometry",
                              "-qwindowicon", "-qwindowtitle", "-style", "-stylesheet", "-display", "-geometry",
                              "-session"})
# A dash and a word of two or more letters: -h and negative numbers (-1, -1e-3) stay argparse's.
_QT_OPTION = re.compile(r"-[A-Za-z][A-Za-z0-9_-]+(=.*)?", re.DOTALL)


class UsageError(Exception):
    """Bad input from the user: shown as one line, exit code 2."""


@dataclass
class Invocation:
    """What to run: ``command`` None is the window (on ``path``, or the demo set); ``argv`` goes to argparse."""

    command: str | None
    path: str | None = None
    qt_args: list[str] = field(default_factory=list)
    argv: list[str] = field(default_factory=list)
    test_fraction: float | None = None  #: the window's --test-fraction F, as `train` takes it


def split_qt_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """(Qt's options with their values, the rest); after ``--`` nothing is Qt's."""
    qt, rest = [], []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if _QT_OPTION.fullmatch(arg):
            qt.append(arg)
            if "=" not in arg and arg in QT_VALUE_OPTIONS:
                if i + 1 == len(argv):
                    raise UsageError(f"Qt's option {arg} needs a value")
                i += 1
                qt.append(argv[i])
        else:
            rest.append(arg)
        i += 1
    return qt, rest


def route(argv: list[str]) -> Invocation:
    """The window, a subcommand or argparse's own options (--help, --version), from the words given."""
    if argv and argv[0] in COMMANDS and argv[0] not in QT_COMMANDS:
        return Invocation(argv[0], argv=argv)  # `train --alpha -inf` keeps its -inf
    qt, rest = split_qt_args(argv)
    if rest and rest[0] in COMMANDS:
        if qt and rest[0] not in QT_COMMANDS:
            raise UsageError(f"Qt's option {qt[0]} is for the window and screenshot, not {rest[0]}")
        return Invocation(rest[0], qt_args=qt, argv=rest)
    rest, test_fraction = _window_test_fraction(rest)
    if test_fraction is not None:
        paths = rest[1:] if rest[:1] == ["--"] else rest
        if len(paths) != 1 or rest[:1] != ["--"] and paths[0].startswith("-"):
            raise UsageError("the window takes --test-fraction F with one data PATH (a folder, .h5, .csv or "
                             "planar:NAME)")
        path = paths[0]
        if not (is_planar(path) or Path(path).is_dir() or Path(path).suffix.lower() in WINDOW_DATA_SUFFIXES):
            raise UsageError(f"{path}: --test-fraction applies to data, not to a session or a lesson, which "
                             "hold their own")
        return Invocation(None, path, qt, test_fraction=test_fraction)
    if rest[:1] == ["--"]:
        paths = rest[1:]
    elif rest[:1] == ["--lesson"] or rest[:1] and rest[0].startswith("--lesson="):
        return Invocation(None, _window_lesson(rest), qt)
    elif any(p.startswith("-") for p in rest):
        return Invocation("options", qt_args=qt, argv=rest)
    else:
        paths = rest
    if len(paths) > 1:
        raise UsageError(f"the window opens one PATH, not {len(paths)}; commands are {', '.join(COMMANDS)}")
    return Invocation(None, paths[0] if paths else None, qt)


def _window_test_fraction(rest: list[str]) -> tuple[list[str], float | None]:
    """The words without `--test-fraction F` (or `--test-fraction=F`), and F read by the constraint table."""
    for i, word in enumerate(rest):
        if word == "--":
            break
        if word == "--test-fraction" or word.startswith("--test-fraction="):
            text = word.split("=", 1)[1] if "=" in word else rest[i + 1] if i + 1 < len(rest) else None
            if text is None:
                raise UsageError("argument --test-fraction: expected one argument")
            try:
                value = parse("test_fraction", text)
            except ValueError as exc:
                raise UsageError(f"argument --test-fraction: {exc}") from None
            return rest[:i] + rest[i + (1 if "=" in word else 2):], value
    return rest, None


def _window_lesson(rest: list[str]) -> str:
    """The LESSON.toml of `visualizer --lesson LESSON.toml`, as screenshot and animate take it."""
    words = [*rest[0].split("=", 1)[1:], *rest[1:]]
    if len(words) != 1:
        raise UsageError("the window takes --lesson LESSON.toml" + (" and nothing else" if words else ""))
    if Path(words[0]).suffix.lower() != ".toml":
        raise UsageError(f"{words[0]}: not a lesson file (.toml)")
    return words[0]


def window_path_problem(path: str) -> str | None:
    """Why the window cannot open ``path`` (one line naming it), or None: checked before any window exists."""
    if is_planar(path):
        name = path[len(PREFIX):]
        return None if name in PLANAR_SETS else (f"{path}: no such built-in 2-D set; choose "
                                                 + ", ".join(PREFIX + n for n in PLANAR_SETS))
    problem = file_kind_problem(path, folder_ok=True)
    p = Path(path)
    if problem is None and not os.access(path, os.R_OK | (os.X_OK if p.is_dir() else 0)):
        problem = "permission denied"
    if problem is None and not p.is_dir() and p.suffix.lower() not in WINDOW_SUFFIXES:
        problem = "not a folder of images, a course .h5 file, 2-D points (.csv), a session .npz, nor a lesson .toml"
    if problem is not None and not p.exists() and (close := difflib.get_close_matches(path, COMMANDS, n=1)):
        problem += f" (did you mean the command {close[0]}?)"
    return None if problem is None else f"{path}: {problem}"


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A word that starts with a dash and then a digit, a point or inf/nan is a value, never an option:
        # `--epsilon -1e-8` and `--size -320x240` are then told the value must be positive.
        self._negative_number_matcher = re.compile(r"-(\d|\.\d|inf|nan)", re.IGNORECASE)

    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(message)


def _setting(key: str):
    """An argparse type from the constraint table: the text read into the setting's type, then checked."""
    def read(text: str):
        try:
            return parse(key, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    read.__name__ = key  # argparse names the type in some messages
    return read


def add_setting(group, key: str, help_before: str | None = None, **kwargs) -> None:
    """One flag of the constraint table: its flag, type, metavar, default and help (what it is and its range)."""
    c = TABLE[key]
    kwargs.setdefault("default", c.default)
    default = kwargs.pop("help_default", kwargs["default"])  # what a None default (left to the table) means
    shown = default[0] if isinstance(default, list) else default
    said = f" (default: {c.none})" if shown is None and c.none else "" if shown is None else f" (default {shown})"
    used = f" ({', '.join(c.applies)})" if c.applies else ""
    group.add_argument(c.flag, dest=kwargs.pop("dest", key), type=_setting(key),
                       metavar=c.metavar or "|".join(c.choices),
                       help=f"{help_before or c.help}{used}; {c.rule()}{said}", **kwargs)


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


def _path(text: str) -> str:
    """A file or folder name: an empty one was ignored (--save '' saved nothing, silently) or said ': no such file'."""
    if not text:
        raise argparse.ArgumentTypeError(f"{text!r} is no file name")
    return text


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x800") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"the width and the height must be positive, not {text}")
    if not (320 <= w <= 8192 and 240 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"{text} is outside 320x240 .. 8192x8192")
    return w, h


def _fps(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= value <= 60:
        raise argparse.ArgumentTypeError(f"{text} is outside 1 .. 60")
    return value


def _animate_parser(sub) -> None:
    anim = sub.add_parser("animate", help="train, then save a stretch of the run as an animated GIF or MP4",
                          description="Train N iterations, then draw the window (or one panel) at iterations "
                                      "from --from to --to, replayed from the run's history, as a GIF or an MP4.")
    anim.add_argument("out", metavar="OUT.gif|OUT.mp4", type=_path,
                      help="where to write it (.mp4 needs the video extra)")
    anim.add_argument("--data", metavar="PATH", type=_path,
                      help="data set, such as planar:flower (default: the demo set)")
    add_setting(anim, "test_fraction", default=None, help_default=TABLE["test_fraction"].default)
    anim.add_argument("--lesson", metavar="LESSON.toml", type=_path,
                      help="set the window up as this lesson file does: data, settings, panels, first iterations")
    add_setting(anim, "budget", "iterations to train first (2000, or the lesson's own when it runs some)",
                dest="iterations", default=None)
    add_setting(anim, "alpha", "learning rate (0.005, or the lesson's own)", default=None)
    anim.add_argument("--view", choices=list(ANIMATE_VIEWS), default="window", help="what to draw (window)")
    anim.add_argument("--size", metavar="WxH", type=_size, default=(1280, 800),
                      help="frame size: the window, or the panel alone (1280x800)")
    anim.add_argument("--fps", metavar="F", type=_fps, default=15.0, help="frames per second (15; a GIF at most 50)")
    anim.add_argument("--from", dest="start", metavar="I", type=_count(0), default=0, help="first iteration (0)")
    anim.add_argument("--to", dest="stop", metavar="J", type=_count(1), default=None, help="last iteration (N)")
    anim.add_argument("--frames", metavar="K", type=_count(2), default=None, help="how many frames (100)")
    anim.add_argument("--log-spacing", action="store_true",
                      help="space the frames on a log scale: more of them early, where the cost falls fastest")
    anim.add_argument("--every", metavar="S", type=_count(1), default=None,
                      help="one frame every S iterations, instead of --frames")


def version() -> str:
    """The installed distribution's version; a checkout that was never installed has only __version__."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("visualizer")
    except PackageNotFoundError:
        return __version__


USAGE = """visualizer [QT OPTIONS] [PATH [--test-fraction F] | --lesson LESSON.toml]
       visualizer COMMAND ...  (COMMAND --help for its options)"""
DESCRIPTION = """Logistic regression as a one-neuron network, made visible.

Without a COMMAND, visualizer opens the window on PATH: a folder of images, a course .h5
file, 2-D points (planar:NAME or a .csv of x1,x2,y), a session (.npz) saved by the window or
a lesson file (.toml, see docs/lessons.md); without PATH, on the built-in demo set. Data
take --test-fraction F as `train` does (0: no held-out part, as the course trains on its
flower). --lesson LESSON.toml opens a lesson file as PATH does.
Qt's own options (-style fusion, -platform offscreen, -reverse, ...) go to Qt."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="visualizer", usage=USAGE, description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"visualizer {version()}")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND", parser_class=_Parser,
                                prog="visualizer")
    train = sub.add_parser("train", help="train from the command line and print the course's figures")
    train.add_argument("train", metavar="TRAIN", nargs="?", type=_path,
                       help="training data: a course .h5 file, a folder of images, 2-D points as planar:NAME ("
                            + ", ".join(PLANAR_SETS) + ") or a .csv of x1,x2,y (default: the demo set)")
    train.add_argument("--test", metavar="TEST", type=_path,
                       help="test data (default: test_*.h5 beside train_*.h5, a test/ folder beside train/, "
                            "or a held-out part of TRAIN)")
    train.add_argument("--positive", metavar="NAME", help="the class that counts as y = 1 (default: cat, yes, ...)")
    add_setting(train, "n_px")
    add_setting(train, "test_fraction")
    add_setting(train, "alpha", "learning rate(s); several run side by side from the same start", nargs="+",
                default=[TABLE["alpha"].default])
    add_setting(train, "budget", "iterations", dest="iterations", default=2000)
    train.add_argument("--print-every", metavar="K", type=_count(1), default=100,
                       help="print the cost every K iterations (default 100)")
    for key in ("init", "seed", "loss"):
        add_setting(train, key)
    add_setting(train, "seeds")
    model = train.add_argument_group("model", "a network with hidden layers (default: none, logistic regression)")
    add_setting(model, "hidden", "comma-separated hidden layer sizes, e.g. 4 or 20,7,5; none is logistic regression",
                default=None)
    add_setting(model, "activation", default=None, help_default=TABLE["activation"].default)
    add_setting(model, "init_scale", default=None, help_default=TABLE["init_scale"].default)
    opt = train.add_argument_group("optimizer", "how each iteration steps (defaults: the course's batch descent)")
    add_setting(opt, "optimizer", "how each step uses the gradient: "
                + "; ".join(f"{key}: {spec.rule}" for key, spec in SPECS.items()))
    for key in ("batch_size", *HYPERS, "lam", "decay", "decay_kind"):
        add_setting(opt, key)
    train.add_argument("--json", metavar="PATH", type=_path, help="also write the results as JSON")
    train.add_argument("--save", metavar="MODEL.npz", type=_path, help="save the trained model (the last α's run)")

    predict = sub.add_parser("predict", help="classify images with a saved model")
    predict.add_argument("model", metavar="MODEL.npz", type=_path,
                         help="a model saved by the window or by train --save")
    predict.add_argument("images", metavar="IMAGE", nargs="+", type=_path, help="image files")

    shot = sub.add_parser("screenshot", help="train, then save the window or one panel as a PNG")
    shot.add_argument("out", metavar="OUT.png", type=_path, help="where to write the PNG")
    shot.add_argument("--data", metavar="PATH", type=_path,
                      help="data set, such as planar:flower (default: the demo set)")
    add_setting(shot, "test_fraction", default=None, help_default=TABLE["test_fraction"].default)
    shot.add_argument("--lesson", metavar="LESSON.toml", type=_path,
                      help="set the window up as this lesson file does: data, settings, panels, first iterations")
    add_setting(shot, "budget", "iterations first (2000, or the lesson's own)", dest="iterations", default=None)
    add_setting(shot, "alpha", "learning rate (0.005, or the lesson's own)", default=None)
    shot.add_argument("--size", metavar="WxH", type=_size, default=(1280, 800), help="window size (1280x800)")
    shot.add_argument("--view", choices=list(SCREENSHOT_VIEWS), default="window", help="what to capture")
    shot.add_argument("--theme", choices=PICTURE_THEMES, default=PICTURE_THEMES[0],
                      help=f"the window's colours ({PICTURE_THEMES[0]}, whatever the desktop's)")

    _animate_parser(sub)

    lessons = sub.add_parser("check-lesson", help="run lessons headless and check what they say the learner sees",
                             description="Run each lesson's settings on its data, without a display, and check "
                                         "each of its expectations (docs/lessons.md): one line each, with the "
                                         "values measured. Exit 0: all hold; 1: one fails; 2: a file cannot be "
                                         "read.")
    lessons.add_argument("lessons", metavar="LESSON.toml", nargs="+", type=_path, help="lesson files")

    desktop = sub.add_parser("install-desktop", help="add visualizer to the application menu (Linux desktops)",
                             description="Write a freedesktop.org menu entry and the icon under XDG_DATA_HOME "
                                         "(default ~/.local/share), starting this copy of visualizer.")
    desktop.add_argument("--uninstall", action="store_true", help="remove exactly what install-desktop wrote")
    return parser
