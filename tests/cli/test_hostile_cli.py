"""The CLI against hostile and unlucky input: one line on stderr and exit code 2, never a hang.

HOSTILE is a table meant to grow: (name, argv built from a folder of fixtures, a fragment
the one error line must contain). Each case runs the real program in a subprocess.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.formats.test_storage import dataset, npy_header, with_member
from visualizer.cli import commands as cli
from visualizer.cli import train as cli_train
from visualizer.cli.output import Progress, json_safe, one_line, quote_path
from visualizer.core.models import Network
from visualizer.formats.model_files import save_model, save_network_model

IMAGE = str(Path(__file__).resolve().parents[2] / "assets" / "demo" / "train" / "cat" / "cat-000.png")


def run(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "visualizer", *map(str, args)], capture_output=True,
                          timeout=timeout, env=None if env is None else os.environ | env)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """Hostile files, made once: a FIFO, bad models, a zip bomb, a folder."""
    d = tmp_path_factory.mktemp("hostile")
    os.mkfifo(d / "fifo")
    (d / "folder").mkdir()
    good = d / "good.npz"
    save_model(good, np.zeros(3 * 64 * 64), 0.0, 64, ("non-cat", "cat"), [(0, 0.005)], {"train_cost": 0.5})
    with np.load(good) as z:
        entries = {k: z[k] for k in z.files}
    variants = {
        "alpha3.npz": {"alpha_changes": np.zeros((1, 3))},
        "alpha1.npz": {"alpha_changes": np.zeros((1, 1))},
        "npx8.npz": {"n_px": np.array(8), "w": np.zeros(3 * 8 * 8)},
        "npx300.npz": {"n_px": np.array(300), "w": np.zeros(3 * 300 * 300)},
        "deep.npz": {"metrics": np.array("[" * 100_000 + "]" * 100_000)},
        "objects.npz": {"w": np.array([object()], dtype=object)},
        "bigint.npz": {"metrics": np.array('{"train_cost": 1' + "0" * 400 + "}")},
    }
    for name, changes in variants.items():
        np.savez(d / name, **(entries | changes))
    np.save(d / "plain.npy", np.zeros(3))
    os.rename(d / "plain.npy", d / "plain.npz")
    with_member(good, d / "huge.npz", "w.npy", npy_header((10**12,)))
    net = Network(3 * 64 * 64, (2,))
    save_network_model(d / "net.npz", net, np.zeros(net.size), 64, ("non-cat", "cat"), [(0, 0.005)], {})
    with np.load(d / "net.npz") as z:
        np.savez(d / "unchained.npz", **({k: z[k] for k in z.files} | {"W2": np.zeros((2, 1))}))

    def bomb(f):
        f.write(npy_header((8 * 2**20,)))
        for _ in range(64):
            f.write(bytes(2**20))

    with_member(good, d / "bomb.npz", "w.npy", writer=bomb)
    return d


HOSTILE = [
    ("seed -1", lambda d: ["train", "--seed", "-1"], "the seed must be a whole number from 0 to 2147483647, not '-1'"),
    ("seed 2^32", lambda d: ["train", "--seed", str(2**32)], "the seed must be a whole number from 0 to 2147483647"),
    ("seed 1.5", lambda d: ["train", "--seed", "1.5"], "whole number"),
    ("iterations 1e12", lambda d: ["train", "--iterations", "1e12"], "from 0 to 1000000000"),
    ("iterations 10^12", lambda d: ["train", "--iterations", str(10**12)], "from 0 to 1000000000"),
    ("iterations -1", lambda d: ["train", "--iterations", "-1"], "from 0 to 1000000000"),
    ("alpha nan", lambda d: ["train", "--alpha", "nan"], "positive number"),
    ("alpha 1e400", lambda d: ["train", "--alpha", "1e400"], "positive number"),
    ("init ones", lambda d: ["train", "--init", "ones"], "the initialization must be one of zeros, random"),
    ("screenshot alpha -1", lambda d: ["screenshot", d / "x.png", "--alpha", "-1"], "positive number"),
    ("newline in an argument", lambda d: ["train", "--alpha", "1\n2"], "'1\\n2'"),
    ("train from a FIFO", lambda d: ["train", d / "fifo"], "fifo: is a named pipe (FIFO)"),
    ("test from a FIFO", lambda d: ["train", "--test", d / "fifo"], "fifo: is a named pipe (FIFO)"),
    ("json into a folder", lambda d: ["train", "--json", d / "folder"], "folder: is a folder"),
    ("model is a FIFO", lambda d: ["predict", d / "fifo", IMAGE], "fifo: is a named pipe (FIFO)"),
    ("model is /dev/zero", lambda d: ["predict", "/dev/zero", IMAGE], "/dev/zero: is a device, not a regular file"),
    ("model is missing", lambda d: ["predict", d / "nope.npz", IMAGE], "nope.npz: no such file"),
    ("model is a folder", lambda d: ["predict", d / "folder", IMAGE], "is a folder"),
    ("model is a plain .npy", lambda d: ["predict", d / "plain.npz", IMAGE], "a single .npy array"),
    ("alpha_changes 3 columns", lambda d: ["predict", d / "alpha3.npz", IMAGE], "shape (k, 2)"),
    ("alpha_changes 1 column", lambda d: ["predict", d / "alpha1.npz", IMAGE], "shape (k, 2)"),
    ("n_px 8", lambda d: ["predict", d / "npx8.npz", IMAGE], "'n_px' is 8"),
    ("n_px 300", lambda d: ["predict", d / "npx300.npz", IMAGE], "'w' would unpack to"),
    ("metrics nested 10^5 deep", lambda d: ["predict", d / "deep.npz", IMAGE], "nested too deeply"),
    ("Python objects", lambda d: ["predict", d / "objects.npz", IMAGE], "holds Python objects"),
    # a whole number past any float: an OverflowError traceback, exit 1
    ("metric 10^400", lambda d: ["predict", d / "bigint.npz", IMAGE], "must be a JSON object of numbers"),
    # an empty name: --save '' saved nothing and said nothing; a model '' was ': no such file'
    ("save ''", lambda d: ["train", "--iterations", "1", "--save", ""], "argument --save: '' is no file name"),
    ("model ''", lambda d: ["predict", "", IMAGE], "argument MODEL.npz: '' is no file name"),
    ("10^12 floats declared", lambda d: ["predict", d / "huge.npz", IMAGE], "'w' declares (1000000000000,)"),
    ("zip bomb", lambda d: ["predict", d / "bomb.npz", IMAGE], "'w' would unpack to 64 MB"),
    ("network layers that do not chain", lambda d: ["predict", d / "unchained.npz", IMAGE],
     "unchained.npz: the entry 'W2' has shape (2, 1); layer 2 of 12288, 2, 1 takes 2 inputs to 1 unit, so it must "
     "be (1, 2)"),
    ("beta 1", lambda d: ["train", "--optimizer", "momentum", "--beta", "1"],
     "beta must be a number in [0, 1), not '1'"),
    ("beta -0.1", lambda d: ["train", "--beta", "-0.1"], "beta must be a number in [0, 1)"),
    ("beta1 nan", lambda d: ["train", "--beta1", "nan"], "beta1 must be a number in [0, 1)"),
    ("beta2 1.5", lambda d: ["train", "--beta2", "1.5"], "beta2 must be a number in [0, 1)"),
    ("batch size 0", lambda d: ["train", "--batch-size", "0"],
     "the batch size must be a whole number from 1 to 1000000000, not '0'"),
    ("batch size huge", lambda d: ["train", "--batch-size", "1e99"], "the batch size must be a whole number from 1 to"),
    ("batch size 2.5", lambda d: ["train", "--batch-size", "2.5"], "the batch size must be a whole number"),
    ("batch size > m", lambda d: ["train", "--batch-size", "100000", "--iterations", "1"],
     "the batch size must be at most the number of training examples m = 210, not 100000"),
    ("lambda -1", lambda d: ["train", "--lambda", "-1"], "lambda (L2) must be a number from 0 to 1000000, not '-1'"),
    ("lambda inf", lambda d: ["train", "--lambda", "inf"], "lambda (L2) must be a number from 0 to 1000000"),
    ("lambda 1e308", lambda d: ["train", "--lambda", "1e308"], "lambda (L2) must be a number from 0 to 1000000"),
    ("epsilon 0", lambda d: ["train", "--optimizer", "adam", "--epsilon", "0"], "epsilon must be a positive number"),
    ("epsilon -1e-8", lambda d: ["train", "--epsilon=-1e-8"], "epsilon must be a positive number"),
    # Negative numbers are values, not options (issue 21, group 13): they were "expected one argument".
    ("epsilon -1e-8 apart", lambda d: ["train", "--epsilon", "-1e-8"],
     "epsilon must be a positive number, not '-1e-8'"),
    ("alpha -1e-3 apart", lambda d: ["train", "--alpha", "0.1", "-1e-3"], "learning rate must be a positive number"),
    ("alpha -.5", lambda d: ["train", "--alpha", "-.5"], "learning rate must be a positive number"),
    ("screenshot size -320x240", lambda d: ["screenshot", d / "x.png", "--size", "-320x240"],
     "the width and the height must be positive, not -320x240"),
    ("animate size -320x240", lambda d: ["animate", d / "x.gif", "--size", "-320x240"],
     "the width and the height must be positive, not -320x240"),
    ("n-px 8", lambda d: ["train", "--n-px", "8"], "the image size n_px must be a whole number from 16 to 256"),
    ("test fraction nan", lambda d: ["train", "--test-fraction", "nan"],
     "the test fraction must be a number in [0, 1)"),
    ("optimizer sgd", lambda d: ["train", "--optimizer", "sgd"], "the optimizer must be one of gd, momentum, rmsprop"),
    ("decay -1", lambda d: ["train", "--decay", "-1"], "the decay must be a number from 0 to 1000000"),
    ("decay kind step", lambda d: ["train", "--decay-kind", "step"], "the decay kind must be one of inverse"),
    ("exponential decay 1", lambda d: ["train", "--decay", "1", "--decay-kind", "exponential"], "must be below 1"),
]


@pytest.mark.parametrize("name, argv, fragment", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_one_line_and_exit_2(files, name, argv, fragment):
    out = run(*argv(files))
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert err.startswith("visualizer: error: ") and err.count("\n") == 1, err
    assert fragment in err and "Traceback" not in err


def test_a_closed_pipe_ends_quietly():
    p = subprocess.Popen([sys.executable, "-m", "visualizer", "train", "--iterations", "300", "--print-every", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # like `| head -1` exiting before the program writes
    err = p.stderr.read()
    assert p.wait(timeout=120) == 141 and err == b""


@pytest.mark.parametrize("env, cafe", [({"PYTHONIOENCODING": "ascii:strict"}, 'caf\\303\\251.png"'),
                                       ({"LC_ALL": "C"}, "caf\u00e9.png")])  # C: Python's UTF-8 mode
def test_awkward_file_names_give_one_line_each(files, tmp_path, env, cafe):
    names = [b"new\nline.png", b"tab\there.png", b"latin1-\xe9.png", "caf\u00e9.png".encode(), b"plain.png"]
    paths = [os.path.join(os.fsencode(tmp_path), n) for n in names]
    for p in paths:
        Path(os.fsdecode(p)).write_bytes(Path(IMAGE).read_bytes())
    missing = os.path.join(os.fsencode(tmp_path), b"gone\n\xff.png")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG")} | env
    out = subprocess.run([sys.executable, "-m", "visualizer", "predict", os.fsencode(files / "good.npz"), *paths,
                          missing], capture_output=True, timeout=60, env=environ)
    lines = out.stdout.decode().splitlines()
    assert out.returncode == 1 and len(lines) == len(names), out.stderr
    assert [line.split("\t")[0].rsplit("/", 1)[-1] for line in lines] == [
        'new\\nline.png"', 'tab\\there.png"', 'latin1-\\351.png"', cafe, "plain.png"]
    err = out.stderr.decode("ascii")
    assert err.count("\n") == 1 and "gone\\n\\377.png" in err and "Traceback" not in err


def test_quoting_is_only_applied_when_needed():
    ascii_stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert quote_path("a b/c.png", ascii_stream) == "a b/c.png"
    assert quote_path('say "hi"\\.png', ascii_stream) == '"say \\"hi\\"\\\\.png"'
    assert quote_path("caf\u00e9", ascii_stream) == '"caf\\303\\251"'
    assert quote_path("caf\u00e9", io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) == "caf\u00e9"
    assert one_line("bad 'x\ny': no", ascii_stream) == "bad 'x\\ny': no"


def test_long_runs_show_progress_and_ctrl_c_still_interrupts(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "visualizer", "train", "--iterations", "1000000000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = p.stderr.readline().decode()  # progress comes within seconds, long before the end
        assert first.startswith("visualizer: iteration ") and "of 1,000,000,000" in first
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert p.returncode == 130 and err.decode().splitlines()[-1] == "visualizer: interrupted"
    assert b"Traceback" not in err


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_redraws_one_terminal_line_and_prints_plain_lines_elsewhere():
    now = [0.0]
    tty, plain = FakeTerminal(), io.StringIO()
    bars = [Progress(1000, stream=s, clock=lambda: now[0], every=2.0) for s in (tty, plain)]
    for done in range(0, 1001, 100):
        now[0] += 1.0
        for bar in bars:
            bar.update(done)
    for bar in bars:
        bar.close()
    assert "\n" not in tty.getvalue() and tty.getvalue().count("\r") == 5 + 2 and tty.getvalue().endswith("\r")
    assert plain.getvalue().splitlines() == [f"visualizer: iteration {n:,} of 1,000 ({n // 10} %)"
                                             for n in (100, 300, 500, 700, 900)]


def test_too_few_examples_for_a_test_set_is_a_note_and_json_has_no_nan(tmp_path, capsys):
    """One cat and one non-cat: the held-out set is empty. Training figures only, and null, not NaN."""
    from PIL import Image

    for name, value in (("cat", 0), ("non-cat", 200)):
        (tmp_path / "two" / name).mkdir(parents=True)
        Image.fromarray(np.full((20, 20, 3), value, np.uint8)).save(tmp_path / "two" / name / "a.png")
    argv = ["train", str(tmp_path / "two"), "--iterations", "5", "--json", str(tmp_path / "r.json")]
    assert cli.run_cli(argv) == 0
    out, err = capsys.readouterr()
    assert err == "visualizer: note: too few examples to hold out a test set; reporting training figures only\n"
    assert "test accuracy" not in out
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["data"]["m_test"] == 0 and doc["runs"][0]["test_accuracy"] is None


def test_json_never_holds_nan():
    assert json_safe({"a": [1.0, float("nan")], "b": (float("inf"),), "c": "x", "d": None}) == {
        "a": [1.0, None], "b": [None], "c": "x", "d": None}


def test_json_on_a_full_disk_is_an_error_and_leaves_no_file(tmp_path, monkeypatch, capsys):
    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("visualizer.fs.atomic.os.fsync", full)
    code = cli.run_cli(["train", "--iterations", "1", "--json", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "r.json: could not be written (No space left on device)" in err
    assert list(tmp_path.iterdir()) == []


def test_json_on_a_real_full_disk(tiny_disk):
    mnt = tiny_disk
    (mnt / "filler").write_bytes(b"")
    with open(mnt / "filler", "wb") as f, pytest.raises(OSError):
        f.write(os.urandom(10**6))
        f.flush()
    out = run("train", "--iterations", "1", "--json", mnt / "r.json")
    assert out.returncode == 2 and b"No space left on device" in out.stderr and out.stderr.count(b"\n") == 1
    assert sorted(p.name for p in mnt.iterdir()) == ["filler"]


def test_the_step_size_keeps_the_arithmetic_of_one_call(monkeypatch):
    """Stepping in chunks for progress gives bit-for-bit the run of one long call."""
    from visualizer.core import GradientDescent

    data = dataset(20)
    one = GradientDescent(data.X, data.Y, alpha=0.01, metric_stride=3000)
    one.step(3000)
    monkeypatch.setattr(cli_train, "STEP_SECONDS", 0.0)  # the smallest chunks
    chunked = GradientDescent(data.X, data.Y, alpha=0.01, metric_stride=3000)
    cli_train._steps(chunked, 3000, "")
    assert np.array_equal(one.w, chunked.w) and np.array_equal(one.history.costs.values, chunked.history.costs.values)
