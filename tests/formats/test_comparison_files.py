"""The explorer's race and sweep in a session file: they round-trip, and damaged entries are refused whole."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from tests.formats.test_storage import dataset, entries
from visualizer.core import GradientDescent
from visualizer.core.analysis.race import Race, RaceConfig
from visualizer.core.analysis.race_seeds import seed_groups
from visualizer.core.analysis.stability import SweepPoint, sweep_curves
from visualizer.formats.comparison_files import SavedComparison, csv_text, save_csv, save_sweep_csv
from visualizer.formats.storage import StorageError, load_session, save_session


def race_of(train, test) -> Race:
    race = Race(train.X, train.Y, test.X, test.Y, iterations=40)
    for config in (RaceConfig(alpha=0.01), RaceConfig("adam", 0.001, batch_size=2, lam=0.5)):
        race.add(config)
    while race.step(15):
        pass
    race.shared_slice(grid=8)
    return race


@pytest.fixture
def kept(tmp_path):
    train, test = dataset(6), dataset(4, seed=1, source="t")
    race = race_of(train, test)
    comparison = SavedComparison(40, "cross-entropy", "zeros", 0, 0.6, "epochs", race.runs, race.slice,
                                 {"k": 5, "lo": -4.0, "hi": 0.0, "iterations": 30},
                                 [SweepPoint(1e-4, 0.69, False, True), SweepPoint(1.0, 5.0, True, False)],
                                 [np.linspace(0.69, 0.5, 31), np.array([0.69, 2.0, 5.0])])
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    gd.step(5)
    path = tmp_path / "c.vis.npz"
    save_session(path, train, test, {"alpha": 0.01}, gd.history, gd.iteration, gd.w, gd.b, comparison=comparison)
    return path, race


def test_a_race_and_a_sweep_round_trip(kept):
    path, race = kept
    c = load_session(path).comparison
    assert (c.iterations, c.loss, c.target, c.axis) == (40, "cross-entropy", 0.6, "epochs")
    assert [r.config for r in c.runs] == [r.config for r in race.runs]
    for back, run in zip(c.runs, race.runs, strict=True):
        assert back.gd is None and back.iteration == run.iteration == 40 and back.every == run.every
        np.testing.assert_array_equal(back.history.costs.values, run.history.costs.values)
        for name in ("iteration", "train_cost", "train_accuracy", "test_cost", "test_accuracy"):
            np.testing.assert_array_equal(back.history.metrics[name].values, run.history.metrics[name].values)
        np.testing.assert_array_equal(back.seconds.values, run.seconds.values)
    np.testing.assert_array_equal(c.slice.J, race.slice.J)
    for a, b in zip(c.slice.paths, race.slice.paths, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)
    assert c.sweep == {"k": 5, "lo": -4.0, "hi": 0.0, "iterations": 30} and c.sweep_points[1].diverged
    assert [x.tolist() for x in c.sweep_curves] == [np.linspace(0.69, 0.5, 31).tolist(), [0.69, 2.0, 5.0]]
    assert [r.reached(0.6) for r in c.runs] == [r.reached(0.6) for r in race.runs]


def test_a_race_of_seeds_reads_back_with_its_seeds_and_its_verdict(tmp_path):
    """A seed's row keeps its seed in the file, and the row where each run's last tenth starts, so the
    verdict under a race read back is the one measured."""
    train = dataset(6)
    race = Race(train.X, train.Y, iterations=30, hidden=(2,), activation="tanh")
    for seed in (1, 2):
        race.add(RaceConfig(alpha=0.5, seed=seed))
    while race.step(15):
        pass
    comparison = SavedComparison(30, "cross-entropy", "zeros", 0, 0.6, "iterations", race.runs)
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    path = tmp_path / "s.vis.npz"
    save_session(path, train, None, {"alpha": 0.01}, gd.history, 0, gd.w, gd.b, comparison=comparison)
    back = Race(train.X, train.Y, iterations=30, hidden=(2,), activation="tanh")
    back.runs = load_session(path).comparison.runs
    assert [r.config.seed for r in back.runs] == [1, 2]
    assert [g.sentence() for g in seed_groups(back)] == [g.sentence() for g in seed_groups(race)]
    assert seed_groups(back)[0].race is not None
    assert [r["seed"] for r in csv.DictReader(io.StringIO(csv_text(back.runs)))][::31] == ["1", "2"]


def test_a_race_of_hidden_sizes_reads_back_with_them_and_a_row_without_one_stays_the_windows(tmp_path):
    """A row's hidden layers are kept as a list ([] for logistic regression); a row with none is written as
    before hidden layers were a column, so older files read as the window's model."""
    train = dataset(6)
    race = Race(train.X, train.Y, iterations=10, init="random", seed=1, activation="tanh")
    configs = [RaceConfig(alpha=0.5, hidden=(3, 2)), RaceConfig(alpha=0.5, hidden=()), RaceConfig(alpha=0.5)]
    for config in configs:
        race.add(config)
    while race.step(15):
        pass
    comparison = SavedComparison(10, "cross-entropy", "random", 1, 0.6, "iterations", race.runs)
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    path = tmp_path / "h.vis.npz"
    save_session(path, train, None, {"alpha": 0.01}, gd.history, 0, gd.w, gd.b, comparison=comparison)
    head = json.loads(str(entries(path)["comparison"][()]))
    assert [run["config"].get("hidden", "absent") for run in head["runs"]] == [[3, 2], [], "absent"]
    back = load_session(path).comparison.runs
    assert [r.config for r in back] == configs
    np.testing.assert_array_equal(back[0].history.costs.values, race.runs[0].history.costs.values)
    hidden = [r["hidden"] for r in csv.DictReader(io.StringIO(csv_text(back))) if r["iteration"] == "0"]
    assert hidden == ["3,2", "none", "same"]


