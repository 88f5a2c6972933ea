"""Seeds in the race: each row's seed is the run `train --seeds` makes, and the verdict is the seed race's rule."""

import numpy as np
import pytest

from tests.core.analysis.test_race import finished
from visualizer.core.analysis.race import PRESETS, Race, RaceConfig
from visualizer.core.analysis.race_seeds import seed_groups
from visualizer.core.analysis.seeds import race_seeds
from visualizer.data.planar import flower

ITERATIONS = 200  # the flower's 4 tanh units already sit in different places here (0.33, 0.35, 0.59)


@pytest.fixture(scope="module")
def petals():
    return flower()


@pytest.mark.parametrize("hidden, kind", [((4,), "apart"), ((), "one")])
def test_seed_rows_are_the_seed_race_and_say_what_it_says(petals, hidden, kind):
    """The same flower, α 1.2, seeds 1, 2, 3: a network's final J differ, logistic regression's all agree; the
    race's runs and verdict are the command line's, bit for bit."""
    X, Y = petals
    race = Race(X, Y, iterations=ITERATIONS, hidden=hidden, activation="tanh")
    for config in PRESETS["Seeds 1, 2, 3"][0]:
        race.add(config)
    (group,) = seed_groups(finished(race, chunk=25))
    direct = race_seeds(X, Y, [1, 2, 3], alpha=1.2, iterations=ITERATIONS, hidden=hidden, activation="tanh")
    assert group.seeds == (1, 2, 3) and group.race.kind == direct.kind == kind
    for mine, theirs in zip(group.race.runs, direct.runs, strict=True):
        assert (mine.final_cost, mine.last_tenth_change) == (theirs.final_cost, theirs.last_tenth_change)
        np.testing.assert_array_equal(mine.costs, theirs.costs)
    assert group.sentence() == f"GD α=1.2, seeds 1, 2, 3: {direct.sentence()}."
    assert race.shared_slice() is None and "No shared slice" in race.no_slice_why()


def test_only_finished_runs_alike_but_for_their_seed_are_judged(petals):
    X, Y = petals
    race = Race(X[:, ::10], Y[:, ::10], iterations=40, init="random", seed=5)
    for config in (RaceConfig(alpha=1.2, seed=1), RaceConfig(alpha=0.1, seed=2), RaceConfig(alpha=1.2),
                   RaceConfig(alpha=1.2, seed=3)):
        race.add(config)
    race.step(10)
    (group,) = seed_groups(race)  # α 0.1 has one seed; the row without one is the common start
    assert group.seeds == (1, 3) and group.race is None and "not every seed has run" in group.sentence()
    finished(race)
    assert seed_groups(race)[0].race.kind == "one"
    assert race.runs[2].gd.seed == 5 and race.runs[0].gd.seed == 1 and race.runs[0].gd.init == "random"


def test_a_race_without_seeds_keeps_its_slice(petals):
    X, Y = petals
    race = Race(X, Y, iterations=5)
    race.add(RaceConfig(alpha=1.2))
    finished(race)
    assert race.no_slice_why() is None and race.shared_slice(grid=4) is not None and seed_groups(race) == []
