"""Lessons from the command line: `visualizer LESSON.toml`, `screenshot --lesson`, bad lessons in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.fs.resources import LESSONS_DIR


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=180)


def write(tmp_path, text: str, name="lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD = [
    ('title = "x"\n[settings]\nalpha = 0\n', "line 3: key 'settings.alpha'"),
    ('title = "x"\n\n[data]\nsource = "gone"\n', "line 4: key 'data.source'"),
    ('title = "x"\nspeed = 3\n', "line 2: key 'speed'"),
    ('title = "x"\n[settings\n', "line 2"),
]


@pytest.mark.parametrize(("text", "where"), BAD)
def test_a_bad_lesson_for_the_window_is_one_line_and_exit_2(tmp_path, text, where):
    path = write(tmp_path, text)
    out = run(str(path))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert str(path) in out.stderr and where in out.stderr


@pytest.mark.parametrize(("text", "where"), BAD)
def test_a_bad_lesson_for_a_screenshot_is_one_line_and_exit_2(tmp_path, text, where):
    path = write(tmp_path, text)
    out = run("screenshot", str(tmp_path / "o.png"), "--lesson", str(path))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and where in out.stderr
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize("data", ['source = "a\\u0000b"', 'test = "x\\u0000"'])
@pytest.mark.parametrize("command", [[], ["screenshot", "o.png", "--view", "cost"], ["animate", "o.gif",
                                                                                  "--view", "cost"]])
def test_a_nul_in_a_lessons_data_path_is_one_line_and_exit_2(tmp_path, data, command):
    """Issue 21, group 7: it was a ValueError traceback ("embedded null byte")."""
    path = write(tmp_path, f'title = "x"\n[data]\n{data}\n')
    out = run(*command, *(["--lesson"] if command else []), str(path), cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    assert "line 3: key 'data." in out.stderr and "NUL" in out.stderr
    assert not any(tmp_path.glob("o.*"))


def test_a_batch_too_large_for_the_data_is_refused_by_screenshot(tmp_path):
    path = write(tmp_path, 'title = "x"\n[settings]\nbatch_size = 9999\n')
    out = run("screenshot", str(tmp_path / "o.png"), "--lesson", str(path))
    assert out.returncode == 2 and "line 3: key 'settings.batch_size'" in out.stderr and "m = 210" in out.stderr


@pytest.mark.parametrize(("text", "where"), [
    ('title = "x"\n[settings]\nbatch_size = 9999\n', "line 3: key 'settings.batch_size'"),
    ('title = "x"\n[data]\nsource = "course"\n', "line 3: key 'data.source'"),
])
def test_data_a_lesson_cannot_use_is_refused_before_the_window(tmp_path, text, where):
    """Found only once the data is read (m, the course's files): still one line and exit 2, no window."""
    path = write(tmp_path, text)
    env = {k: v for k, v in os.environ.items() if k != "VISUALIZER_COURSE_DIR"}
    out = run(str(path), cwd=tmp_path, env=env)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert str(path) in out.stderr and where in out.stderr


def test_lesson_and_data_together_are_refused(tmp_path):
    out = run("screenshot", str(tmp_path / "o.png"), "--lesson", str(LESSONS_DIR / "01-sigmoid-and-yhat.toml"),
              "--data", str(tmp_path))
    assert out.returncode == 2 and "--data" in out.stderr


def test_hostile_lesson_paths_are_refused(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (1 << 20))
    for path, words in ((fifo, "FIFO"), (big, "too large"), (tmp_path / "none.toml", "no such file")):
        out = run(str(path))
        assert out.returncode == 2 and words in out.stderr and out.stderr.count("\n") == 1


def test_screenshot_of_a_lesson_shows_its_panels_and_its_iterations(tmp_path):
    lesson = write(tmp_path, 'title = "Shot"\niterations = 300\n[settings]\nalpha = 0.001\n'
                             '[panels]\nshow = ["controls", "cost"]\n')
    out, plain = tmp_path / "lesson.png", tmp_path / "plain.png"
    result = run("screenshot", str(out), "--lesson", str(lesson), "--size", "1024x640")
    assert result.returncode == 0, result.stderr
    assert run("screenshot", str(plain), "--size", "1024x640", "--iterations", "300").returncode == 0
    from PIL import Image

    with Image.open(out) as a, Image.open(plain) as b:
        lesson_px, plain_px = np.asarray(a.convert("RGB")).astype(int), np.asarray(b.convert("RGB")).astype(int)
    assert lesson_px.shape[:2] == (640, 1024)
    assert np.abs(lesson_px - plain_px).mean() > 5  # other panels, the instructions: not the default window


LESSON_SMOKE = """
import json, sys
from PySide6.QtCore import QTimer
from visualizer.__main__ import main
from visualizer.app.window.main_window import MainWindow

shown = MainWindow.show

def show(self):
    shown(self)
    self.ask_before_closing = False
    timer = QTimer(self, interval=100)
    def poll():
        if (self.lesson_file is None or self.lesson_running) and timer.property("n") < 600:
            timer.setProperty("n", timer.property("n") + 1)
            return
        timer.stop()
        c = self.controller
        print(json.dumps({"title": self.lesson_file and self.lesson_file.title, "iteration": c.gd.iteration,
                          "alpha": c.gd.alpha, "loss_enabled": self.controls.loss.isEnabled()}))
        self.close()
    timer.setProperty("n", 0)
    timer.timeout.connect(poll)
    timer.start()

MainWindow.show = show
sys.exit(main(sys.argv[1:]))
"""


def test_a_lesson_given_as_path_opens_in_the_window(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", LESSON_SMOKE, "-platform", "offscreen",
                          str(LESSONS_DIR / "06-overfitting.toml")], capture_output=True, text=True, cwd=tmp_path,
                         env=env, timeout=180)
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout.splitlines()[-1])
    assert shown == {"title": "Overfitting: train against test", "iteration": 2000, "alpha": 0.005,
                     "loss_enabled": False}
