"""A reopened session replays its past as it ran before it was saved: every iteration from where its past starts
(0 for a plain run) gives the same θ and optimizer state to the bit, logistic regression's and a network's; a
file whose past entries do not fit is refused, naming the file; an older file (costs only) still opens."""

from __future__ import annotations

import numpy as np
import pytest

from tests.formats.test_storage import dataset
from visualizer.formats.storage import StorageError, load_session, save_session, session_weights
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings

LOGISTIC = {"alpha": 0.01}
RUNS = [LOGISTIC, {"alpha": 0.01, "optimizer": "adam", "batch_size": 4},
        {"hidden": [3], "init": "random", "alpha": 0.05},
        {"hidden": [3, 2], "activation": "tanh", "init": "random", "alpha": 0.05, "optimizer": "momentum",
         "batch_size": 4}]


def _run(settings: dict, steps=(300, 140)):
    """A run with a change of α between two stretches: its path's stride has doubled at least once."""
    train = dataset(8)
    s = RunSettings.from_dict(settings, "test")
    gd = new_run(train, None, s)
    gd.step(steps[0])
    gd.alpha = settings["alpha"] / 2
    gd.step(steps[1])
    return train, s, gd


def _save(tmp_path, train, settings, gd, exact=None):
    path = tmp_path / "s.vis.npz"
    save_session(path, train, None, settings.__class__.from_dict({**settings.to_dict(), "alpha": gd.alpha}, "t"),
                 gd.history, gd.iteration, *session_weights(gd), exact or gd.exact_state())
    return path


def _reopened(path):
    s = load_session(path)
    gd = new_run(s.train, s.test, s.settings)
    gd.restore(s.w, s.b, s.iteration, s.history, s.exact)
    return gd


def _same(a, b) -> bool:
    (ta, sa), (tb, sb) = a, b
    return (np.array_equal(ta, tb) and (sa.t, sa.epoch, sa.position) == (sb.t, sb.epoch, sb.position)
            and sa.arrays.keys() == sb.arrays.keys() and all(np.array_equal(sa.arrays[k], sb.arrays[k])
                                                             for k in sa.arrays))


@pytest.mark.parametrize("settings", RUNS, ids=["logistic", "logistic-adam", "network", "network-momentum"])
def test_a_reopened_run_replays_from_iteration_0_bit_for_bit(tmp_path, settings):
    train, s, gd = _run(settings)
    again = _reopened(_save(tmp_path, train, s, gd))
    assert again.replay_from == 0 and again.iteration == gd.iteration == 440
    for i in (0, 1, 37, 256, 299, 300, 301, 439, 440):
        assert _same(gd.full_state_at(i), again.full_state_at(i)), i
    again.rewind(100)  # a branch from the reopened past goes on as the original's would
    gd.rewind(100)
    gd.step(5)
    again.step(5)
    assert np.array_equal(gd.theta, again.theta)


def test_a_network_past_starting_off_the_stride_keeps_where_it_starts(tmp_path):
    """A data edit at 37 restarts a network's past off its checkpoints' stride: the start is kept on its own."""
    train, s, gd = _run(RUNS[2], steps=(37, 0))
    gd.replace_data(train.X, train.Y)  # the same examples in a new stepper: the past restarts at 37
    gd.step(50)
    past = gd.exact_state().past
    assert past.origin and past.iterations[:2] == (37, 48)
    again = _reopened(_save(tmp_path, train, s, gd))
    assert again.replay_from == 37
    for i in (37, 40, 48, 60, 87):
        assert _same(gd.full_state_at(i), again.full_state_at(i)), i


def test_an_older_file_without_a_past_still_opens_with_its_past_starting_at_its_end(tmp_path):
    train, s, gd = _run(LOGISTIC, steps=(30, 10))
    path = _save(tmp_path, train, s, gd)
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files if not k.startswith("past_")}
    np.savez(path, **arrays)
    again = _reopened(path)
    assert again.replay_from == again.iteration == 40


