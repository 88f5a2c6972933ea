"""What a session keeps of the window's view beside the run: the Evaluation panel's threshold and the cost
panel's kept curves. Older files have neither and still open; damaged entries are refused, one clear line."""

from __future__ import annotations

import numpy as np
import pytest

from tests.formats.test_storage import dataset, entries
from visualizer.core import GradientDescent
from visualizer.formats.storage import StorageError, load_session, save_session
from visualizer.model.pinned import pinned_curve
from visualizer.model.settings import RunSettings


@pytest.fixture
def run():
    train = dataset(6)
    gd = GradientDescent(train.X, train.Y, alpha=0.01, metric_stride=10)
    gd.step(20)
    return train, gd


@pytest.fixture
def kept(run, tmp_path):
    """A session with a threshold of 0.7 and two kept curves (one of another data set's m)."""
    train, gd = run
    curves = (pinned_curve(gd.history, 20, RunSettings(alpha=0.01), 6, "a/train"),
              pinned_curve(gd.history, 12, RunSettings(alpha=0.01), 9, "b.h5"))
    path = tmp_path / "k.vis.npz"
    save_session(path, train, None, RunSettings(alpha=0.01), gd.history, gd.iteration, gd.w, gd.b,
                 threshold=0.7, pinned=curves)
    return path, curves


def test_the_threshold_and_the_kept_curves_round_trip(kept):
    path, curves = kept
    s = load_session(path)
    assert s.threshold == 0.7 and len(s.pinned) == 2
    for back, curve in zip(s.pinned, curves, strict=True):
        assert back.label == curve.label and back.short == curve.short and back.m == curve.m
        for name in ("iterations", "seen", "costs", "alphas"):
            assert np.array_equal(getattr(back, name), getattr(curve, name))


def test_an_older_session_without_them_opens_at_the_course_threshold_with_no_curve(kept, tmp_path):
    path, _ = kept
    old = tmp_path / "old.npz"
    np.savez(old, **{k: v for k, v in entries(path).items() if k not in ("threshold", "pinned", "pinned_values")})
    s = load_session(old)
    assert s.threshold == 0.5 and s.pinned == ()


def test_a_session_with_no_curve_kept_writes_no_curve_entries(run, tmp_path):
    train, gd = run
    save_session(tmp_path / "n.npz", train, None, RunSettings(alpha=0.01), gd.history, 20, gd.w, gd.b)
    assert not {"pinned", "pinned_values"} & set(entries(tmp_path / "n.npz"))


def _set(**values):
    return lambda a: a | values


HOSTILE = [
    ("threshold 1", _set(threshold=np.array(1.0)), "'threshold' is 1"),
    ("threshold NaN", _set(threshold=np.array(np.nan)), "'threshold' holds NaN"),
    ("threshold text", _set(threshold=np.array("0.5")), "'threshold' has type"),
    ("curves without values", lambda a: {k: v for k, v in a.items() if k != "pinned_values"}, "need both entries"),
    ("curves not JSON", _set(pinned=np.array("[{")), "not valid JSON"),
    ("curves not objects", _set(pinned=np.array("[1]")), "a label, a short label, m and points"),
    ("values short", lambda a: a | {"pinned_values": a["pinned_values"][:-1]}, "must hold"),
    ("values NaN", lambda a: a | {"pinned_values": np.full_like(a["pinned_values"], np.nan)}, "finite numbers"),
    ("empty label", _set(pinned=np.array('[{"label": " ", "short": "a", "m": 6, "points": 20}, {"label": "b", '
                                         '"short": "b", "m": 9, "points": 12}]')), "needs labels"),
    ("m 0", _set(pinned=np.array('[{"label": "a", "short": "a", "m": 0, "points": 20}, {"label": "b", '
                                 '"short": "b", "m": 9, "points": 12}]')), "m from 1"),
    ("iterations going back", lambda a: a | {"pinned_values": np.concatenate([a["pinned_values"][:20][::-1],
                                                                             a["pinned_values"][20:]])},
     "increasing iterations"),
    ("alpha 0", lambda a: a | {"pinned_values": np.concatenate([a["pinned_values"][:60], np.zeros(20),
                                                               a["pinned_values"][80:]])}, "learning rate"),
]


@pytest.mark.parametrize("name, corrupt, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_damaged_entries_are_refused_with_a_clear_message(kept, tmp_path, name, corrupt, message):
    path, _ = kept
    bad = tmp_path / "bad.npz"
    np.savez(bad, **corrupt(entries(path)))
    with pytest.raises(StorageError) as info:
        load_session(bad)
    assert str(info.value).startswith(str(bad)) and message in str(info.value), str(info.value)
    assert "\n" not in str(info.value)


def test_the_cost_csv_lists_each_kept_curve_by_its_label_after_the_run(run):
    import csv
    import io

    from visualizer.formats.exports import cost_csv

    _, gd = run
    curve = pinned_curve(gd.history, 20, RunSettings(alpha=0.01), 6, "a/train")
    rows = list(csv.reader(io.StringIO(cost_csv({"run": gd.history}, [curve]))))
    kept = [r for r in rows if r[0] == curve.label]
    assert len(rows) == 1 + 21 + 20 and rows[21][1] == "20" and rows[1][0] == "run" and len(kept) == 20
    assert kept[3] == [curve.label, "3", repr(float(gd.history.costs.values[3])), "", "", "", "0.01"]
