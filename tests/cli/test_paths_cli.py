"""Paths as a user's disk has them: names that are not UTF-8, and folders the program may not write in.

On Linux a path is bytes; Python hands undecodable ones over as lone surrogates, which
``str.encode()`` refuses. Outputs are checked before any training: a run of an hour must not
end in "could not be written".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"


def run(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, cwd=cwd, timeout=timeout)


def test_a_folder_whose_name_is_not_utf8_trains_and_saves(tmp_path):
    """`visualizer train $'F\\xff'` ended in UnicodeEncodeError from the cache's key."""
    folder = os.path.join(os.fsencode(tmp_path), b"F\xff")
    shutil.copytree(DEMO, os.fsdecode(folder))
    Path(os.fsdecode(os.path.join(folder, b"train", b"cat", b"bad\xfe.png"))).write_text("no image")
    report, model = os.path.join(folder, b"r\xfe.json"), os.path.join(folder, b"m\xfe.npz")
    for _ in range(2):  # the second time from the cache
        out = run("train", folder, "--iterations", "10", "--json", report, "--save", model)
        assert out.returncode == 0, out.stderr.decode()[-600:]
        assert out.stderr.decode() == 'visualizer: skipped "' + str(tmp_path) + \
            '/F\\377/train/cat/bad\\376.png": not an image (no format Pillow reads)\n'
        assert "Cost after iteration 0: 0.693147" in out.stdout.decode().splitlines()
    skipped = json.loads(Path(os.fsdecode(report)).read_text())["data"]["skipped"]
    assert [os.fsencode(s["path"]) for s in skipped] == [os.path.join(folder, b"train", b"cat", b"bad\xfe.png")]
    cat = os.path.join(folder, b"train", b"cat", b"cat-000.png")
    out = run("predict", model, cat)
    assert out.returncode == 0 and out.stdout.decode().startswith('"'), out.stderr


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write in, not even root: a read-only tmpfs; skips where mounting is not permitted."""
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        if os.geteuid() == 0:
            pytest.skip("mounting a tmpfs is not permitted here, and root may write in any folder")
        mnt.chmod(0o555)
        yield mnt
        mnt.chmod(0o755)
        return
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.mark.parametrize("command", [
    ["animate", "{out}.gif", "--view", "cost", "--size", "400x300", "--frames", "2"],
    ["screenshot", "{out}.png", "--view", "cost", "--size", "400x300"],
    ["train", "--json", "{out}.json"],
    ["train", "--save", "{out}.npz"],
])
def test_an_output_in_a_read_only_folder_is_refused_before_any_work(read_only, command):
    """animate trained and drew every frame before it found out; 10^9 iterations would take days, so only
    a refusal before the run ends within the time allowed."""
    args = [a.format(out=read_only / "a") for a in command] + ["--iterations", "1000000000"]
    out = run(*args, timeout=60)
    err = out.stderr.decode()
    assert out.returncode == 2, err[-500:]
    assert err.count("\n") == 1 and err.startswith("visualizer: error: ") and "Traceback" not in err
    assert f"{read_only}" in err and "cannot write" in err
    assert list(read_only.iterdir()) == []


def test_output_checks_leave_nothing_behind(tmp_path):
    """The check writes nothing it keeps: a run that then succeeds leaves only its own file."""
    out = run("train", "--iterations", "5", "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    assert np.isclose(json.loads((tmp_path / "r.json").read_text())["runs"][0]["costs"][0], 0.693147, atol=1e-6)
