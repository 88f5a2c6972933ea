"""Different seeds, different minima: the network's on the flower, logistic regression's one, and the words."""

import numpy as np
import pytest

from visualizer.core.analysis.seeds import SeedRace, SeedRun, race_seeds
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.planar import load_planar


@pytest.fixture(scope="module")
def flower():
    return load_planar("planar:flower")


def test_four_tanh_units_on_the_flower_settle_at_different_minima(flower):
    race = race_seeds(flower.X, flower.Y, [1, 2], alpha=1.2, iterations=5000, hidden=(4,), activation="tanh")
    one, two = race.runs
    assert one.costs[0] == pytest.approx(two.costs[0], abs=1e-4)  # both start near J = log 2 ...
    assert race.spread > 0.02 and race.kind == "apart"  # ... and end 0.03 apart, each nearly still
    assert race.spread > 10 * race.drift and one.iterations == two.iterations == 5000
    assert race.sentence().startswith("different minima, as far as 5000 iterations tell: final J from "
                                      f"{min(one.final_cost, two.final_cost):.6f}")


def test_logistic_regression_from_any_start_reaches_its_one_minimum(flower):
    """Starts of scale 3 (J from 0.9 to 3 at iteration 0), yet one final J: cross-entropy's J is convex."""
    race = race_seeds(flower.X, flower.Y, [1, 2, 3], alpha=1.2, iterations=400, init_scale=3.0)
    starts = [r.costs[0] for r in race.runs]
    assert max(starts) - min(starts) > 0.1
    assert race.spread <= 1e-6 and race.kind == "one"
    assert race.sentence().startswith("one minimum: the 3 seeds' final J ")


def test_mini_batches_and_adam_race_too(flower):
    """The seed also shuffles the batches; the race takes any optimizer, on either model."""
    opt = Optimizer(kind="adam", batch_size=100, lam=0.1)
    net = race_seeds(flower.X, flower.Y, [1, 2], alpha=0.01, iterations=50, hidden=(3,), activation="tanh",
                     optimizer=opt)
    logistic = race_seeds(flower.X, flower.Y, [1, 2], alpha=0.01, iterations=50, optimizer=opt)
    for race in (net, logistic):
        assert [r.costs.size for r in race.runs] == [50, 50] and race.kind in ("unsettled", "one", "apart")


def _run(seed, final, change, diverged=False):
    return SeedRun(seed, np.array([1.0]), 1, final, change, 10, diverged, 50.0, None)


@pytest.mark.parametrize(("runs", "kind", "start"), [
    ([_run(1, 0.3, 1e-3), _run(2, 0.3 + 5e-7, 1e-3)], "one", "one minimum: the 2 seeds' final J agree within 5e-07"),
    ([_run(1, 0.20, 1e-3), _run(2, 0.25, 2e-3)], "apart",
     "different minima, as far as 10 iterations tell: final J from 0.200000 to 0.250000"),
    ([_run(1, 0.20, 1e-2), _run(2, 0.25, 2e-3)], "unsettled", "not settled yet: final J from 0.200000 to 0.250000"),
    ([_run(1, 0.20, 0.0), _run(7, 0.25, 0.0, diverged=True)], "stopped", "seed 7 stopped early"),
])
def test_the_verdict_follows_the_measured_numbers(runs, kind, start):
    race = SeedRace(tuple(runs))
    assert race.kind == kind and race.sentence().startswith(start)


@pytest.mark.parametrize("iterations", [0, 1, 5])
def test_a_few_iterations_never_claim_different_minima(flower, iterations):
    """With no last tenth to measure (0 iterations) or one of a single step, nothing says a run settled."""
    race = race_seeds(flower.X, flower.Y, [1, 2], alpha=1.2, iterations=iterations, hidden=(4,), activation="tanh")
    assert race.kind == "unsettled" and race.sentence().startswith("not settled yet")


def test_bad_races_are_refused(flower):
    with pytest.raises(ValueError, match="1 to 16 seeds"):
        race_seeds(flower.X, flower.Y, [], alpha=1.0, iterations=1)
    with pytest.raises(ValueError, match="must all differ"):
        race_seeds(flower.X, flower.Y, [3, 3], alpha=1.0, iterations=1)
    with pytest.raises(ValueError, match="takes a number as its scale"):
        race_seeds(flower.X, flower.Y, [1, 2], alpha=1.0, iterations=1, init_scale="he")
