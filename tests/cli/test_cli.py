"""The CLI as a user runs it: a real subprocess, its stdout, stderr and exit code."""

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import h5py
import numpy as np
import pytest

from tests.conftest import COURSE_DIR
from visualizer.cli.args import Invocation, UsageError, build_parser, route, window_path_problem
from visualizer.model.panels import SCREENSHOT_VIEWS


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.course
def test_course_figures_through_the_cli(course, tmp_path):
    out = run("train", str(COURSE_DIR / "train_catvnoncat.h5"), "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Cost after iteration 0: 0.693147"
    assert "Cost after iteration 100: 0.584508" in lines
    assert "Cost after iteration 1900: 0.140872" in lines
    assert "train accuracy: 99.04306220095694 %" in lines
    assert "test accuracy: 70.0 %" in lines
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["data"] == {"n_x": 12288, "m_train": 209, "m_test": 50, "classes": ["non-cat", "cat"], "skipped": []}
    (r,) = doc["runs"]
    assert r["iterations"] == 2000 and len(r["costs"]) == 20 and r["diverged"] is False
    assert r["test_accuracy"] == 70.0 and r["train_seconds"] > 0


@pytest.mark.course
def test_course_learning_rate_table(course):
    out = run("train", str(COURSE_DIR / "train_catvnoncat.h5"), "--alpha", "0.01", "0.001", "0.0001",
              "--iterations", "1500", "--print-every", "1500")
    assert out.returncode == 0, out.stderr
    table = out.stdout.splitlines()[-3:]
    assert [row.split()[2] for row in table] == ["99.52153", "88.99522", "68.42105"]
    assert [row.split()[4] for row in table] == ["68", "64", "36"]


@pytest.mark.course
def test_mini_batches_print_the_full_cost_and_json_records_every_setting(course, tmp_path):
    from visualizer.core import GradientDescent
    from visualizer.core.optim.optimizers import Optimizer

    out = run("train", str(COURSE_DIR / "train_catvnoncat.h5"), "--optimizer", "momentum", "--batch-size", "64",
              "--beta", "0.8", "--lambda", "0.5", "--decay", "0.05", "--decay-kind", "exponential",
              "--alpha", "0.002", "0.001", "--iterations", "300", "--print-every", "50",
              "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    opt = Optimizer(kind="momentum", batch_size=64, beta=0.8, lam=0.5, decay=0.05, decay_kind="exponential")
    gd = GradientDescent(course[0].X, course[0].Y, alpha=0.002, optimizer=opt)
    expected = []
    for i in range(0, 300, 50):  # the full J_reg of all 209 examples at each printed iteration
        expected.append(f"Cost after iteration {i}: {gd.cost:f}")
        gd.step(50)
    lines = out.stdout.splitlines()
    assert lines[1 : 1 + 6] == expected
    doc = json.loads((tmp_path / "r.json").read_text())
    first, second = doc["runs"]
    assert first["settings"] == {"alpha": 0.002, "iterations": 300, "print_every": 50, "loss": "cross-entropy",
                                 "init": "zeros", "seed": 0, "kind": "momentum", "batch_size": 64, "beta": 0.8,
                                 "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "lam": 0.5, "decay": 0.05,
                                 "decay_kind": "exponential", "batch_size_used": 64}
    assert second["settings"]["alpha"] == 0.001 and first["method"] == "gram" and first["path_reason"]
    assert first["final_cost"] == pytest.approx(gd.cost, rel=1e-12)


def test_adam_runs_on_the_primal_path():
    out = run("train", "--optimizer", "adam", "--batch-size", "16", "--alpha", "0.001", "--iterations", "40",
              "--print-every", "20")
    assert out.returncode == 0, out.stderr
    assert [line.split(":")[0] for line in out.stdout.splitlines()[:2]] == [
        "Cost after iteration 0", "Cost after iteration 20"]


def test_large_alpha_gives_finite_json(tmp_path):
    out = run("train", "--alpha", "50", "--iterations", "30", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "r.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["runs"][0]["verdict"]["kind"] in ("unstable", "diverges", "oscillates")


def test_diverged_means_j_ended_above_its_start_on_the_demo_set(tmp_path):
    """α = 0.02, 0.1 and 10 were "diverged": true, though J ends at 0.0187, 0.00077 and 4e-19 (from 0.693)."""
    out = run("train", "--alpha", "0.0005", "0.02", "0.1", "10", "--print-every", "2000",
              "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    runs = json.loads((tmp_path / "r.json").read_text())["runs"]
    assert [r["diverged"] for r in runs] == [False] * 4
    assert [r["verdict"]["kind"] for r in runs] == ["falls", "unstable", "unstable", "unstable"]
    for r in runs[1:]:
        v = r["verdict"]
        assert r["final_cost"] < v["start_cost"] < v["highest_cost"] and v["highest_at"] == 3
        assert f"then fell to {r['final_cost']:.3g} at iteration 2000, below where it began" in v["sentence"]
        assert f"what J did: {v['sentence']}" in out.stdout.splitlines()
    assert out.stdout.splitlines()[-1].endswith("unstable at first (highest 5.43e+03 at iteration 3)")


def test_a_run_that_ends_above_its_start_is_diverged(tmp_path):
    """One grey level per image and labels at random: no plane separates them, and a large α ends above J(0)."""
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 255, 60).astype(np.uint8)
    _bad_h5(tmp_path / "noisy.h5", train_set_x=np.broadcast_to(grey[:, None, None, None], (60, 16, 16, 3)).copy(),
            train_set_y=(rng.random(60) < 0.5).astype(np.int64))
    out = run("train", str(tmp_path / "noisy.h5"), "--test-fraction", "0", "--alpha", "0.01", "100",
              "--iterations", "300", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    small, large = json.loads((tmp_path / "r.json").read_text())["runs"]
    assert (small["diverged"], large["diverged"]) == (False, True)
    assert large["final_cost"] > large["verdict"]["start_cost"]
    assert large["verdict"]["sentence"].startswith(f"diverged: J ended at {large['final_cost']:.3g} at iteration "
                                                   f"300, above 0.693 where it began")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--alpha", "0"], "positive number"),
        (["--alpha", "-1"], "positive number"),
        (["--alpha", "abc"], "must be a positive number at most 1000000, not 'abc'"),
        (["--iterations", "x"], "whole number"),
        (["--loss", "hinge"], "must be one of cross-entropy"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, message):
    out = run("train", *args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and message in out.stderr and "Traceback" not in out.stderr


def _bad_h5(path, **datasets):
    with h5py.File(path, "w") as f:
        for k, v in datasets.items():
            f[k] = v


def test_bad_files_give_one_line_naming_the_file(tmp_path):
    cases = {}
    cases["missing.h5"] = None
    (tmp_path / "text.h5").write_text("not hdf5")
    cases["text.h5"] = "not a readable HDF5"
    _bad_h5(tmp_path / "nox.h5", train_set_y=np.zeros(3))
    cases["nox.h5"] = "expected one dataset of images"
    _bad_h5(tmp_path / "shape.h5", train_set_x=np.zeros((3, 8, 8), np.uint8), train_set_y=np.zeros(3))
    cases["shape.h5"] = "expected (m, n_px, n_px, 3)"
    _bad_h5(tmp_path / "count.h5", train_set_x=np.zeros((3, 8, 8, 3), np.uint8), train_set_y=np.zeros(4))
    cases["count.h5"] = "3 images but 4 labels"
    for name, message in cases.items():
        out = run("train", str(tmp_path / name))
        assert out.returncode == 2, name
        assert out.stderr.count("\n") == 1 and name in out.stderr, out.stderr
        assert message is None or message in out.stderr


def test_unwritable_json_path_is_a_clear_error(tmp_path):
    out = run("train", "--iterations", "1", "--json", str(tmp_path / "nope" / "r.json"))
    assert out.returncode == 2 and "does not exist" in out.stderr


def test_no_command_is_a_clear_error():
    out = run("frobnicate")
    assert out.returncode == 2 and out.stderr.count("\n") == 1


def test_window_without_a_display_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "visualizer"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2 and "no display" in out.stderr and out.stderr.count("\n") == 1


@pytest.mark.parametrize(("view", "theme"), [("window", "dark"), ("surface", None)])
def test_screenshot_renders_a_png(tmp_path, view, theme):
    """... in the theme asked for (assets/screenshot-dark.png could not be retaken without --theme)."""
    out = tmp_path / "shot.png"
    result = run("screenshot", str(out), "--iterations", "50", "--size", "1280x800", "--view", view,
                 *(["--theme", theme] if theme else []))
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(out) as img:
        pixels = np.asarray(img.convert("RGB")).astype(int)
    if view == "window":
        assert pixels.shape[:2] == (800, 1280)
        assert pixels.mean() < 100  # dark: the window's grey and the plots' near-black (light is over 200)
    colourful = np.abs(pixels - pixels.mean(axis=2, keepdims=True)).max(axis=2) > 40
    assert colourful.mean() > 0.05  # the 3-D surface and plots were really drawn


# ---------------------------------------------------------------- the window from the command line
WINDOW_SMOKE = """
import json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from visualizer.__main__ import main
from visualizer.app.window.main_window import MainWindow

shown, waited = MainWindow.show, [0]

def show(self):
    shown(self)
    self.ask_before_closing = False
    timer = QTimer(self, interval=100)
    def poll():
        c = self.controller
        waited[0] += 1
        if c.gd.iteration == 0 and "demo" in c.train.source and waited[0] < 300:
            return  # the session or the folder is not there yet
        timer.stop()
        app = QApplication.instance()
        print(json.dumps({"source": c.train.source, "m": c.train.m, "iteration": c.gd.iteration,
                          "alpha": c.gd.alpha, "style": app.style().baseStyle().name().lower(),
                          "reverse": app.layoutDirection() == Qt.LayoutDirection.RightToLeft,
                          "icon": not self.windowIcon().isNull()}))
        self.close()
    timer.timeout.connect(poll)
    timer.start()

MainWindow.show = show
sys.exit(main(sys.argv[1:]))
"""


def run_window(tmp_path, *args):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", WINDOW_SMOKE, *args], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_a_session_given_as_path_opens_in_the_window_with_qt_options(tmp_path):
    from visualizer.core import GradientDescent
    from visualizer.data import load_data
    from visualizer.formats.storage import save_session
    from visualizer.model.settings import RunSettings

    train, test = load_data()
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    gd.step(25)
    save_session(tmp_path / "run.vis.npz", train, test, RunSettings(alpha=0.01), gd.history, gd.iteration, gd.w,
                 gd.b)
    shown = run_window(tmp_path, "-platform", "offscreen", "-style", "fusion", "run.vis.npz")
    assert shown["iteration"] == 25 and shown["alpha"] == 0.01
    assert shown["style"] == "fusion" and shown["icon"] and not shown["reverse"]


def test_a_folder_given_as_path_loads_in_the_window(tmp_path):
    demo = Path(__file__).resolve().parents[2] / "assets" / "demo" / "train"
    for label in ("cat", "non-cat"):
        (tmp_path / "photos" / label).mkdir(parents=True)
        for image in sorted((demo / label).glob("*.png"))[:6]:
            shutil.copy(image, tmp_path / "photos" / label)
    shown = run_window(tmp_path, "-reverse", "-platform=offscreen", "photos")
    assert "photos" in shown["source"] and shown["m"] < 12 and shown["reverse"]


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], Invocation(None)),
        (["data"], Invocation(None, "data")),
        (["-style", "fusion", "-reverse", "x.h5"], Invocation(None, "x.h5", ["-style", "fusion", "-reverse"])),
        (["-platform=offscreen"], Invocation(None, None, ["-platform=offscreen"])),
        (["--", "-odd-name"], Invocation(None, "-odd-name")),
        (["--version"], Invocation("options", argv=["--version"])),
        (["-h"], Invocation("options", argv=["-h"])),
        (["train", "--alpha", "-inf"], Invocation("train", argv=["train", "--alpha", "-inf"])),
        (["-platform", "offscreen", "screenshot", "o.png"],
         Invocation("screenshot", qt_args=["-platform", "offscreen"], argv=["screenshot", "o.png"])),
    ],
)
def test_arguments_are_routed_to_the_window_a_command_or_qt(argv, expected):
    assert route(argv) == expected


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-style"], "-style needs a value"),
        (["-style", "fusion", "train"], "for the window and screenshot, not train"),
        (["a", "b"], "one PATH, not 2"),
    ],
)
def test_routing_mistakes_are_usage_errors(argv, message):
    with pytest.raises(UsageError, match=message):
        route(argv)


