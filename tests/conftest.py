"""Shared fixtures: the course's data when ../shared has it, and small random problems."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

COURSE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "catvnoncat"


@pytest.fixture(autouse=True, scope="session")
def _private_cache_and_home(tmp_path_factory):
    """No test reads or writes the user's own cache of decoded images or the remembered settings
    (Qt's test mode keeps them under $HOME/.qttest): each pytest worker has a home of its own, so
    two workers never share a settings file (subprocesses inherit both)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("VISUALIZER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    yield
    mp.undo()


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 64 KB disk (a tmpfs), for full-disk tests; skips where this process may not mount one."""
    import subprocess

    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.fixture(scope="session")
def course():
    """(train, test) Datasets from the course's .h5 files; skips when ../shared is absent."""
    train, test = COURSE_DIR / "train_catvnoncat.h5", COURSE_DIR / "test_catvnoncat.h5"
    if not (train.is_file() and test.is_file()):
        pytest.skip(f"the course's data is not at {COURSE_DIR}")
    from visualizer.data import read_course_h5

    return read_course_h5(train), read_course_h5(test)


def make_problem(n_x: int, m: int, seed: int = 0, scale: float = 1.0):
    """Random X in [0, 1) and labels that depend on X, so descent has something to learn."""
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m)) * scale
    direction = rng.standard_normal(n_x)
    y = ((direction @ (X - X.mean(axis=1, keepdims=True))) > 0).astype(float).reshape(1, m)
    return X, y


def image_folder(root: Path, per_class: int, size=(30, 30), classes=("cat", "dog")) -> Path:
    """``root``/CLASS/i.png: random pictures, one subfolder per class, as a user's photo folder is laid out."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for cls in classes:
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(root / cls / f"{i}.png")
    return root
