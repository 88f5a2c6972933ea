"""A network's model file: written and read back bit for bit, and every bad file one sentence naming it."""

import json

import numpy as np
import pytest

from tests.formats.test_storage import entries, npy_header, with_member
from visualizer.core.engine.losses import sigmoid
from visualizer.core.models import Network, initial_parameters, network_trainer, output_z
from visualizer.core.optim.optimizers import Optimizer
from visualizer.formats.model_files import Model, NetworkModel, load_model, save_model, save_network_model
from visualizer.fs.atomic import StorageError

N_PX = 16
N_X = 3 * N_PX * N_PX


def trained():
    """A small network trained a few Adam steps on random 16 px images: θ far from its seeded start."""
    rng = np.random.default_rng(3)
    X, Y = rng.random((N_X, 12)), (np.arange(12) % 2).reshape(1, -1)
    net = Network(N_X, (4, 3), activation="tanh")
    run = network_trainer(net, X, Y, initial_parameters(net, "random", 1, "he"), alpha=0.01,
                          optimizer=Optimizer(kind="adam"))
    run.step(5)
    return net, run.theta, X


@pytest.fixture
def saved(tmp_path):
    net, theta, X = trained()
    path = tmp_path / "net.npz"
    save_network_model(path, net, theta, N_PX, ("non-cat", "cat"), [(0, 0.01)],
                       {"train_cost": 0.6, "test_cost": float("nan")})
    return path


def test_a_network_round_trips_bit_for_bit(saved):
    net, theta, X = trained()
    model = load_model(saved)
    assert isinstance(model, NetworkModel) and model.net.sizes == (N_X, 4, 3, 1) and model.net.activation == "tanh"
    assert np.array_equal(model.theta, theta)
    assert np.array_equal(sigmoid(model.z(X)), sigmoid(output_z(net, theta, X).reshape(-1)))
    assert (model.n_px, model.classes, model.alpha_changes) == (N_PX, ("non-cat", "cat"), [(0, 0.01)])
    assert model.metrics == {"train_cost": 0.6, "test_cost": None}
    stored = entries(saved)  # the course's names and shapes, readable with np.load
    assert [stored[k].shape for k in ("W1", "b1", "W2", "b2", "W3", "b3")] == [(4, N_X), (4, 1), (3, 4), (3, 1),
                                                                                (1, 3), (1, 1)]
    assert int(stored["version"]) == 2 and "w" not in stored


def test_logistic_files_are_written_as_before_and_still_load(tmp_path):
    save_model(tmp_path / "lr.npz", np.arange(N_X) / N_X, 0.25, N_PX, ("a", "b"), [(0, 0.005)], {"train_cost": 0.5})
    stored = entries(tmp_path / "lr.npz")
    assert int(stored["version"]) == 1 and "layer_sizes" not in stored
    model = load_model(tmp_path / "lr.npz")
    assert isinstance(model, Model) and model.b == 0.25 and np.array_equal(model.w, np.arange(N_X) / N_X)


def test_a_run_that_overflowed_is_not_saved(tmp_path):
    net, theta, _ = trained()
    theta[3] = np.inf
    with pytest.raises(StorageError, match="not saved: the network's parameters are not all finite"):
        save_network_model(tmp_path / "x.npz", net, theta, N_PX, ("a", "b"), [(0, 0.1)], {})
    assert not (tmp_path / "x.npz").exists()


def sizes(*s):
    return np.array(s, dtype=np.int64)


@pytest.mark.parametrize("changes, message", [
    ({"W2": np.zeros((4, 3))}, "the entry 'W2' has shape (4, 3); layer 2 of 768, 4, 3, 1 takes 4 inputs to 3 units, "
                               "so it must be (3, 4)"),
    ({"b1": np.zeros(4)}, "the entry 'b1' has type float64 and shape (4,)"),
    ({"layer_sizes": sizes(768, 5, 3, 1)}, "the entry 'W1' has shape (4, 768); layer 1 of 768, 5, 3, 1"),
    ({"layer_sizes": sizes(3072, 4, 3, 1)}, "'layer_sizes' must go from n_x = 768 inputs (n_px = 16) to 1 output, "
                                            "not from 3072 to 1"),
    ({"layer_sizes": sizes(768, 4, 3, 2)}, "not from 768 to 2"),
    ({"layer_sizes": sizes(768, 1)}, "must list n_x, 1 to 20 hidden layers and the output's 1, not 2 numbers"),
    ({"layer_sizes": sizes(768, 0, 3, 1)}, "each hidden layer 1 to 10,000 units, not 0, 3"),
    ({"layer_sizes": sizes(768, 10_000, 10_000, 1)}, "parameters; at most 10,000,000 are read"),
    ({"layer_sizes": np.array([768.0, 4, 3, 1])}, "the entry 'layer_sizes' has type float64"),
    ({"W1": np.full((4, N_X), np.nan)}, "the entry 'W1' holds NaN or infinite values"),
    ({"b3": np.array([[np.inf]])}, "the entry 'b3' holds NaN or infinite values"),
    ({"activation": np.array("softmax")}, "the entry 'activation' is 'softmax'; it must be one of relu"),
    ({"W4": np.zeros((1, 1))}, "unexpected entry 'W4.npy'"),
    ({"w": np.zeros(N_X)}, "unexpected entry 'w.npy'"),
    ({"version": np.array(3)}, "written by a newer visualizer (format 3; this one reads 2)"),
    ({"W1": np.zeros((4, N_X), dtype=object)}, "refused: the entry 'W1' holds Python objects"),
])
def test_bad_network_files_are_one_clear_message(saved, tmp_path, changes, message):
    bad = tmp_path / "bad.npz"
    np.savez(bad, **(entries(saved) | changes))
    with pytest.raises(StorageError) as info:
        load_model(bad)
    assert str(info.value).startswith(f"{bad}: ") and message in str(info.value) and "\n" not in str(info.value)


def test_a_missing_layer_is_named(saved, tmp_path):
    stored = entries(saved)
    del stored["b2"]
    np.savez(tmp_path / "bad.npz", **stored)
    with pytest.raises(StorageError, match="the entry 'b2' is missing"):
        load_model(tmp_path / "bad.npz")


def test_a_huge_declared_layer_is_refused_from_its_header(saved, tmp_path):
    out = tmp_path / "huge.npz"
    with_member(saved, out, "W1.npy", npy_header((4, 10**11)) + b"\0" * 64)
    with pytest.raises(StorageError, match=r"'W1' declares \(4, 100000000000\) values of float64 .* more than it "
                                           r"can hold \(24,576 bytes\)"):
        load_model(out)


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.98])
def test_a_truncated_file_is_damage_not_a_traceback(saved, tmp_path, keep):
    data = saved.read_bytes()
    cut = tmp_path / "cut.npz"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(StorageError) as info:
        load_model(cut)
    assert str(info.value).startswith(f"{cut}: ") and "\n" not in str(info.value)


def test_metrics_and_classes_are_checked_as_in_a_logistic_file(saved, tmp_path):
    for changes, message in [({"metrics": np.array(json.dumps({"a": "x"}))}, "of numbers"),
                             ({"metrics": np.array('{"a": 1' + "0" * 400 + "}")}, "of numbers"),  # OverflowError
                             ({"classes": np.array(["cat", "cat"])}, "two different")]:
        np.savez(tmp_path / "bad.npz", **(entries(saved) | changes))
        with pytest.raises(StorageError, match=message):
            load_model(tmp_path / "bad.npz")
