"""Every optimizer of the registry races: a row of the table names it, and its run is its direct run."""

import numpy as np

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.race import Race, RaceConfig
from visualizer.core.optim.registry import SPECS
from visualizer.model.race_config import check_cell, race_config_from_dict


def test_each_optimizer_runs_in_the_race_under_its_own_name():
    X, Y = make_problem(30, 14, seed=3)
    race = Race(X, Y, iterations=40, seed=1)
    configs = [RaceConfig(kind, 0.05, beta=0.7, batch_size=5, lam=0.2) for kind in SPECS]
    for config in configs:
        race.add(config)
    while race.step(13):
        pass
    for run, (kind, spec) in zip(race.runs, SPECS.items(), strict=True):
        label = run.config.label()
        assert label.startswith(f"{spec.short} α=0.05") and ("β=0.7" in label) == bool(
            {"beta", "beta1"} & {h.name for h in spec.hyper})
        gd = GradientDescent(X, Y, alpha=0.05, seed=1, optimizer=run.config.optimizer_for())
        gd.step(40)
        assert run.iteration == 40 and gd.optimizer.kind == kind
        np.testing.assert_allclose(run.history.costs.values, gd.history.costs.values, rtol=1e-12, atol=1e-15)
        assert check_cell("optimizer", spec.short.upper()) == kind  # the table's cell takes its name
        assert race_config_from_dict({"optimizer": kind}) == RaceConfig(kind)
