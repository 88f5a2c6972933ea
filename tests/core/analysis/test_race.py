"""The race against direct GradientDescent runs: same paths, honest rows, one shared slice."""

import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.race import PRESETS, Race, RaceConfig
from visualizer.model.race_config import race_config_from_dict

CONFIGS = [RaceConfig(alpha=0.3), RaceConfig("momentum", 0.3, beta=0.8, batch_size=4),
           RaceConfig("adam", 0.05, batch_size=7, lam=0.5), RaceConfig("rmsprop", 0.01, decay=0.1),
           RaceConfig(alpha=0.1, lam=2.0)]


def finished(race: Race, chunk: int = 17) -> Race:
    while race.step(chunk):
        pass
    race.settle()
    return race


@pytest.fixture
def problem():
    X, Y = make_problem(30, 20, seed=3)
    return X[:, :14], Y[:, :14], X[:, 14:], Y[:, 14:]


def test_every_run_is_the_direct_run_of_its_configuration(problem):
    X, Y, Xt, Yt = problem
    race = finished(Race(X, Y, Xt, Yt, iterations=90, seed=4, init="random"))
    for config in CONFIGS:
        race.add(config)
    finished(race)
    for run, config in zip(race.runs, CONFIGS, strict=True):
        gd = GradientDescent(X, Y, alpha=config.alpha, init="random", seed=4, X_test=Xt, Y_test=Yt,
                             optimizer=config.optimizer_for())
        gd.step(90)
        assert run.iteration == 90
        np.testing.assert_allclose(run.history.costs.values, gd.history.costs.values, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run.gd.w, gd.w, rtol=1e-9, atol=1e-12)
        its, costs = run.rows("train_cost")
        assert its[-1] == 90 and costs[-1] == pytest.approx(gd.cost, rel=1e-9)
        assert np.all(np.diff(its) == run.every)  # rows at the run's stride, the last one at the budget


def test_rows_carry_the_seconds_of_work_and_the_axes_follow(problem):
    X, Y, Xt, Yt = problem
    race = Race(X, Y, Xt, Yt, iterations=60)
    run = race.add(RaceConfig(alpha=0.2, batch_size=5))
    finished(race, chunk=7)
    its, _ = run.rows("train_cost")
    seconds = run.seconds.values
    assert seconds.size == its.size and seconds[0] == 0 and np.all(np.diff(seconds) >= 0)
    assert seconds[-1] == pytest.approx(run.elapsed)
    assert run.iterations_per_epoch == 3  # 14 examples in batches of 5: 5, 5, 4
    np.testing.assert_allclose(run.x(its, "epochs"), its / 3)
    np.testing.assert_allclose(run.x(its, "seconds"), seconds)


def test_target_cost_is_reached_where_the_direct_run_reaches_it(problem):
    X, Y, Xt, Yt = problem
    race = Race(X, Y, Xt, Yt, iterations=200)
    batch, mini = race.add(RaceConfig(alpha=0.3)), race.add(RaceConfig(alpha=0.3, batch_size=4))
    finished(race)
    gd = GradientDescent(X, Y, alpha=0.3)
    gd.step(200)
    costs = gd.history.costs.values
    target = float(costs[57])
    first = int(np.flatnonzero(costs <= target)[0])
    rows = {s.label: s for s in race.summaries(target)}
    assert rows[batch.config.label()].reached_at == first
    its, full = mini.rows("train_cost")
    assert rows[mini.config.label()].reached_at == its[np.flatnonzero(full <= target)[0]]
    assert race.summaries(-1.0)[0].reached_at is None and race.summaries(-1.0)[0].reached_seconds is None


