"""The model's settings (hidden sizes, activation, init scale): strict in files, read from text on the command line."""

import json

import pytest

from tests.formats.test_storage import dataset
from visualizer.core.analysis.sharpening import LiveSharpness, SharpnessProbe
from visualizer.core.models import MODELS, model_of
from visualizer.data.planar import as_dataset, load_planar
from visualizer.formats.lesson_files import LessonError, load_lesson, load_lesson_data
from visualizer.model.constraints import parse
from visualizer.model.expectations import parse as parse_expectation
from visualizer.model.lesson_check import check
from visualizer.model.run_setup import built_with, new_run
from visualizer.model.settings import RunSettings, SettingsError
from visualizer.model.state import NEW_RUN, DataSets, WindowState


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


def test_a_lesson_locks_and_hides_the_model_now_the_window_has_its_controls(tmp_path):
    path = tmp_path / "lock.toml"
    path.write_text('title = "l"\n[controls]\nlocked = ["hidden", "activation"]\nhidden = ["init_scale"]\n',
                    encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.locked == ("hidden", "activation") and lesson.hidden == ("init_scale",)


def _state(**settings) -> WindowState:
    return WindowState(DataSets(as_dataset(load_planar("planar:flower")), None), RunSettings.from_dict(settings, "t"))


def test_new_run_builds_the_model_the_settings_say():
    data = as_dataset(load_planar("planar:flower"))
    logistic = new_run(data, None, RunSettings())
    network = new_run(data, None, RunSettings.from_dict(
        {"hidden": [4], "activation": "tanh", "init": "random", "seed": 2, "alpha": 1.2}, "test"))
    assert model_of(logistic) is MODELS["logistic"] and logistic.probe is not None
    assert model_of(network) is MODELS["network"] and isinstance(network.probe, LiveSharpness)  # measured 2/λmax
    assert network.history.metric("edge")[1][0] == pytest.approx(2 / SharpnessProbe().measure(
        network.net, network.theta, data.X, data.Y)["sharpness"], rel=1e-4)
    assert network.net.sizes == (2, 4, 1) and network.activation == "tanh"
    assert network.history.costs.values.size == 0 and round(network.cost, 6) == 0.693048
    assert network.history.last_metric_iteration == 0  # iteration 0's metrics are there before any step
    assert built_with(network) == {"loss": "cross-entropy", "init": "random", "seed": 2, "hidden": (4,),
                                   "activation": "tanh", "init_scale": 0.01}
    assert built_with(logistic)["hidden"] == ()


@pytest.mark.parametrize("change", [{"optimizer": "adam"}, {"batch_size": 64}, {"decay": 0.1}])
def test_the_window_trains_a_network_with_every_optimizer_batch_and_decay(change):
    state = _state(hidden=[4])
    state.change_settings(**change)
    assert state.settings.hidden == (4,) and all(getattr(state.settings, k) == v for k, v in change.items())
    state.change_settings(hidden=(5,))  # and a network is taken with them set
    assert state.settings.hidden == (5,)


def test_a_lesson_asking_a_network_for_adam_is_taken(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('title = "n"\n[data]\nsource = "demo"\n[settings]\nhidden = [4]\n'
                    'optimizer = "adam"\n', encoding="utf-8")
    lesson = load_lesson(path)
    load_lesson_data(lesson)
    assert lesson.settings.optimizer == "adam" and lesson.settings.hidden == (4,)


def test_check_lesson_measures_a_network_and_claims_no_edge_for_it():
    data = as_dataset(load_planar("planar:flower"))
    settings = RunSettings.from_dict({"hidden": [4], "activation": "tanh", "init": "random", "seed": 2,
                                      "alpha": 1.2}, "t")
    first, later, edge = check([parse_expectation(t) for t in ("J at 0 > 0.693", "J at 1000 < 0.29",
                                                                "edge at 1000 > 0")], data, None, settings)
    assert first.holds and later.holds and "0.288083" in later.measured
    assert not edge.holds  # no edge of stability is measured on a network, so none is claimed


def test_the_window_refuses_a_network_too_large_to_hold():
    state = WindowState(DataSets(dataset(6), None))  # 16 px images: n_x = 768
    with pytest.raises(SettingsError, match=r"107,710,001 parameters; at most 10,000,000") as info:
        state.change_settings(hidden=(10_000, 10_000))
    assert info.value.key == "hidden" and state.settings.hidden == ()
    state.change_settings(hidden=(20, 7, 5))
