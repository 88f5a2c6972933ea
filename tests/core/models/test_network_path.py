"""θ along a network run's path for the surface: thinned to its budget, exact, each point built once."""

import numpy as np

from visualizer.core.models import NetworkRun
from visualizer.core.models.network_path import path_budget
from visualizer.data.planar import load_planar


def test_the_surface_path_is_thinned_exact_and_built_once():
    points = load_planar("planar:flower")
    run = NetworkRun(points.X, points.Y, hidden=(4,), activation="tanh", init="random", seed=2, alpha=1.2)
    run.step(3000)
    its, path, every = run.surface_path(2500)
    assert 1 < len(its) <= path_budget(run.net.size) == 64 and np.all(its % every == 0) and its[-1] <= 2500
    assert len(its) > path_budget(run.net.size) // 2  # thinned no more than it must be
    assert np.array_equal(path[3], run.full_state_at(int(its[3]))[0])
    again = run.surface_path(2500)[1]
    assert np.array_equal(again, path)
    assert path_budget(246_000) == 17 and path_budget(10**9) == 2  # the deep model keeps 32 MB of θ at most
    run.rewind(int(its[-2]))  # a branch from there: the points after it are built again from the new checkpoints
    run.alpha = 0.5
    run.step(3000 - run.iteration)
    its2, path2, _ = run.surface_path(2500)
    assert np.array_equal(path2[-1], run.full_state_at(int(its2[-1]))[0]) and not np.array_equal(path2[-1], path[-1])
