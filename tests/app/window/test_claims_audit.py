"""Every other sentence the window builds from numbers, set up and checked against the run it describes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from visualizer.app.explorer.race_table import verdict_cell
from visualizer.core.analysis.race import RaceConfig
from visualizer.core.analysis.verdicts import judge


def settled(window, qtbot, n: int) -> None:
    window.step(n)
    target = window.controller.gd.iteration + n if window.controller.running else None
    qtbot.waitUntil(lambda: not window.controller.running, timeout=20000)
    assert target is None or window.controller.gd.iteration == target
    window.refresh(force=True)


def test_the_status_bar_reads_the_run_where_it_stands(window, qtbot):
    settled(window, qtbot, 37)
    gd = window.controller.gd
    m = gd.metrics()
    text = window.status.text()
    assert text.startswith(f"iteration 37   J = {gd.cost:.6f}   train {m['train_accuracy']:.1f} %   "
                           f"test {m['test_accuracy']:.1f} %   α = {gd.alpha:g}   ")
    assert text.endswith(f"m = {gd.m}, n_x = {gd.n_x}")


def test_until_flat_stops_with_the_lowest_j_and_where_it_was(window, qtbot):
    """It said "The cost stopped falling at iteration N", also of a run whose J had risen and stayed up."""
    window.state.change_settings(loss="squared-error", budget=0)
    window.set_alpha(1.0)
    messages = []
    window.controller.stopped.connect(lambda reason, text: messages.append((reason, text)))
    window.controller.start()
    qtbot.waitUntil(lambda: bool(messages), timeout=60000)
    reason, text = messages[0]
    gd = window.controller.gd
    J = np.append(gd.history.costs.values, gd.cost)
    low = int(np.argmin(J))
    assert reason == "converged" and gd.iteration - low >= 200
    assert text == (f"J has not gone 1e-07 below its lowest, {J[low]:.6g} at iteration {low}, in "
                    f"{gd.iteration - low} iterations: stopped at iteration {gd.iteration}.")
    assert J[0] < J[-1]  # squared error at α = 1: it did not come down; the notice says what J did
    qtbot.waitUntil(window.notice.isVisible, timeout=3000)
    assert window.notice.label.text().startswith("α = 1: diverged: J ended at ")


def test_until_flat_goes_on_while_j_falls(window, qtbot):
    """The first comparison was with inf − 1e-7·inf, NaN: every run "stopped falling" after 200 iterations."""
    window.state.change_settings(budget=0)
    window.set_alpha(0.001)
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 1500, timeout=60000)
    assert window.controller.running
    window.controller.pause()
    J = window.controller.gd.history.costs.values
    assert np.all(np.diff(J) < 0)  # it was falling all along


def test_the_optimizer_note_says_how_many_steps_make_an_epoch_as_the_engine_counts(window, qtbot):
    window.state.change_settings(batch_size=32)
    note = window.controls.optimizer.note.text()
    per_epoch = int(re.search(r"(\d+) steps make one epoch", note)[1])
    settled(window, qtbot, per_epoch)
    assert window.controller.gd.opt_state.epoch == 1 and window.controller.gd.opt_state.position == 0
    assert note.startswith(f"Each step uses 32 of the m = {window.controller.gd.m} examples")


def test_the_bowl_says_which_way_its_next_step_moves_w(window, qtbot):
    window.open_lesson("bowl")
    panel = window.lesson("bowl")
    panel.start_at(-3.0, 0.5)
    run = panel.bowl.runs[-1]
    w = float(run.w[0])
    text = panel.slope_text.text()
    slope = panel.bowl.slope(run)
    assert text.startswith(f"dJ/dw = {slope:.4f} at w = {w:.3f}: the step −α·dJ/dw = {-panel.bowl.alpha * slope:.4f}")
    panel.bowl.step(1)
    moved = float(panel.bowl.runs[-1].w[0]) - w
    assert ("to the right" in text) == (moved > 0) and ("to the left" in text) == (moved < 0)


def test_the_vectorization_sentence_is_its_timing(window, qtbot):
    window.open_lesson("vectorization")
    panel = window.lesson("vectorization")
    shown = []
    original = panel.show_timing
    panel.show_timing = lambda t, m: (shown.append(t), original(t, m))
    panel.run.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    t = shown[0]
    text = panel.result.text()
    assert f"speed-up: {t.speedup:,.0f}×" in text and t.speedup == pytest.approx(t.loop_seconds_full / t.vector_seconds)
    assert f"agree to {t.max_difference:.1e} (within 1e-12)" in text and t.max_difference <= 1e-12
    assert f"vectorized, on all {window.controller.gd.m} examples: {1000 * t.vector_seconds:.3g} ms" in text


def test_the_race_table_says_what_each_runs_j_did():
    assert verdict_cell(judge([0.693, 2.28, 5.0, 1.0, 0.12])) == "unstable at first: 5 at iteration 2"
    assert verdict_cell(judge([0.7, 0.6, 0.5])) == "falls at every step"
    assert verdict_cell(judge([0.7, 0.5, 0.9])) == "diverged"
    assert verdict_cell(judge([0.7, 0.5, 0.6, 0.3])) == "up and down"


def test_the_race_slice_note_is_the_distance_of_the_points_it_kept(window, qtbot):
    from visualizer.app.explorer.explorer import show_explorer

    explorer = show_explorer(window)
    explorer.config_table.set_configs([RaceConfig(alpha=0.001), RaceConfig(alpha=0.02)])
    explorer.iterations.setValue(200)
    explorer.run_race()
    qtbot.waitUntil(lambda: explorer.run_button.isEnabled() and not explorer.job.isRunning(), timeout=60000)
    note = explorer.plots.slice_note.text()
    for path, run in zip(explorer.race.slice.paths, explorer.race.runs, strict=True):
        assert f"{run.config.label()}: its points kept along the way are up to {path[2].max():.3g} off the plane" \
            in note
    explorer.close()
