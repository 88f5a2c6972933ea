"""`visualizer train --layers ...` and 2-D data as a user runs them: the course's own figures, and refusals."""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from tests.conftest import COURSE_DIR
from visualizer.cli.train_network import model_problem
from visualizer.core.engine.losses import sigmoid
from visualizer.core.models import Network, NetworkDescent, initial_parameters, network_accuracy, output_z
from visualizer.core.models.optimized import NetworkOptimized
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import load_data
from visualizer.data.planar import load_planar
from visualizer.formats.model_files import load_model
from visualizer.model.constraints import parse
from visualizer.model.settings import RunSettings


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


FLOWER = ("train", "planar:flower", "--test-fraction", "0", "--layers", "4", "--activation", "tanh", "--init",
          "random", "--seed", "2", "--init-scale", "0.01", "--alpha", "1.2")


def test_the_course_flower_week_3(tmp_path):
    out = run(*FLOWER, "--iterations", "10000", "--print-every", "1000", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    expected = [0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504]
    assert lines[:8] == [f"Cost after iteration {1000 * i}: {j:f}" for i, j in enumerate(expected)]
    assert len([ln for ln in lines if ln.startswith("Cost after")]) == 10  # 8000 and 9000 too (chaotic there)
    accuracy = float(lines[-1].removeprefix("train accuracy: ").removesuffix(" %"))
    assert 89 <= accuracy <= 92 and "test accuracy" not in out.stdout  # all 400 points train; none held out
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["model"] == {"name": "network", "label": "Neural network", "layer_dims": [2, 4, 1], "hidden": [4],
                            "activation": "tanh", "init": "random", "init_scale": 0.01, "parameters": 17}
    assert doc["data"]["m_train"] == 400 and doc["data"]["m_test"] == 0 and doc["data"]["n_x"] == 2
    (r,) = doc["runs"]
    assert r["iterations"] == 10000 and r["diverged"] is False and r["test_accuracy"] is None
    assert [round(c, 6) for c in r["costs"][:8]] == expected and r["train_accuracy"] == accuracy
    assert r["settings"]["hidden"] == [4] and r["settings"]["alpha"] == 1.2 and r["method"] == "primal"


def test_logistic_regression_on_the_flower_gets_about_47_percent(tmp_path):
    out = run("train", "planar:flower", "--test-fraction", "0", "--alpha", "1.2", "--iterations", "2000",
              "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["model"] == {"name": "logistic", "label": "Logistic regression", "layer_dims": [2, 1]}
    assert 45 <= doc["runs"][0]["train_accuracy"] <= 49


def test_a_planar_set_is_split_when_a_test_fraction_is_asked(tmp_path):
    out = run("train", "planar:moons", "--layers", "3", "--init", "random", "--alpha", "0.5", "--iterations", "300",
              "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "r.json").read_text())
    assert (doc["data"]["m_train"], doc["data"]["m_test"]) == (160, 40) and "test accuracy" in out.stdout


def test_a_csv_of_points_trains(tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,y\n0,0,0\n0,1,0\n1,0,1\n1,1,1\n", encoding="utf-8")
    out = run("train", str(csv), "--test-fraction", "0", "--layers", "2", "--init", "random", "--alpha", "1",
              "--iterations", "500", "--print-every", "500")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "train accuracy: 100.0 %"


def test_l2_applies_to_a_network_and_its_cost(tmp_path):
    plain = run(*FLOWER, "--iterations", "1", "--print-every", "1")
    reg = run(*FLOWER, "--iterations", "1", "--print-every", "1", "--lambda", "100")
    assert plain.returncode == reg.returncode == 0, reg.stderr
    j_plain, j_reg = (float(o.stdout.splitlines()[0].split(": ")[1]) for o in (plain, reg))
    assert j_reg > j_plain  # + (λ/2m)·Σ‖W‖²


def test_a_network_trains_with_adam_mini_batches_decay_and_l2(tmp_path):
    """The optimizer lab's flags on a network: printed and in the JSON as a logistic run's, and the very run
    core/models/optimized.py makes."""
    out = run(*FLOWER[:-2], "--alpha", "0.01", "--optimizer", "adam", "--batch-size", "64", "--decay", "0.01",
              "--lambda", "0.1", "--iterations", "300", "--print-every", "100", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines[:3]] == [f"Cost after iteration {i}" for i in (0, 100, 200)]
    (r,) = json.loads((tmp_path / "r.json").read_text())["runs"]
    assert r["settings"]["kind"] == "adam" and r["settings"]["batch_size_used"] == 64
    assert r["settings"]["decay"] == 0.01 and r["settings"]["lam"] == 0.1 and r["iterations"] == 300
    assert r["printed_costs"] == "full J_reg at the stride (mini-batches)"
    net = Network(2, (4,), activation="tanh", lam=0.1)
    flower = load_planar("planar:flower")
    same = NetworkOptimized(net, flower.X, flower.Y, initial_parameters(net, "random", 2, 0.01), alpha=0.01, seed=2,
                            optimizer=Optimizer(kind="adam", batch_size=64, decay=0.01, lam=0.1), record_every=100)
    same.step(300)
    assert r["costs"] == [J for _, J in same.recorded] and r["final_cost"] == same.cost()


def test_networks_at_several_alphas_print_the_table_with_what_j_did(tmp_path):
    """A network's runs carry the verdict logistic runs do (the table read it and crashed without one)."""
    out = run(*FLOWER[:10], "--alpha", "0.5", "1e5", "--activation", "linear", "--iterations", "200", "--json",
              str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    assert "what J did: J falls at every step, from 0.693" in out.stdout and out.stderr == ""
    assert "what J did: diverged: J is not finite from iteration 32 (it was 2.03e+304 at iteration 31" in out.stdout
    rows = out.stdout.splitlines()[-2:]
    assert rows[0].split()[0] == "0.5" and rows[0].endswith("falls at every step")
    assert rows[1].split()[0] == "100000" and rows[1].endswith("diverged")
    calm, wild = json.loads((tmp_path / "r.json").read_text())["runs"]
    assert calm["verdict"]["kind"] == "falls" and not calm["diverged"]
    assert wild["verdict"]["not_finite_at"] == 32 and wild["diverged"] and wild["iterations"] == 32


@pytest.mark.parametrize(("flags", "message"), [
    (["--layers", "4", "--optimizer", "adamw"], "argument --optimizer: the optimizer must be one of gd"),
    (["--layers", "4", "--batch-size", "401"],
     "argument --batch-size: the batch size must be at most the number of training examples m = 400, not 401"),
    (["--layers", "4", "--batch-size", "0"], "argument --batch-size: the batch size must be"),
    (["--layers", "4", "--decay", "-0.1"], "argument --decay: the decay must be"),
    (["--layers", "4", "--optimizer", "adam", "--beta2", "1"], "argument --beta2: beta2 must be a number in [0, 1)"),
    (["--activation", "tanh"], "argument --activation: applies to a network's hidden layers; give --layers too"),
    (["--init-scale", "he"], "argument --init-scale: applies to a network's hidden layers"),
    (["--layers", "0"], "argument --layers: the hidden layer sizes must be a list of at most 20 whole numbers"),
    (["--layers", "4,x"], "argument --layers: the hidden layer sizes must be"),
    (["--layers", "4", "--init-scale", "-1"], "argument --init-scale: the initialization scale must be a positive"),
    (["--layers", "4", "--init-scale", "xavier"], "argument --init-scale: the initialization scale must be"),
    (["--layers", "4", "--activation", "softmax"], "argument --activation: the activation must be one of relu"),
    (["--layers", "4", "--save", "m.npz"], "argument --save: a model of 2-D points cannot be saved yet"),
    (["--n-px", "64"], "planar:flower: holds 2-D points, not images, so --n-px does not apply"),
    (["--layers", "10000,10000"], "argument --layers: a network of 10000, 10000 hidden units on 2 inputs has "
                                  "100,050,001 parameters; at most 10,000,000 train here"),
])
def test_what_a_network_cannot_do_yet_is_one_line_and_exit_2(tmp_path, flags, message):
    out = run("train", "planar:flower", "--test-fraction", "0", "--iterations", "5", *flags, cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"visualizer: error: {message}") and out.stderr.count("\n") == 1, out.stderr


def test_a_network_too_large_for_the_window_is_refused_before_it_trains():
    """--layers 10000,10000 on the cat images trained 222 million parameters (48 s and gigabytes for 3 iterations)."""
    flags = SimpleNamespace(activation=None, init_scale=None)
    big = RunSettings.from_dict({"hidden": [10000, 10000]}, "flags")
    assert model_problem(big, flags, 12288).startswith("argument --layers: a network of 10000, 10000 hidden units on "
                                                      "12288 inputs has 222,910,001 parameters")
    assert model_problem(RunSettings.from_dict({"hidden": [4]}, "flags"), flags, 12288) is None


def test_an_unknown_planar_set_is_one_line():
    out = run("train", "planar:rose")
    assert out.returncode == 2
    assert out.stderr == ("visualizer: error: planar:rose: no such built-in 2-D set; choose planar:flower, "
                          "planar:moons, planar:circles, planar:blobs, planar:gaussian-quantiles\n")


def _course_run(*flags):
    return run("train", str(COURSE_DIR / "train_catvnoncat.h5"), "--test", str(COURSE_DIR / "test_catvnoncat.h5"),
               "--activation", "relu", "--init", "random", "--seed", "1", "--alpha", "0.0075",
               "--iterations", "2500", *flags)


@pytest.mark.course
def test_the_course_deep_model_week_4(course):
    out = _course_run("--layers", "20,7,5", "--init-scale", "lecun")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Cost after iteration 0: 0.771749"
    assert "Cost after iteration 100: 0.672053" in lines and "Cost after iteration 2400: 0.092878" in lines
    assert lines[-2:] == ["train accuracy: 98.56459330143541 %", "test accuracy: 80.0 %"]


@pytest.mark.course
def test_the_course_two_layer_model_week_4(course, tmp_path):
    out = _course_run("--layers", "7", "--init-scale", "0.01", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-2:] == ["train accuracy: 100.0 %", "test accuracy: 72.0 %"]
    costs = json.loads((tmp_path / "r.json").read_text())["runs"][0]["costs"]
    assert len(costs) == 25
    assert costs[0] == pytest.approx(0.6930497356599888, abs=1e-12)
    assert costs[1] == pytest.approx(0.6464320953428849, abs=1e-12)
    assert costs[-1] == pytest.approx(0.048554785628770226, abs=1e-12)


def test_seeds_race_a_network_to_different_minima_and_logistic_regression_to_one(tmp_path):
    net = run(*FLOWER[:10], "--alpha", "1.2", "--iterations", "5000", "--seeds", "1,2", "--json",
              str(tmp_path / "net.json"))
    logistic = run("train", "planar:flower", "--test-fraction", "0", "--init", "random", "--alpha", "1.2",
                   "--iterations", "400", "--seeds", "4,5,6", "--json", str(tmp_path / "logistic.json"))
    assert net.returncode == logistic.returncode == 0, net.stderr + logistic.stderr
    assert net.stdout.splitlines()[-1].startswith(
        "what the seeds did: different minima, as far as 5000 iterations tell: final J from 0.222644 to 0.254261")
    assert logistic.stdout.splitlines()[-1].startswith("what the seeds did: one minimum: the 3 seeds' final J")
    doc = json.loads((tmp_path / "net.json").read_text())
    assert [r["seed"] for r in doc["runs"]] == [1, 2] and doc["seeds"]["kind"] == "apart"
    assert doc["seeds"]["spread"] > 10 * doc["seeds"]["drift"] and doc["model"]["hidden"] == [4]
    doc = json.loads((tmp_path / "logistic.json").read_text())
    assert doc["seeds"]["kind"] == "one" and doc["seeds"]["spread"] <= 1e-6 and doc["model"]["name"] == "logistic"
    assert len({r["costs"][0] for r in doc["runs"]}) == 3  # three different starts


@pytest.mark.parametrize(("flags", "message"), [
    (["--seeds", "1,2"], "argument --seeds: each seed draws a random start; give --init random too"),
    (["--init", "random", "--seeds", "1,1"], "argument --seeds: the seeds must be a list of 2 to 16 different"),
    (["--init", "random", "--seeds", "1,2", "--alpha", "0.1", "0.2"],
     "argument --seeds: races the seeds at one learning rate, not 2; give one --alpha"),
])
def test_bad_seeds_are_one_line_and_exit_2(tmp_path, flags, message):
    out = run("train", "planar:flower", "--iterations", "5", *flags, cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"visualizer: error: {message}") and out.stderr.count("\n") == 1, out.stderr


@pytest.mark.parametrize("text", ["1", "1,1", "", "1,x", "-1,2", ",".join(map(str, range(17)))])
def test_the_seeds_flag_takes_two_to_sixteen_different_seeds(text):
    """In-process: the constraint table's rule for --seeds (the subprocess test above shows one such line)."""
    with pytest.raises(ValueError, match=r"^the seeds must be a list of 2 to 16 different whole numbers from 0 to "):
        parse("seeds", text)
    assert parse("seeds", "3, 1,2") == (3, 1, 2)


def test_a_network_saved_by_train_predicts_what_the_trained_network_says(tmp_path):
    """`train --layers --save` then `predict`: each image's ŷ is the trained network's on that image, the run
    done again here from the same seeded start (the demo set, 3 ReLU units, 30 iterations)."""
    demo = Path(__file__).resolve().parents[2] / "assets" / "demo"
    model = tmp_path / "net.npz"
    out = run("train", demo, "--layers", "3", "--init", "random", "--alpha", "0.01", "--iterations", "30",
              "--save", model)
    assert out.returncode == 0, out.stderr
    train, test = load_data(demo)
    net = Network(train.n_x, (3,))
    again = NetworkDescent(net, train.X, train.Y, initial_parameters(net, "random", 0, 0.01), alpha=0.01)
    again.step(30)
    saved = load_model(model)
    assert saved.net.sizes == (train.n_x, 3, 1) and np.allclose(saved.theta, again.theta, rtol=1e-12, atol=0)
    assert saved.metrics["train_accuracy"] == network_accuracy(net, again.theta, train.X, train.Y)
    out = run("predict", model, *test.names[:3], *test.names[-3:])
    assert out.returncode == 0, out.stderr
    expected = sigmoid(output_z(net, again.theta, test.X).reshape(-1))
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert [r[0] for r in rows] == [*test.names[:3], *test.names[-3:]]
    for (_, yhat, label), i in zip(rows, [0, 1, 2, test.m - 3, test.m - 2, test.m - 1], strict=True):
        assert abs(float(yhat) - expected[i]) <= 5e-7 and label == test.classes[int(expected[i] > 0.5)]
