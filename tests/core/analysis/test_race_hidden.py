"""Hidden layers in the race: a row's own sizes are that network's run (the window's activation and start),
"none" is logistic regression, and the preset races the course's hidden-size table to its exact figures."""

import numpy as np
import pytest

from tests.core.analysis.test_race import finished
from visualizer.core.analysis.race import PRESETS, Race, RaceConfig
from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.models.network_run import NetworkRun
from visualizer.data.planar import flower
from visualizer.formats.lesson_files import load_lesson
from visualizer.fs.resources import LESSONS_DIR
from visualizer.model.race_config import race_options

#: The course's table (week 3): 1 to 5 tanh units on the flower, seed 2, scale 0.01, α 1.2, 5000 iterations.
COURSE_TABLE = [67.5, 67.25, 90.75, 90.5, 91.25]


@pytest.fixture(scope="module")
def petals():
    return flower()


def test_lesson_17_races_the_courses_table(petals):
    """The race lesson 17 opens, with its window's model and start (4 tanh units, seed 2, scale 0.01): the race's
    own rows give the course's train accuracies, each row its own size with the window's activation and start."""
    lesson = load_lesson(LESSONS_DIR / "17-hidden-layer-size.toml")
    configs, iterations = PRESETS[lesson.race]
    assert lesson.race == "Hidden units 1 to 5" and lesson.data.source == "planar:flower"
    race = Race(*petals, iterations=iterations, **race_options(lesson.settings))
    for config in configs:
        race.add(config)
    rows = finished(race, chunk=25).summaries()
    assert iterations == 5000 and [s.iteration for s in rows] == [5000] * 5
    assert [s.train_accuracy for s in rows] == COURSE_TABLE
    assert [s.label for s in rows] == [f"GD α=1.2 hidden {units}" for units in range(1, 6)]
    assert [(r.gd.hidden, r.gd.activation, r.gd.seed) for r in race.runs] == [((u,), "tanh", 2) for u in range(1, 6)]


def test_rows_of_other_sizes_are_the_direct_runs_of_their_model(petals):
    """A logistic-regression window racing a network row, its own model and an explicit "none": each run is the
    registry's trainer of its row, and only the logistic runs share one parametrization."""
    X, Y = petals[0][:, ::8], petals[1][:, ::8]
    race = Race(X, Y, iterations=60, init="random", seed=3, activation="tanh", init_scale=0.5)
    configs = [RaceConfig(alpha=1.2, hidden=(3, 2)), RaceConfig(alpha=1.2), RaceConfig(alpha=0.5, hidden=())]
    for config in configs:
        race.add(config)
    finished(race)
    direct = [NetworkRun(X, Y, hidden=(3, 2), activation="tanh", init_scale=0.5, alpha=1.2, init="random", seed=3),
              GradientDescent(X, Y, alpha=1.2, init="random", seed=3),
              GradientDescent(X, Y, alpha=0.5, init="random", seed=3)]
    for run, gd in zip(race.runs, direct, strict=True):
        gd.step(60)
        assert type(run.gd) is type(gd) and run.iteration == 60
        np.testing.assert_allclose(run.history.costs.values, gd.history.costs.values, rtol=1e-12, atol=1e-15)
    assert race.runs[1].gd.param is race.runs[2].gd.param and race.runs[0].gd.param is not race.runs[1].gd.param
    assert "a network's J is sliced in the Surface panel" in race.no_slice_why()


def test_logistic_rows_keep_the_shared_slice_in_a_networks_window(petals):
    X, Y = petals[0][:, ::8], petals[1][:, ::8]
    race = Race(X, Y, iterations=5, hidden=(4,), activation="tanh")
    assert "network" in race.no_slice_why()  # no rows yet: the window's model
    race.add(RaceConfig(alpha=1.2, hidden=()))
    finished(race)
    assert race.no_slice_why() is None and race.shared_slice(grid=4) is not None
