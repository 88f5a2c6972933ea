"""`visualizer --lesson LESSON.toml` opens the window with that lesson, as screenshot and animate take it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.cli.test_lesson_cli import LESSON_SMOKE, run
from visualizer.cli.args import Invocation, UsageError, route
from visualizer.fs.resources import LESSONS_DIR


@pytest.mark.parametrize("argv, expected", [
    (["--lesson", "l.toml"], Invocation(None, "l.toml")),
    (["--lesson=l.toml"], Invocation(None, "l.toml")),
    (["-platform", "offscreen", "--lesson", "l.TOML"], Invocation(None, "l.TOML", ["-platform", "offscreen"])),
])
def test_the_window_takes_a_lesson_as_a_flag(argv, expected):
    assert route(argv) == expected


@pytest.mark.parametrize("argv, message", [
    (["--lesson"], "the window takes --lesson LESSON.toml$"),
    (["--lesson", "a.toml", "b.toml"], "and nothing else"),
    (["--lesson", "data.h5"], "data.h5: not a lesson file"),
])
def test_a_lesson_flag_the_window_cannot_use_is_a_usage_error(argv, message):
    with pytest.raises(UsageError, match=message):
        route(argv)


def test_the_usage_says_what_the_window_accepts():
    out = run("--help")
    assert out.returncode == 0 and "[PATH [--test-fraction F] | --lesson LESSON.toml]" in out.stdout


def test_a_lesson_flag_that_is_not_a_lesson_is_one_line_and_exit_2(tmp_path):
    out = run("--lesson", "data.h5", cwd=tmp_path)
    assert out.returncode == 2 and out.stderr == "visualizer: error: data.h5: not a lesson file (.toml)\n"


def test_the_lesson_flag_opens_the_window_with_the_lesson(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", LESSON_SMOKE, "-platform", "offscreen", "--lesson",
                          str(LESSONS_DIR / "04-learning-rate.toml")], capture_output=True, text=True, cwd=tmp_path,
                         env=env, timeout=180)
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout.splitlines()[-1])
    assert shown["title"] == "The learning rate: too small, right, too big" and shown["alpha"] == 0.001