def test_sessions_without_a_comparison_have_none(kept, tmp_path):
    path, _ = kept
    a = entries(path)
    del a["comparison"], a["comparison_values"]
    plain = tmp_path / "plain.npz"
    np.savez(plain, **a)
    assert load_session(plain).comparison is None


def test_a_sweep_saved_before_its_curves_were_kept_still_opens(kept, tmp_path):
    path, race = kept
    a = entries(path)
    head = json.loads(str(a["comparison"][()]))
    del head["sweep"]["curves"]
    a["comparison"] = np.array(json.dumps(head))
    a["comparison_values"] = a["comparison_values"][:-(31 + 3)]  # the curves are the last values
    old = tmp_path / "old.npz"
    np.savez(old, **a)
    c = load_session(old).comparison
    assert c.sweep_curves is None and len(c.sweep_points) == 2 and [r.config for r in c.runs] == [
        r.config for r in race.runs]


def _edit(change):
    def corrupt(a):
        head = json.loads(str(a["comparison"][()]))
        change(head, a)
        a["comparison"] = np.array(json.dumps(head))
        return a

    return corrupt


def _run0(key, value):
    return _edit(lambda h, a: h["runs"][0].__setitem__(key, value))


def _values(fn):
    def change(h, a):
        a["comparison_values"] = fn(a["comparison_values"].copy())

    return _edit(change)


def _nan_first(v):
    v[0] = np.nan
    return v


def _accuracy_150(v):
    v[40 + 41 + 41] = 150.0  # after run 1's 40 costs, 41 row iterations and 41 full costs
    return v


def _negative_last(v):
    v[-1] = -1.0
    return v


def _deep(h, a):
    a["comparison"] = np.array("[" * 100000 + "]" * 100000)


