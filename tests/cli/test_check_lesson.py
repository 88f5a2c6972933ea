"""`visualizer check-lesson`: every shipped lesson holds what it says, and a changed lesson does not."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from visualizer.formats.lesson_files import load_lesson
from visualizer.fs.resources import LESSONS_DIR

SHIPPED = sorted(LESSONS_DIR.glob("*.toml"))
#: The lessons about the learning rate: each must fail its check with α a hundred times larger.
ABOUT_ALPHA = ("01-sigmoid-and-yhat", "04-learning-rate", "05-edge-of-stability", "12-course-alpha",
               "13-large-step-surprise", "14-large-steps-diverge", "19-sharpness-rises-to-2-over-alpha")


def check(*paths):
    return subprocess.run([sys.executable, "-m", "visualizer", "check-lesson", *map(str, paths)],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_lesson_holds_what_it_says(path):
    lesson = load_lesson(path)
    assert lesson.expect, "a lesson states what the learner will see"
    out = check(path)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == len(lesson.expect) and all(": holds: " in line for line in lines)
    assert all(re.search(r"\[.*\d.*\]$", line) for line in lines)  # each with the value it measured


def with_setting(path, tmp_path, key: str, value: str):
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text) if re.search(rf"(?m)^{key} = ", text) \
        else text.replace("[settings]\n", f"[settings]\n{key} = {value}\n")
    out = tmp_path / path.name
    out.write_text(changed, encoding="utf-8")
    return out


@pytest.mark.parametrize("name", ABOUT_ALPHA)
def test_a_lesson_about_alpha_fails_its_check_with_alpha_a_hundred_times_larger(name, tmp_path):
    path = LESSONS_DIR / f"{name}.toml"
    alpha = load_lesson(path).settings.alpha
    out = check(with_setting(path, tmp_path, "alpha", repr(alpha * 100)))
    assert out.returncode == 1, out.stdout
    assert ": FAILS: " in out.stdout


def test_the_learning_rate_lesson_fails_with_another_loss(tmp_path):
    out = check(with_setting(LESSONS_DIR / "04-learning-rate.toml", tmp_path, "loss", '"squared-error"'))
    assert out.returncode == 1 and ": FAILS: " in out.stdout


def test_the_zeros_lesson_fails_from_a_random_start(tmp_path):
    out = check(with_setting(LESSONS_DIR / "16-why-random-initialization.toml", tmp_path, "init", '"random"'))
    assert out.returncode == 1 and ": FAILS: J in 0..10000 is flat" in out.stdout


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_codes_and_lines(tmp_path):
    good = write(tmp_path, "good.toml", 'title = "g"\nexpect = ["J at 20 < J at 0", "J never rises in 0..20"]\n'
                                         '[settings]\nalpha = 0.001\n')
    bad = write(tmp_path, "bad.toml", 'title = "b"\nexpect = ["J at 20 > J at 0"]\n[settings]\nalpha = 0.001\n')
    out = check(good)
    assert out.returncode == 0 and out.stderr == ""
    assert out.stdout.splitlines()[0].startswith(f"{good}: holds: J at 20 < J at 0  [J at 20 = 0.")
    out = check(good, bad)
    assert out.returncode == 1 and out.stdout.splitlines()[-1].startswith(f"{bad}: FAILS: J at 20 > J at 0  [")
    none = write(tmp_path, "none.toml", 'title = "n"\n')
    out = check(none)
    assert out.returncode == 0 and "states no expectations" in out.stdout


@pytest.mark.parametrize("text, words", [
    (None, "no such file"),
    ('title = "x"\nexpect = ["J rises in 1..5"]\n', "line 2: key 'expect': sentence 1 (\"J rises in 1..5\"): say how"),
    ('title = "x"\nexpect = "J at 1 < J at 0"\n', "key 'expect': must be a list of sentences"),
    ('title = "x"\n[data]\ncontradictions = 500\n', "at most the 210 training images"),
    ("not toml [", "not a valid TOML file"),
])
def test_a_file_it_cannot_use_is_one_line_and_exit_2_and_the_others_are_still_checked(tmp_path, text, words):
    path = tmp_path / "lesson.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    good = write(tmp_path, "good.toml", 'title = "g"\nexpect = ["J at 5 < J at 0"]\n[settings]\nalpha = 0.001\n')
    out = check(path, good)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and words in out.stderr and "Traceback" not in out.stderr
    assert str(path) in out.stderr and f"{good}: holds: " in out.stdout
