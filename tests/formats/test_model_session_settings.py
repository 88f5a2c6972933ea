"""Sessions keep the model's settings (hidden sizes, activation, init scale), strictly typed."""

import json

import numpy as np
import pytest

from tests.formats.test_storage import dataset
from visualizer.formats.storage import StorageError, load_session, save_session, session_weights
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings


def _save(path, settings, test=None):
    train = dataset(6)
    gd = new_run(train, test, settings)
    gd.step(5)
    save_session(path, train, test, settings, gd.history, gd.iteration, *session_weights(gd), gd.exact_state())
    return gd


def test_the_model_settings_round_trip(tmp_path):
    settings = RunSettings.from_dict({"hidden": [20, 7, 5], "activation": "leaky-relu", "init_scale": "he",
                                      "init": "random"}, "x")
    _save(tmp_path / "s.npz", settings)
    assert load_session(tmp_path / "s.npz").settings == settings


@pytest.mark.parametrize("optimizer", [{}, {"optimizer": "adam", "batch_size": 4, "decay": 0.1, "lam": 0.2},
                                       {"optimizer": "momentum", "batch_size": 4}])  # θ itself; W1 in its span
def test_a_network_session_goes_on_where_it_stopped(tmp_path, optimizer):
    settings = RunSettings.from_dict({"hidden": [3, 2], "activation": "tanh", "init": "random", "seed": 4,
                                      "alpha": 0.05, **optimizer}, "x")
    test = dataset(4, seed=1, source="t")
    gd = _save(tmp_path / "s.npz", settings, test)
    session = load_session(tmp_path / "s.npz")
    assert session.w.size == 0 and session.b == gd.theta[-1] and session.exact.method == "network"
    again = new_run(session.train, session.test, session.settings)
    again.restore(session.w, session.b, session.iteration, session.history, session.exact)
    assert again.iteration == 5 and np.array_equal(again.theta, gd.theta) and again.method == gd.method
    assert again.opt_state.position == gd.opt_state.position and again.opt_state.t == gd.opt_state.t
    gd.step(9)
    again.step(9)
    assert np.array_equal(again.theta, gd.theta)
    mine, theirs = again.metrics(), gd.metrics()  # an adaptive optimizer has no edge: nan on both sides
    assert mine.keys() == theirs.keys()
    assert all(np.array_equal(mine[k], theirs[k], equal_nan=True) for k in mine)


def test_a_network_session_without_its_parameters_is_refused(tmp_path):
    path = tmp_path / "s.npz"
    _save(path, RunSettings.from_dict({"hidden": [3], "init": "random"}, "x"))
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files if not k.startswith("run_")}
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(StorageError, match="'run_theta' is missing"):
        load_session(tmp_path / "bad.npz")
    arrays["w"] = np.zeros(6 * 16 * 16 * 3)  # a logistic w under a network's settings
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(StorageError, match="'w' must be empty"):
        load_session(tmp_path / "bad.npz")


@pytest.mark.parametrize(("key", "raw"), [("hidden", [4.5]), ("hidden", "4"), ("init_scale", "0.01"),
                                          ("activation", "soft")])
def test_a_session_with_a_wrong_model_setting_is_refused(tmp_path, key, raw):
    path = tmp_path / "s.npz"
    _save(path, RunSettings())
    with np.load(path) as a:
        arrays = {k: a[k] for k in a.files}
    arrays["settings"] = np.array(json.dumps(json.loads(str(arrays["settings"])) | {key: raw}))
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(StorageError, match=f"setting '{key}'"):
        load_session(bad)