HOSTILE = [
    ("not JSON", lambda a: {**a, "comparison": np.array("{runs")}, "('comparison') is not valid JSON"),
    ("nested deeply", lambda a: _deep(None, a) or a, "nested too deeply"),
    ("another format", _edit(lambda h, a: h.__setitem__("format", 9)), "format 9 is not 1"),
    ("no values", _edit(lambda h, a: a.pop("comparison_values")), "'comparison_values') are missing"),
    ("beta 1", _run0("config", {"optimizer": "momentum", "beta": 1.0}), "'beta': beta must be a number in [0, 1)"),
    ("batch over m", _run0("config", {"batch_size": 7}), "at most the number of training examples m = 6"),
    ("unknown config key", _run0("config", {"alhpa": 1}), "unknown key 'alhpa'"),
    ("iteration beyond budget", _run0("iteration", 41), "'iteration' must be a whole number from 0 to 40"),
    ("costs count", _run0("costs", 3), "one every 1"),
    ("stride not a power of two", _run0("costs_stride", 3), "a power of two"),
    ("rows as text", _run0("rows", "10"), "'rows' must be a whole number"),
    ("more test rows", _run0("test_rows", 99), "no more test rows"),
    ("diverged after the end", _run0("diverged_at", 99), "'diverged_at'"),
    ("too few values", _values(lambda v: v[:-5]), "only"),
    ("values left over", _values(lambda v: np.append(v, [1.0, 2.0])), "2 values are left over"),
    ("NaN cost", _values(_nan_first), "not finite numbers"),
    ("accuracy over 100", _values(_accuracy_150), "run 1's train_accuracy holds values"),
    ("same run twice", _edit(lambda h, a: h["runs"][1].__setitem__("config", h["runs"][0]["config"])),
     "appears twice"),
    ("too many runs", _edit(lambda h, a: h.__setitem__("runs", h["runs"] * 9)), "at most 16"),
    ("huge grid", _edit(lambda h, a: h["slice"].__setitem__("grid", [10**6, 2])), "two sizes from 2 to 512"),
    ("paths for other runs", _edit(lambda h, a: h["slice"].__setitem__("paths", [3])), "one path length"),
    ("an axis of hours", _edit(lambda h, a: h.__setitem__("axis", "hours")), "iterations, epochs, seconds"),
    ("bad loss", _edit(lambda h, a: h.__setitem__("loss", "hinge")), "the loss must be one of"),
    ("sweep point", _edit(lambda h, a: h["sweep"]["points"].append([1, 2])), "[alpha, cost, diverged, steady]"),
    ("sweep K", _edit(lambda h, a: h["sweep"].__setitem__("k", 10**9)), "'k' must be a whole number"),
    ("negative target", _edit(lambda h, a: h.__setitem__("target", -1)), "'target' must be a number"),
    # a whole number past any float: math.isfinite raised OverflowError, a traceback
    ("target 10^400", _edit(lambda h, a: h.__setitem__("target", 10**400)), "'target' must be a number"),
    ("elapsed 10^400", _run0("elapsed", 10**400), "'elapsed' must be a number"),
    ("curve longer than the sweep", _edit(lambda h, a: h["sweep"].__setitem__("curves", [32, 2])),
     "one length from 1 to 31"),
    ("curves for other points", _edit(lambda h, a: h["sweep"].__setitem__("curves", [34])), "each of its 2 points"),
    ("curve lengths as text", _edit(lambda h, a: h["sweep"].__setitem__("curves", "31,3")), "the sweep's curves"),
    ("empty curve", _edit(lambda h, a: h["sweep"].__setitem__("curves", [34, 0])), "one length from 1"),
    ("negative cost in a curve", _values(_negative_last), "the sweep's curve 2 holds values"),
]


