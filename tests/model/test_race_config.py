"""The race's configurations, checked by the constraint table: a table's text parsed first, a file's values strictly."""

import pytest

from visualizer.core.analysis.race import RaceConfig
from visualizer.model.race_config import check_cell, race_config_from_dict, trainable


@pytest.mark.parametrize("key, text, message", [
    ("alpha", "fast", "must be a positive number"), ("alpha", "-1", "positive"), ("beta", "1", "[0, 1)"),
    ("beta2", "1.5", "[0, 1)"), ("batch_size", "0", "the batch size must be"), ("batch_size", "2.5", "whole number"),
    ("batch_size", "15", "at most the number of training examples m = 14"), ("lam", "-0.1", "from 0 to 1000000"),
    ("lam", "1e308", "from 0 to 1000000"), ("decay", "nan", "from 0 to 1000000"),
    ("optimizer", "sgd", "one of gd, momentum, rmsprop, adam"),
])
def test_bad_cells_are_refused_with_the_reason(key, text, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace(")", r"\)")):
        check_cell(key, text, m=14)


def test_cells_accept_what_the_table_shows():
    assert check_cell("batch_size", "all", 14) is None and check_cell("batch_size", " 7 ", 14) == 7
    assert check_cell("optimizer", "Adam") == "adam" and check_cell("alpha", "1e-3") == 0.001
    assert race_config_from_dict({"optimizer": "momentum", "batch_size": None}) == RaceConfig("momentum")
    with pytest.raises(ValueError, match="unknown key 'alhpa'"):
        race_config_from_dict({"alhpa": 0.1})
    with pytest.raises(ValueError, match="'beta'"):
        race_config_from_dict({"beta": True})


@pytest.mark.parametrize("d, message", [
    ({"alpha": "0.1"}, "not the text '0.1'"), ({"batch_size": 4.0}, "whole number"), ({"lam": 1e308}, "'lam'"),
    ({"batch_size": 15}, "m = 14"),
])
def test_a_saved_configuration_is_typed_as_settings_are(d, message):
    """A comparison file's text "0.1" was read as a number: files are strict, as lessons and sessions are."""
    with pytest.raises(ValueError, match=message):
        race_config_from_dict(d, 14)


def test_a_seed_cell_is_the_constraint_tables_seed_or_the_common_start():
    assert check_cell("seed", "same") is None and check_cell("seed", " ") is None and check_cell("seed", "7") == 7
    with pytest.raises(ValueError, match="the seed must be a whole number from 0 to 2147483647, not '-1'"):
        check_cell("seed", "-1")
    assert race_config_from_dict({"alpha": 1.2, "seed": 3}) == RaceConfig(alpha=1.2, seed=3)
    assert "seed" not in RaceConfig().to_dict() and RaceConfig(seed=3).to_dict()["seed"] == 3  # older files: none
    assert RaceConfig().cells()["seed"] == "same" and RaceConfig(alpha=1.2, seed=3).label() == "GD α=1.2 seed 3"
    with pytest.raises(ValueError, match="'seed'"):
        race_config_from_dict({"seed": 1.5})


def test_a_hidden_cell_is_the_constraint_tables_hidden_or_the_windows_model():
    assert check_cell("hidden", "same") is None and check_cell("hidden", "") is None
    assert check_cell("hidden", "none") == () and check_cell("hidden", " 20, 7,5 ") == (20, 7, 5)
    with pytest.raises(ValueError, match="the hidden layer sizes must be a list of at most 20 whole numbers from 1"):
        check_cell("hidden", "0")
    assert race_config_from_dict({"alpha": 1.2, "hidden": [4]}) == RaceConfig(alpha=1.2, hidden=(4,))
    assert race_config_from_dict({"hidden": []}).hidden == () and race_config_from_dict({}).hidden is None
    assert "hidden" not in RaceConfig().to_dict() and RaceConfig(hidden=()).to_dict()["hidden"] == ()  # older files
    assert [RaceConfig(hidden=h).cells()["hidden"] for h in (None, (), (20, 7, 5))] == ["same", "none", "20,7,5"]
    assert RaceConfig(alpha=1.2, hidden=()).label() == "GD α=1.2 hidden none"
    with pytest.raises(ValueError, match="'hidden'"):
        race_config_from_dict({"hidden": 4})


def test_a_row_too_large_to_train_is_refused_before_it_runs():
    """1000 units on the cat images' 12288 inputs are 12 million parameters: the window refuses them, so does a row."""
    assert trainable(RaceConfig(hidden=(1000,)), 2) == RaceConfig(hidden=(1000,))
    with pytest.raises(ValueError, match="hidden 1000: a network of 1000 hidden units on 12288 inputs has 12,290,001"):
        trainable(RaceConfig(hidden=(1000,)), 12288)
