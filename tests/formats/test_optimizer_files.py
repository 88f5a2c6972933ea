"""Every optimizer of the registry in the files: a session reopens it bit for bit (its state arrays kept), a
lesson may choose it, and the lessons' document names it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.formats.test_storage import dataset
from tests.formats.test_storage_optimizer_state import _save
from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import SPECS
from visualizer.formats.lesson_files import load_lesson
from visualizer.formats.storage import load_session

DOC = Path(__file__).resolve().parents[2] / "docs" / "lessons.md"
RUNS = [(k, method) for k in SPECS for method in ("gram", "primal") if method == "primal" or SPECS[k].span_preserving]


@pytest.mark.parametrize("kind, method", RUNS)
def test_a_reopened_run_of_each_optimizer_goes_on_bit_for_bit(tmp_path, kind, method):
    train = dataset(10)
    opt = Optimizer(kind, batch_size=3, lam=0.2, decay=0.1)
    whole = GradientDescent(train.X, train.Y, alpha=0.01, method=method, optimizer=opt)
    whole.step(13)  # mid-epoch, with its state built up
    path = tmp_path / "r.vis.npz"
    _save(whole, train, path)
    s = load_session(path)
    assert set(s.exact.optimizer_state.arrays) == {a.name for a in SPECS[kind].state}
    assert s.history.optimizer_changes[-1][1] == opt and s.settings.optimizer == kind
    reopened = GradientDescent(s.train.X, s.train.Y, alpha=0.01, method=method, optimizer=opt)
    reopened.restore(s.w, s.b, s.iteration, s.history, s.exact)
    whole.step(9)
    reopened.step(9)
    assert np.array_equal(whole.w, reopened.w) and whole.b == reopened.b


@pytest.mark.parametrize("kind", SPECS)
def test_a_lesson_may_choose_each_optimizer(tmp_path, kind):
    path = tmp_path / "lesson.toml"
    path.write_text(f'title = "x"\n[settings]\noptimizer = "{kind}"\nbeta = 0.5\n', encoding="utf-8")
    settings = load_lesson(path).settings
    assert (settings.optimizer, settings.beta) == (kind, 0.5)


def test_the_lessons_document_names_every_optimizer():
    lines = DOC.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("| `settings.optimizer`"))
    assert set(re.findall(r'`"([a-z]+)"`', row.split("|")[4])) == set(SPECS)