@pytest.mark.parametrize("name, corrupt, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_damaged_comparisons_refuse_the_session_with_a_message(kept, tmp_path, name, corrupt, message):
    path, _ = kept
    bad = tmp_path / "bad.npz"
    np.savez(bad, **corrupt(entries(path)))
    with pytest.raises(StorageError) as info:
        load_session(bad)
    text = str(info.value)
    assert text.startswith(str(bad)) and message in text and "\n" not in text, text


def test_the_csv_has_one_row_per_run_and_iteration(kept, tmp_path):
    _, race = kept
    out = tmp_path / "race.csv"
    save_csv(out, race.runs)
    assert out.read_bytes() == csv_text(race.runs).encode()
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    for k, run in enumerate(race.runs, start=1):
        mine = [r for r in rows if r["run"] == str(k)]
        assert [int(r["iteration"]) for r in mine] == list(range(41))  # 40 costs, and the state after the last
        assert [float(r["cost"]) for r in mine[:40]] == run.history.costs.values.tolist() and mine[40]["cost"] == ""
        its, full = run.rows("train_cost")
        measured = [r for r in mine if r["full_cost"]]
        assert [int(r["iteration"]) for r in measured] == its.tolist()
        assert [float(r["full_cost"]) for r in measured] == full.tolist()
        assert float(measured[-1]["seconds"]) == run.seconds.values[-1]
        assert mine[0]["optimizer"] == run.config.optimizer and mine[0]["batch_size"] == str(
            run.config.batch_size or "all")


def numpy_costs(X, Y, alpha: float, iterations: int) -> list[float]:
    """J at iterations 0..iterations of batch gradient descent from zeros, as the course writes it."""
    X, y = X.astype(np.float64), Y.reshape(1, -1).astype(np.float64)
    m = X.shape[1]
    w, b, out = np.zeros((X.shape[0], 1)), 0.0, []
    for _ in range(iterations + 1):
        a = 1 / (1 + np.exp(-(w.T @ X + b)))
        out.append(float(np.mean(-y * np.log(a) - (1 - y) * np.log(1 - a))))
        dz = a - y
        w, b = w - alpha * (X @ dz.T / m), b - alpha * float(np.mean(dz))
    return out


def test_the_sweep_csv_has_one_row_per_alpha_and_iteration(tmp_path):
    train = dataset(6)
    alphas = [1e-4, 1e-3]
    points, curves = sweep_curves(train.X, train.Y, alphas, 25)
    alone = [GradientDescent(train.X, train.Y, alpha=a) for a in alphas]  # each run on its own Gram matrix
    for gd in alone:
        gd.step(25)
    assert [p.final_cost for p in points] == [gd.cost for gd in alone]
    out = tmp_path / "sweep.csv"
    save_sweep_csv(out, points, curves)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 2 * 26 and list(rows[0])[:3] == ["run", "optimizer", "alpha"]
    for k, alpha in enumerate(alphas, start=1):
        mine = [r for r in rows if r["run"] == str(k)]
        assert [int(r["iteration"]) for r in mine] == list(range(26)) and {r["alpha"] for r in mine} == {str(alpha)}
        expected = numpy_costs(train.X, train.Y, alpha, 25)
        np.testing.assert_allclose([float(r["cost"]) for r in mine], expected, rtol=1e-12)
        assert mine[0]["steady"] == "True" and mine[0]["batch_size"] == "all"


def test_a_halted_run_of_the_race_is_kept_with_its_mark(tmp_path):
    """A halt marks the step after the last one run: the file held it and refused itself on reading."""
    train, test = dataset(6), dataset(4, seed=1, source="t")
    race = Race(train.X * 1e152, train.Y, iterations=40)
    run = race.add(RaceConfig(alpha=1e6))
    while race.step(15):
        pass
    assert run.diverged_at == run.iteration + 1 and run.verdict().diverged
    comparison = SavedComparison(40, "cross-entropy", "zeros", 0, 0.6, "iterations", race.runs, None, None, None,
                                 None)
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    path = tmp_path / "h.vis.npz"
    save_session(path, train, test, {"alpha": 0.01}, gd.history, gd.iteration, gd.w, gd.b, comparison=comparison)
    back = load_session(path).comparison.runs[0]
    assert back.diverged_at == run.diverged_at and back.verdict().sentence() == run.verdict().sentence()