def test_diverged_means_ending_above_the_start_and_a_rise_then_a_fall_is_unstable_at_first(problem):
    """α = 500 threw J far up, then below its start: it was marked diverged; the table now says what J did."""
    X, Y, Xt, Yt = problem
    race = Race(X, Y, Xt, Yt, iterations=100)
    race.add(RaceConfig(alpha=0.1))
    race.add(RaceConfig(alpha=500.0))
    rows = finished(race).summaries()
    assert [r.verdict.kind for r in rows] == ["falls", "unstable"] and not any(r.diverged for r in rows)
    costs = race.runs[1].history.costs.values
    assert rows[1].verdict.peak == costs.max() > 100 * costs[0] > 100 * rows[1].final_cost
    rng = np.random.default_rng(0)  # labels at random: no plane separates them
    noisy = Race(rng.random((3, 60)), (rng.random((1, 60)) < 0.5).astype(float), iterations=300)
    noisy.add(RaceConfig(alpha=100.0))
    row = finished(noisy).summaries()[0]
    assert row.diverged and row.final_cost > noisy.runs[0].history.costs.values[0]


def test_the_shared_slice_holds_every_path_from_the_common_start(problem):
    X, Y, Xt, Yt = problem
    race = Race(X, Y, Xt, Yt, iterations=80)
    for config in CONFIGS[:3]:
        race.add(config)
    finished(race)
    assert {r.gd.method for r in race.runs} == {"gram", "primal"}  # both coordinate systems on one plane
    view = race.shared_slice()
    assert view.J.shape == (48, 48) and np.all(np.isfinite(view.J))
    for s, t, distance in view.paths:
        assert (s[0], t[0], distance[0]) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
        assert np.all(distance >= 0)
    best = min(range(3), key=lambda i: race.runs[i].gd.cost)
    s, t, distance = view.paths[best]
    assert distance[-1] < 1e-6 * max(1.0, abs(s[-1]))  # the plane holds the best run's end point
    gd = race.runs[best].gd
    w0 = np.zeros(X.shape[0])
    assert s[-1] == pytest.approx(np.linalg.norm(gd.w - w0), rel=1e-9) and t[-1] == pytest.approx(gd.b)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_a_path_has_the_same_plane_coordinates_on_either_path(problem, method):
    X, Y, _, _ = problem
    gd = GradientDescent(X, Y, alpha=0.3, method=method, init="random", seed=2)
    gd.step(40)
    w0 = GradientDescent(X, Y, init="random", seed=2, method="primal").w
    d1 = np.random.default_rng(0).standard_normal(X.shape[0])
    d1 /= np.linalg.norm(d1)
    s, t, distance = Race._path(gd, w0, d1)
    W = np.array([gd.param.w(theta) for theta in gd.trajectory.thetas + [gd.theta]]) - w0
    np.testing.assert_allclose(s, W @ d1, atol=1e-9)
    np.testing.assert_allclose(distance, np.sqrt(np.clip(np.sum(W * W, axis=1) - (W @ d1) ** 2, 0, None)), atol=1e-6)
    assert t[-1] == pytest.approx(gd.b)


def test_a_configuration_runs_once(problem):
    race = Race(*problem, iterations=10)
    race.add(RaceConfig(alpha=0.1))
    with pytest.raises(ValueError, match="already in the race"):
        race.add(RaceConfig(alpha=0.1))


def test_presets_are_valid_races(problem):
    assert set(PRESETS) >= {"Course α", "Batch vs mini-batch vs stochastic", "GD vs momentum vs Adam",
                            "L2 from 0 to 10"}
    for configs, iterations in PRESETS.values():
        assert iterations > 0 and len(set(configs)) == len(configs)
        for c in configs:
            assert race_config_from_dict(c.to_dict()) == c
    lams = [c.lam for c in PRESETS["L2 from 0 to 10"][0]]
    assert min(lams) == 0 and max(lams) == 10


def test_a_run_read_back_with_an_old_rise_mark_is_judged_on_its_costs(problem):
    """Older comparison files kept diverged_at where J passed 10x its start: not a step that was not finite."""
    X, Y, Xt, Yt = problem
    race = Race(X, Y, Xt, Yt, iterations=100)
    run = race.add(RaceConfig(alpha=500.0))
    finished(race)
    assert run.verdict().kind == "unstable"
    run.diverged_at = 2
    assert run.verdict().kind == "unstable" and run.verdict().not_finite_at is None
