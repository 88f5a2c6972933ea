"""Settings inside their ranges that overflow the step: the command line names the setting in one sentence,
prints no numpy warning, no "inf" and no 300-digit cost, and the pictures draw (issue 21, groups 3 and 10)."""

from __future__ import annotations

import re

import pytest

from tests.cli.test_cli import run
from tests.conftest import COURSE_DIR

TRAIN = str(COURSE_DIR / "train_catvnoncat.h5")
ADAM = ["--optimizer", "adam", "--alpha", "1e6", "--epsilon", "1e-300", "--beta1", "0.999", "--beta2", "0",
        "--batch-size", "1"]
LESSON = """title = "Adam overflows"
iterations = 20
[settings]
alpha = 1e6
optimizer = "adam"
beta1 = 0.999
beta2 = 0
epsilon = 1e-300
batch_size = 1
"""


def _costs(stdout: str) -> list[str]:
    return re.findall(r"^Cost after iteration \d+: (.*)$", stdout, re.M)


@pytest.mark.course
def test_adam_dividing_by_a_tiny_epsilon_names_epsilon_and_beta2():
    out = run("train", TRAIN, *ADAM, "--iterations", "20", "--print-every", "1")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert "stopped: the step overflowed at iteration 1: Adam with ε = 1e-300 and β₂ = 0 divides by √s + ε ≈ 1e-300" \
        in out.stdout.splitlines()
    assert _costs(out.stdout) == ["0.693147"]
    assert "inf" not in out.stdout and "nan" not in out.stdout and "alpha" not in out.stdout


@pytest.mark.course
def test_lambda_at_its_bound_blames_lambda_and_prints_short_costs():
    out = run("train", TRAIN, "--lambda", "1e6", "--iterations", "200")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert re.search(r"^stopped: the step overflowed at iteration \d+: with λ = 1e6 and α = 0\.005, L2 multiplies w "
                     r"by 1 − α·λ/m = -22\.9 each step$", out.stdout, re.M), out.stdout
    costs = _costs(out.stdout)
    assert costs[0] == "0.693147" and all(len(c) <= 12 for c in costs), costs


def test_the_lesson_draws_in_a_screenshot_and_animate_says_why_it_cannot(tmp_path):
    lesson = tmp_path / "adam.toml"
    lesson.write_text(LESSON, encoding="utf-8")
    for view in ("window", "sigmoid", "contours"):
        out = run("screenshot", "--lesson", str(lesson), "--view", view, str(tmp_path / f"{view}.png"))
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        assert (tmp_path / f"{view}.png").stat().st_size > 1000
    out = run("animate", "--lesson", str(lesson), "--view", "sigmoid", str(tmp_path / "a.gif"))
    assert out.returncode == 2 and not (tmp_path / "a.gif").exists()
    assert out.stderr.strip().splitlines() == [
        "visualizer: error: cannot animate up to iteration 20: the step overflowed at iteration 1: "
        "Adam with ε = 1e-300 and β₂ = 0 divides by √s + ε ≈ 1e-300"]
