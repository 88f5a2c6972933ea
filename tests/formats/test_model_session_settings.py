"""Sessions keep the model's settings (hidden sizes, activation, init scale), strictly typed."""

import json

import numpy as np
import pytest

from tests.formats.test_storage import dataset
from visualizer.core import GradientDescent
from visualizer.formats.storage import StorageError, load_session, save_session
from visualizer.model.settings import RunSettings


def _save(path, settings):
    train = dataset(6)
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    gd.step(5)
    save_session(path, train, None, settings, gd.history, gd.iteration, gd.w, gd.b)


def test_the_model_settings_round_trip(tmp_path):
    settings = RunSettings.from_dict({"hidden": [20, 7, 5], "activation": "leaky-relu", "init_scale": "he"}, "x")
    _save(tmp_path / "s.npz", settings)
    assert load_session(tmp_path / "s.npz").settings == settings


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