def test_paths_the_window_cannot_open_are_named(tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    os.mkfifo(tmp_path / "pipe.npz")
    assert window_path_problem(str(tmp_path / "missing")).endswith("missing: no such file or folder")
    assert "not a folder of images, a course .h5 file, 2-D points (.csv), a session .npz" in window_path_problem(
        str(tmp_path / "notes.txt"))
    assert "named pipe" in window_path_problem(str(tmp_path / "pipe.npz"))
    assert window_path_problem("tarin") == "tarin: no such file or folder (did you mean the command train?)"
    assert window_path_problem(str(tmp_path)) is None


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_path_is_named(tmp_path):
    locked = tmp_path / "locked.h5"
    locked.write_bytes(b"")
    locked.chmod(0)
    assert window_path_problem(str(locked)).endswith("permission denied")


@pytest.mark.parametrize("name", ["missing-folder", "notes.txt"])
def test_a_bad_path_is_one_line_and_no_window(tmp_path, name):
    (tmp_path / "notes.txt").write_text("hi")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "visualizer", "-style", "fusion", name], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=60)
    # no display either: the path is refused before the window (or Qt) is even tried
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and name in out.stderr, out.stderr


def test_version_and_help():
    out = run("--version")
    assert out.returncode == 0 and out.stdout == f"visualizer {metadata.version('visualizer')}\n"
    out = run("--help")
    assert out.returncode == 0
    for words in ("[PATH [--test-fraction F] | --lesson LESSON.toml]", "planar:NAME", "course .h5", "session (.npz)",
                  "-style fusion", "train", "predict", "screenshot", "install-desktop"):
        assert words in out.stdout


def test_screenshot_and_animate_offer_the_views_of_the_panel_list():
    """`--view` reads visualizer/model/panels.py: every view a still, the animated ones in `animate` too."""
    parser = build_parser()
    assert parser.parse_args(["screenshot", "o.png"]).theme == "light"  # one look whatever the desktop's scheme
    assert parser.parse_args(["screenshot", "o.png", "--theme", "dark"]).theme == "dark"
    with pytest.raises(UsageError, match="invalid choice"):
        parser.parse_args(["screenshot", "o.png", "--theme", "blue"])
    for view in SCREENSHOT_VIEWS:
        assert parser.parse_args(["screenshot", "o.png", "--view", view.key]).view == view.key
        if view.animated:
            assert parser.parse_args(["animate", "o.gif", "--view", view.key]).view == view.key
        else:
            with pytest.raises(UsageError, match="invalid choice"):
                parser.parse_args(["animate", "o.gif", "--view", view.key])
