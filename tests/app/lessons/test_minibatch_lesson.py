"""Lesson: why mini-batches, in the real window."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.app.common.accessibility import plain
from visualizer.core.analysis.batch_noise import BatchNoise


def test_the_lesson_draws_an_epoch_of_batch_gradients_and_their_spread(window, qtbot):
    window.step(50)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 50)
    window.open_lesson("mini-batches")
    window.refresh(force=True)
    panel = window.lesson("mini-batches")
    gd = window.controller.gd
    assert len(panel.batch_tips.data) == -(-gd.m // 32)
    noise = BatchNoise(gd, gd.theta)
    assert panel.full_tip.data["x"][0] == pytest.approx(np.sqrt(gd.param.squared_norms(noise.gradient[None])[0]))
    # the mean of the batch arrows along -dJ is the full arrow (weighted by batch size: the last is smaller)
    sizes = np.array([r.size for r in noise.batches(32, gd.seed, 0)])
    mean_along = np.sum(panel.batch_tips.data["x"] * sizes) / gd.m
    assert mean_along == pytest.approx(panel.full_tip.data["x"][0], rel=1e-9)
    xs, ys = panel.measured.getData()
    assert np.all(np.diff(ys) < 0) and 10 ** xs[0] == pytest.approx(1)
    panel.size.setCurrentIndex(panel.size.findData(4))
    assert len(panel.batch_tips.data) == -(-gd.m // 4)
    assert "B = 4" in panel.numbers.text()


def test_the_lesson_is_in_the_lessons_menu(window):
    menu = [a for a in window.menuBar().actions() if plain(a.text()) == "Lessons"][0].menu()
    assert "Why mini-batches" in [plain(a.text()) for a in menu.actions()]
