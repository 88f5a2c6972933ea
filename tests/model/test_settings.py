"""RunSettings: derived from the constraint table; one validation for sessions, lessons, preferences and the CLI."""

import json
import math

import pytest

from visualizer.core import LOSSES
from visualizer.model.constraints import RUN, parse
from visualizer.model.settings import RunSettings, SettingsError, optimizer_from_dict, run_optimizer


def test_defaults_round_trip_through_json():
    s = RunSettings()
    assert RunSettings.from_dict(json.loads(json.dumps(s.to_dict())), "x") == s
    assert s.to_dict() == {"alpha": 0.005, "loss": "cross-entropy", "init": "zeros", "seed": 0, "budget": 2000,
                           "speed": "watchable", "slice": "w-direction", "optimizer": "gd", "batch_size": None,
                           "beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "lam": 0.0, "decay": 0.0,
                           "decay_kind": "inverse", "hidden": (), "activation": "relu", "init_scale": 0.01}


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
    assert RunSettings.from_dict({"alpha": 1, "lam": 0}, "x").alpha == 1.0  # an int is a number


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
    # Strict types (issue 21, group 12): text is not a number, 32.0 is not an integer.
    ("alpha", "0.1"), ("batch_size", "32"), ("budget", "1e6"), ("seed", "12"), ("batch_size", 32.0),
    ("budget", 1e5), ("lam", "0"), ("speed", "30"),
    # λ is bounded (group 3: 1e308 gave NaN), as α is.
    ("lam", 1e308), ("lam", 1e7), ("decay", 1e7),
    # A JSON whole number beyond any float: OverflowError escaped the file's one message.
    *(pytest.param(key, sign * 10**400, id=f"{key}-10^400") for key, sign in
      (("alpha", 1), ("seed", 1), ("budget", -1), ("batch_size", 1))),
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
    for kind in RUN["slice"].choices:
        assert RunSettings.from_dict({"slice": kind}, "f").slice == kind


@pytest.mark.parametrize("key, raw, expected", [
    ("alpha", "abc", 0.005), ("alpha", "inf", 0.005), ("alpha", "1e400", 0.005), ("alpha", "0.25", 0.25),
    ("alpha", None, 0.005), ("seed", "7", 7), ("seed", "-3", 0), ("budget", "1e3", 1000), ("budget", "", 2000),
    ("speed", "@Invalid()", "watchable"), ("speed", "30", 30.0), ("speed", "", None),
    ("slice", "principal", "principal"),
    ("slice", 1, "w-direction"), ("loss", "hinge", "cross-entropy"),
])
def test_field_or_default_checks_raw_preferences_quietly(key, raw, expected):
    assert RunSettings.field_or_default(key, raw) == expected


def test_text_is_read_into_the_type_first():
    assert parse("budget", "1e6") == 10**6 and parse("seed", " 12 ") == 12 and parse("alpha", "0.25") == 0.25
    assert parse("batch_size", "") is None and parse("loss", "squared-error") == "squared-error"
    with pytest.raises(ValueError, match="whole number"):
        parse("budget", "12.5")
    with pytest.raises(ValueError, match="from 0 to 1000000000"):
        parse("budget", "1000000000000")
    with pytest.raises(ValueError, match="positive number"):
        parse("epsilon", "-1e-8")


@pytest.mark.parametrize("text", ["\u00b2", "4,\u00b3", "9" * 5000])
def test_a_list_of_sizes_that_int_cannot_read_is_refused_by_its_rule(text):
    """'²' is a digit int() cannot read, 5000 digits more than it reads: Python's own message came through."""
    with pytest.raises(ValueError, match="^the hidden layer sizes must be a list of at most 20 whole numbers"):
        parse("hidden", text)
    assert parse("hidden", "\u0663,4") == (3, 4)  # Arabic-Indic 3: a decimal digit int() reads


def test_a_strict_refusal_says_what_is_wrong():
    with pytest.raises(SettingsError, match=r"must be a positive number at most 1000000, not the text '0.1'"):
        RunSettings.from_dict({"alpha": "0.1"}, "f")
    with pytest.raises(SettingsError, match=r"whole number \(written without a decimal point\), not 32.0"):
        RunSettings.from_dict({"batch_size": 32.0}, "f")
    with pytest.raises(SettingsError) as info:
        RunSettings.from_dict({"lam": 1e308}, "f")
    assert (info.value.key, info.value.reason) == ("lam", "lambda (L2) must be a number from 0 to 1000000, not 1e+308")


def test_the_fields_are_the_tables():
    assert list(RunSettings().to_dict()) == list(RUN)
    assert RunSettings().to_dict() == {key: c.default for key, c in RUN.items()}


def test_an_optimizer_read_back_is_checked_as_settings_are():
    assert optimizer_from_dict({"kind": "adam", "batch_size": 8}, "f").kind == "adam"
    for bad in ({"kind": "adam", "beta": 1.5}, {"lam": 1e308}, {"batch_size": 8.0}, {"colour": 1}, [1]):
        with pytest.raises(SettingsError):
            optimizer_from_dict(bad, "f")


def test_the_run_optimizer_writes_b_equal_to_m_as_all_m():
    assert run_optimizer(RunSettings.from_dict({"batch_size": 210}, "x"), 210).batch_size is None
    assert run_optimizer(RunSettings.from_dict({"batch_size": 209}, "x"), 210).batch_size == 209


def test_settings_are_frozen():
    s = RunSettings(alpha=0.1)
    with pytest.raises(AttributeError):
        s.alpha = 1.0  # type: ignore[misc]
