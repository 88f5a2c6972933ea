"""Only the 3-D view needs a display: 2-D screenshots and animations are drawn without one."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from PIL import Image

from visualizer.fs.resources import LESSONS_DIR

NO_DISPLAY = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True,
                          env=NO_DISPLAY, cwd=cwd, timeout=180)


def test_a_2d_animation_and_screenshot_need_no_display(tmp_path):
    out = run("animate", "a.gif", "--view", "contours", "--frames", "3", "--iterations", "40", "--size", "400x300",
              cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 3
    out = run("screenshot", "c.png", "--view", "cost", "--iterations", "40", cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    with Image.open(tmp_path / "c.png") as png:
        assert np.asarray(png.convert("L")).std() > 5  # drawn, not blank


def test_the_3d_views_without_a_display_are_one_line_and_exit_2(tmp_path):
    for args in (("animate", "w.gif"), ("screenshot", "s.png", "--view", "surface")):
        out = run(*args, cwd=tmp_path)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and "needs a display" in out.stderr
        assert not any(tmp_path.iterdir())


def test_a_lesson_that_starts_at_iteration_0_is_animated_over_its_first_2000(tmp_path):
    out = run("animate", "l.gif", "--view", "cost", "--frames", "3", "--size", "400x300",
              "--lesson", str(LESSONS_DIR / "01-sigmoid-and-yhat.toml"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    with Image.open(tmp_path / "l.gif") as gif:
        assert gif.n_frames == 3
