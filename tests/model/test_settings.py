"""RunSettings: one validation for session files, saved preferences and the command line."""

import json
import math

import pytest

from visualizer.core import LOSSES
from visualizer.model.settings import SLICE_KINDS, RunSettings, SettingsError, check_budget, check_seed


def test_defaults_round_trip_through_json():
    s = RunSettings()
    assert RunSettings.from_dict(json.loads(json.dumps(s.to_dict())), "x") == s
    assert s.to_dict() == {"alpha": 0.005, "loss": "cross-entropy", "init": "zeros", "seed": 0, "budget": 2000,
                           "speed": None, "slice": "w-direction", "optimizer": "gd", "batch_size": None,
                           "beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "lam": 0.0, "decay": 0.0,
                           "decay_kind": "inverse"}


def test_default_optimizer_settings_are_todays_batch_descent():
    from visualizer.core.optim.optimizers import Optimizer

    assert Optimizer.from_settings(RunSettings()) == Optimizer() and Optimizer().is_plain(209)
    old_file = {"alpha": 0.1, "loss": "cross-entropy", "init": "zeros", "seed": 0, "budget": 2000, "speed": None,
                "slice": "w-direction"}  # a session saved before optimizers existed
    assert Optimizer.from_settings(RunSettings.from_dict(old_file, "old.npz")) == Optimizer()


def test_optimizer_settings_round_trip():
    d = {"optimizer": "adam", "batch_size": 64, "beta": 0.5, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6,
         "lam": 0.7, "decay": 0.05, "decay_kind": "exponential"}
    s = RunSettings.from_dict(d, "x")
    assert {k: getattr(s, k) for k in d} == d
    assert RunSettings.from_dict(json.loads(json.dumps(s.to_dict())), "x") == s
    assert RunSettings.from_dict({"batch_size": "32", "lam": "0"}, "cli").batch_size == 32


def test_exponential_decay_must_stay_below_one():
    with pytest.raises(SettingsError, match="below 1"):
        RunSettings.from_dict({"decay": 1.0, "decay_kind": "exponential"}, "x")
    assert RunSettings.from_dict({"decay": 3.0}, "x").decay == 3.0  # inverse decay may be any size


def test_missing_keys_take_defaults():
    assert RunSettings.from_dict({"alpha": 0.1}, "x") == RunSettings(alpha=0.1)


@pytest.mark.parametrize("key, value", [
    ("alpha", -1), ("alpha", 0), ("alpha", math.nan), ("alpha", math.inf), ("alpha", 1e7), ("alpha", True),
    ("alpha", "abc"), ("alpha", None), ("loss", "hinge"), ("loss", 3), ("init", "ones"), ("seed", -1),
    ("seed", 2**32), ("seed", 1.5), ("seed", True), ("seed", "x"), ("budget", -5), ("budget", 10**12),
    ("budget", False), ("speed", 0), ("speed", math.nan), ("speed", "fast"), ("slice", "principal-plane"),
    ("slice", ["w-direction"]), ("optimizer", "sgd"), ("optimizer", 1), ("batch_size", 0), ("batch_size", -3),
    ("batch_size", 2.5), ("batch_size", True), ("beta", 1.0), ("beta", -0.1), ("beta", math.nan), ("beta1", 1.5),
    ("beta2", 1), ("epsilon", 0), ("epsilon", -1e-8), ("epsilon", math.inf), ("lam", -1), ("lam", math.inf),
    ("decay", -0.5), ("decay", math.nan), ("decay_kind", "step"),
])
def test_each_bad_value_is_named_with_its_key_and_source(key, value):
    with pytest.raises(SettingsError) as info:
        RunSettings.from_dict({key: value}, "s.vis.npz")
    message = str(info.value)
    assert message.startswith("s.vis.npz: ") and repr(key) in message
    assert str(value)[:10] in message or repr(value)[:10] in message


def test_unknown_keys_and_non_objects_are_refused():
    with pytest.raises(SettingsError, match="unknown setting 'alhpa'"):
        RunSettings.from_dict({"alhpa": 0.1}, "f")
    with pytest.raises(SettingsError, match="JSON object"):
        RunSettings.from_dict([0.1], "f")


def test_every_loss_and_slice_is_accepted():
    for loss in LOSSES:
        assert RunSettings.from_dict({"loss": loss}, "f").loss == loss
    for kind in SLICE_KINDS:
        assert RunSettings.from_dict({"slice": kind}, "f").slice == kind


@pytest.mark.parametrize("key, raw, expected", [
    ("alpha", "abc", 0.005), ("alpha", "inf", 0.005), ("alpha", "1e400", 0.005), ("alpha", "0.25", 0.25),
    ("alpha", None, 0.005), ("seed", "7", 7), ("seed", "-3", 0), ("budget", "1e3", 1000), ("budget", "", 2000),
    ("speed", "@Invalid()", None), ("speed", "30", 30.0), ("slice", "principal", "principal"),
    ("slice", 1, "w-direction"), ("loss", "hinge", "cross-entropy"),
])
def test_field_or_default_checks_raw_preferences_quietly(key, raw, expected):
    assert RunSettings.field_or_default(key, raw) == expected


def test_whole_numbers_from_strings():
    assert check_budget("1e6") == 10**6 and check_seed(" 12 ") == 12
    with pytest.raises(ValueError, match="whole number"):
        check_budget("12.5")
    with pytest.raises(ValueError, match="between 0 and 1000000000"):
        check_budget("1000000000000")


def test_settings_are_frozen():
    s = RunSettings(alpha=0.1)
    with pytest.raises(AttributeError):
        s.alpha = 1.0  # type: ignore[misc]