@pytest.mark.parametrize("entries, says", [
    ({"past_counters": np.zeros((3, 4), dtype=np.int64)}, "'past_counters' must hold rows of 5"),
    ({"past_start": np.array(41)}, "'past_start' is 41"),
    ({"past_stride": np.array(3)}, "power of two"),
    ({"past_theta": np.zeros((2, 3))}, "'past_theta' must hold"),
    ({"past_theta": None}, "'past_theta' is missing"),
    ({"past_v": np.zeros((1, 10))}, "'past_v' must hold 0 rows"),  # plain descent's points have no moments
    ({"run_theta": None, "run_method": None, "run_w0": None, "run_watch": None}, "'run_theta' is missing"),
])
def test_a_past_that_does_not_fit_is_refused_naming_the_file(tmp_path, entries, says):
    train, s, gd = _run(LOGISTIC, steps=(30, 10))
    path = _save(tmp_path, train, s, gd)
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files}
    for k, v in entries.items():
        arrays.pop(k) if v is None else arrays.__setitem__(k, v)
    bad = tmp_path / "bad.vis.npz"
    np.savez(bad, **arrays)
    with pytest.raises(StorageError, match=says) as err:
        load_session(bad)
    assert str(bad) in str(err.value)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])  # unsigned, the step down wrapped round to a step up
def test_a_past_whose_iterations_go_backwards_is_refused(tmp_path, dtype):
    train, s, gd = _run(LOGISTIC, steps=(30, 10))
    path = _save(tmp_path, train, s, gd)
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files}
    arrays["past_counters"][[1, 2], 0] = arrays["past_counters"][[2, 1], 0]
    arrays["past_counters"] = arrays["past_counters"].astype(dtype)
    np.savez(path, **arrays)
    with pytest.raises(StorageError, match="increasing iterations from 0 to 40"):
        load_session(path)


@pytest.mark.parametrize("settings", RUNS[1:], ids=["logistic-adam", "network", "network-momentum"])
def test_a_past_thinned_to_the_files_budget_still_replays_bit_for_bit(tmp_path, monkeypatch, settings):
    """Over SAVED_PAST_BYTES (Adam on the cat images' w: 74 MB) every other point goes, as the path's own thinning
    does: a replay runs the same steps from an earlier point."""
    monkeypatch.setattr("visualizer.core.engine.data_changes.SAVED_PAST_BYTES", 4000)
    monkeypatch.setattr("visualizer.core.models.network_keeping.SAVED_PAST_BYTES", 4000)
    train, s, gd = _run(settings)
    past = gd.exact_state().past
    assert past.stride > gd.trajectory.stride and past.iterations[0] == 0
    again = _reopened(_save(tmp_path, train, s, gd))
    for i in range(0, 441, 11):
        assert _same(gd.full_state_at(i), again.full_state_at(i)), i


def test_batch_descent_on_the_gram_path_keeps_every_point(monkeypatch):
    """Its points are computed in z: a replay from an earlier one would differ in the last bits."""
    monkeypatch.setattr("visualizer.core.engine.data_changes.SAVED_PAST_BYTES", 4000)
    _, _, gd = _run(LOGISTIC)
    assert gd.method == "gram" and gd.exact_state().past.iterations == tuple(gd.trajectory.iterations)


def test_a_files_reason_for_its_past_is_read_as_one_plain_line(tmp_path):
    """'past_why' is shown in the status bar as it is: a file's newline, ESC or right-to-left override came through."""
    train, s, gd = _run(LOGISTIC, steps=(30, 10))
    path = _save(tmp_path, train, s, gd)
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files}
    np.savez(path, **arrays, past_why=np.array("the data\nchanged \x1b[31mthere\u202e\t at 16\u2028"))
    assert load_session(path).past_why == "the data changed [31mthere at 16"
