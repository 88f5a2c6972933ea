"""The model's settings (hidden sizes, activation, init scale): strict in files, read from text on the command line."""

import json

import pytest

from visualizer.formats.lesson_files import LessonError, load_lesson
from visualizer.model.constraints import parse
from visualizer.model.settings import RunSettings, SettingsError
from visualizer.model.state import NEW_RUN


def test_no_hidden_layer_is_the_default_logistic_regression():
    s = RunSettings()
    assert s.hidden == () and s.activation == "relu" and s.init_scale == 0.01


def test_the_model_round_trips_through_json_as_sessions_store_it():
    s = RunSettings.from_dict({"hidden": [20, 7, 5], "activation": "tanh", "init_scale": "lecun"}, "x")
    assert s.hidden == (20, 7, 5) and hash(s)
    assert RunSettings.from_dict(json.loads(json.dumps(s.to_dict())), "x") == s


@pytest.mark.parametrize(("key", "raw"), [
    ("hidden", [4.0]), ("hidden", [True]), ("hidden", "4"), ("hidden", 4), ("hidden", [0]), ("hidden", [10_001]),
    ("hidden", [1] * 21), ("activation", "softmax"), ("activation", 1), ("init_scale", 0), ("init_scale", -1.0),
    ("init_scale", "0.01"), ("init_scale", "xavier"), ("init_scale", True), ("init_scale", float("inf")),
])
def test_wrong_values_and_types_are_refused_naming_the_key(key, raw):
    with pytest.raises(SettingsError) as info:
        RunSettings.from_dict({key: raw}, "f.npz")
    assert info.value.key == key and str(info.value).startswith(f"f.npz: setting {key!r}")


@pytest.mark.parametrize(("text", "value"), [("4", (4,)), ("20,7,5", (20, 7, 5)), (" 20, 7 ,5 ", (20, 7, 5)),
                                             ("", ()), ("none", ())])
def test_layers_are_read_from_text(text, value):
    assert parse("hidden", text) == value


@pytest.mark.parametrize("text", ["0", "4.5", "a", "4,,x", "-4", "1e3"])
def test_bad_layer_text_is_refused(text):
    with pytest.raises(ValueError, match="the hidden layer sizes must be a list of at most 20 whole numbers"):
        parse("hidden", text)


@pytest.mark.parametrize(("text", "value"), [("lecun", "lecun"), ("he", "he"), ("0.01", 0.01), ("1", 1.0)])
def test_init_scale_is_a_number_or_a_name(text, value):
    assert parse("init_scale", text) == value


def test_changing_the_model_starts_a_new_run():
    assert {"hidden", "activation", "init_scale"} <= set(NEW_RUN)


def test_a_lesson_sets_the_model(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('title = "n"\n[settings]\nhidden = [20, 7, 5]\nactivation = "relu"\ninit_scale = "lecun"\n',
                    encoding="utf-8")
    assert load_lesson(path).settings.hidden == (20, 7, 5)


@pytest.mark.parametrize("line", ['hidden = [4.0]', 'hidden = "4"', 'init_scale = "0.01"', 'activation = "soft"'])
def test_a_lesson_with_a_wrong_model_setting_is_refused(tmp_path, line):
    path = tmp_path / "net.toml"
    path.write_text(f'title = "n"\n[settings]\n{line}\n', encoding="utf-8")
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value).startswith(str(path)) and line.split()[0] in str(info.value)


def test_a_lesson_cannot_lock_the_model_until_the_window_has_a_control_for_it(tmp_path):
    path = tmp_path / "lock.toml"
    path.write_text('title = "l"\n[controls]\nlocked = ["hidden"]\n', encoding="utf-8")
    with pytest.raises(LessonError, match="controls.locked"):
        load_lesson(path)
