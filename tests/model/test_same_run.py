"""One run, one set of numbers: `visualizer train`, the race, `check-lesson` and the window's controller train the
same settings on the same data to the same costs and accuracies, bit for bit, however each splits the iterations.

They used to differ: the engine's fast cross-entropy loop worked in z and rebuilt z from theta wherever a call or
a metric row ended its chunk, so the race (a call every 5 iterations), the window (calls sized by the clock) and
the command line (256 at a time) rounded differently, and far above the edge of stability the difference grew:
on the demo set at α = 0.1 the final J read 0.000744, 0.000751 and 0.000776, the test accuracy 68 % or 70 %.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from visualizer.cli.args import build_parser
from visualizer.cli.train import train as cli_train
from visualizer.core.analysis.race import Race, RaceConfig
from visualizer.core.engine.gradient_descent import CHUNK
from visualizer.data import load_data
from visualizer.model.expectations import parse
from visualizer.model.lesson_check import MeasuredRun
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings

ALPHA, ITERATIONS = 0.1, 300  # far above the demo set's edge at w = 0 (0.0024): J jumps to 54 at iteration 3


@pytest.fixture(scope="module")
def demo():
    return load_data()


def _cli(tmp_path, capsys) -> tuple[np.ndarray, dict]:
    out = tmp_path / "run.json"
    args = build_parser().parse_args(["train", "--alpha", str(ALPHA), "--iterations", str(ITERATIONS),
                                      "--print-every", "1", "--json", str(out)])
    assert cli_train(args) == 0
    capsys.readouterr()
    run = json.loads(out.read_text())["runs"][0]
    return np.array(run["costs"]), run


def _race(train, test):
    race = Race(train.X, train.Y, test.X, test.Y, iterations=ITERATIONS)
    race.add(RaceConfig(alpha=0.005))  # the run at α = 0.1 shares this one's Gram matrix, as in the preset
    run = race.add(RaceConfig(alpha=ALPHA))
    while race.step(CHUNK):  # as the explorer steps it; each run stops at its rows (every 1 iteration here)
        pass
    race.settle()
    return run.gd


def _window(train, test):
    """The controller's run: new_run, stepped in batches the clock sizes (here: uneven ones)."""
    gd = new_run(train, test, RunSettings(alpha=ALPHA))
    for n in [1, 2, 37, 5, 100, 3] * 10:
        gd.step(min(n, ITERATIONS - gd.iteration))
    return gd


def test_every_path_computes_the_same_run(demo, tmp_path, capsys):
    train, test = demo
    cli_costs, cli = _cli(tmp_path, capsys)
    race = _race(train, test)
    checked = MeasuredRun(train, test, RunSettings(alpha=ALPHA),
                          [parse(f"J at {ITERATIONS} < 1"), parse("max test J in 40..47 < 1000")])
    window = _window(train, test)
    for gd in (race, checked.gd, window):
        assert gd.iteration == ITERATIONS
        assert np.array_equal(gd.history.costs.values, cli_costs)
        metrics = gd.metrics()
        assert metrics["train_cost"] == cli["final_cost"]
        assert (metrics["train_accuracy"], metrics["test_accuracy"]) == (cli["train_accuracy"], cli["test_accuracy"])
    assert np.array_equal(checked.J(), np.append(cli_costs, cli["final_cost"]))
