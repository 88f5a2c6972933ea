"""The optimizer controls show the state, send intents, and the run follows them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from visualizer.core import GradientDescent
from visualizer.core.optim.optimizers import Optimizer


def _visible_keys(window):
    rows = window.controls.optimizer.rows
    return {k for k, (_label, field) in rows.items() if field.isVisibleTo(window.controls)}


def test_fields_that_do_not_apply_are_hidden(window, qtbot):
    assert {"beta", "beta1", "beta2", "epsilon"}.isdisjoint(_visible_keys(window))
    for kind, shown in (("momentum", {"beta"}), ("rmsprop", {"beta2", "epsilon"}),
                        ("adam", {"beta1", "beta2", "epsilon"}), ("gd", set())):
        window.state.change_settings(optimizer=kind)
        extra = _visible_keys(window) & {"beta", "beta1", "beta2", "epsilon"}
        assert extra == shown, kind


def test_each_control_sends_its_setting(window, qtbot):
    c = window.controls.optimizer
    c.optimizer.setCurrentIndex(c.optimizer.findData("momentum"))
    c.beta.setValue(0.5)
    c.lam.setValue(0.7)
    c.decay.setValue(0.05)
    c.decay_kind.setCurrentIndex(c.decay_kind.findData("exponential"))
    c.batch.lineEdit().setText("16")
    c.batch.lineEdit().editingFinished.emit()
    s = window.state.settings
    assert (s.optimizer, s.beta, s.lam, s.decay, s.decay_kind, s.batch_size) == (
        "momentum", 0.5, 0.7, 0.05, "exponential", 16)
    c.optimizer.setCurrentIndex(c.optimizer.findData("adam"))
    c.epsilon.setText("1e-6")
    c.epsilon.editingFinished.emit()
    assert window.state.settings.epsilon == 1e-6
    c.batch.lineEdit().setText("all m")
    c.batch.lineEdit().editingFinished.emit()
    assert window.state.settings.batch_size is None


def test_a_bad_typed_value_changes_nothing(window, qtbot):
    c = window.controls.optimizer
    before = window.state.settings
    c.batch.lineEdit().setText("0")
    c.batch.lineEdit().editingFinished.emit()
    c.epsilon.setText("0")
    c.epsilon.editingFinished.emit()
    assert window.state.settings == before
    assert c.batch.currentText() == "all m" and c.epsilon.text() == "1e-08"


def test_the_controls_show_settings_set_elsewhere(window):
    window.state.change_settings(optimizer="adam", beta1=0.8, batch_size=32, lam=2.0)
    c = window.controls.optimizer
    assert (c.optimizer.currentData(), c.beta1.value(), c.batch.currentText(), c.lam.value()) == (
        "adam", 0.8, "32", 2.0)
    assert "32 of the m = 210" in c.note.text()


def test_the_run_follows_the_optimizer_mid_run_and_records_it(window, qtbot):
    window.step(20)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 20)
    window.state.change_settings(optimizer="momentum", beta=0.8, batch_size=64)
    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 50)
    gd = window.controller.gd
    changes = gd.history.optimizer_changes
    assert [i for i, _ in changes] == [0, 20]
    assert changes[1][1] == Optimizer("momentum", batch_size=64, beta=0.8)
    # The same 50 iterations run directly by the engine land on the same point.
    train, test = window.state.data.train, window.state.data.test
    ref = GradientDescent(train.X, train.Y, alpha=0.005, X_test=test.X, Y_test=test.Y)
    ref.step(20)
    ref.optimizer = Optimizer("momentum", batch_size=64, beta=0.8)
    ref.step(30)
    assert np.allclose(ref.w, gd.w, rtol=1e-10, atol=1e-12) and abs(ref.b - gd.b) < 1e-12


def test_a_batch_larger_than_m_is_refused_and_the_note_says_why(window, qtbot):
    """The window offered B = 256 on m = 210 and clamped it silently; the CLI and lessons refuse it (README)."""
    c = window.controls.optimizer
    assert [c.batch.itemText(i) for i in range(c.batch.count())] == ["all m", "1", "16", "32", "64", "128"]
    c.batch.lineEdit().setText("256")
    c.batch.lineEdit().editingFinished.emit()
    assert window.state.settings.batch_size is None and window.controller.gd.optimizer.batch_size is None
    assert c.note.text().startswith("Not changed: the batch size must be at most the number of training examples "
                                    "m = 210, not 256.")
    assert c.batch.currentText() == "all m"


def test_a_data_set_smaller_than_the_batch_makes_it_all_m_and_the_note_says_so(window, qtbot, tmp_path):
    from tests.conftest import image_folder

    window.state.change_settings(batch_size=128)
    image_folder(tmp_path, 5, (30, 30))
    window.load(str(tmp_path))
    qtbot.waitUntil(lambda: window.controller.train.source.startswith(str(tmp_path)), timeout=10000)
    m = window.controller.train.m
    assert window.state.settings.batch_size is None and window.controller.gd.optimizer.batch_size is None
    assert window.controls.optimizer.note.text() == (f"Each step uses all m = {m} examples. The batch size 128 is "
                                                     "more than this data set's m, so it is now all m.")
    batch = window.controls.optimizer.batch
    assert m < 16 and [batch.itemText(i) for i in range(batch.count())] == ["all m", "1"]  # only sizes up to m


def test_the_widgets_offer_the_constraint_tables_ranges(window):
    from visualizer.app.panels.alpha_control import SLIDER_MAX, SLIDER_MIN
    from visualizer.model.constraints import RUN

    c = window.controls.optimizer
    assert (c.lam.minimum(), c.lam.maximum()) == (0.0, RUN["lam"].high)  # a lesson's λ = 5000 was shown as 1000
    assert (c.decay.maximum(), c.beta.maximum(), c.beta2.maximum()) == (RUN["decay"].high, 0.999, 0.9999)
    assert window.controls.budget.maximum() == RUN["budget"].high and (SLIDER_MIN, SLIDER_MAX) == (1e-5, 10.0)
    window.state.change_settings(lam=5000.0)
    assert c.lam.value() == 5000.0


def test_a_new_loss_starts_a_run_with_the_optimizer_in_force(window, qtbot):
    window.state.change_settings(optimizer="rmsprop")
    window.state.change_settings(loss="squared-error")
    assert window.controller.gd.optimizer.kind == "rmsprop"
    assert window.controller.gd.history.optimizer_changes[0][1].kind == "rmsprop"


def test_setting_widgets_gives_each_control_and_its_label(window):
    controls = window.controls
    for key in ("alpha", "budget", "speed", "init", "seed", "loss", "optimizer", "batch_size", "beta", "beta1",
                "beta2", "epsilon", "lam", "decay", "decay_kind", "presets", "train", "step", "reset", "timeline"):
        widgets = controls.setting_widgets(key)
        assert widgets and all(w.window() is window for w in widgets), key
    alpha = controls.setting_widgets("alpha")
    assert controls.alpha in alpha and any(getattr(w, "text", lambda: "")() == "Le&arning rate α" for w in alpha)
    assert len(controls.setting_widgets("step")) == 3


def test_the_optimizer_controls_are_reached_by_their_labels(window, qtbot):
    c = window.controls.optimizer
    assert c.optimizer.accessibleName() == "Optimizer" and c.batch.accessibleName() == "Batch size"
    assert c.lam.accessibleName() == "L2 λ"
    c.optimizer.setFocus()
    qtbot.keyClick(c.optimizer, Qt.Key.Key_Down)
    assert window.state.settings.optimizer == "momentum"


def test_with_mini_batches_the_cost_curve_draws_the_batch_cost_faint_and_the_full_j_solid(window, qtbot):
    window.state.change_settings(batch_size=16)
    window.step(400)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 400)
    window.refresh(force=True)
    curve = window.cost_curve
    names = [label.text for _item, label in curve.plot.legend.items]
    assert "this step's batch J" in names and "train J (all m)" in names
    gd = window.controller.gd
    its, full = gd.history.metric("train_cost", 400)
    assert np.array_equal(curve.full_curve.xData, its) and np.array_equal(curve.full_curve.yData, full)
    # each recorded full J is J of all m at that iteration, not a batch's
    assert full[-1] == pytest.approx(gd.loss.cost(gd.param.train.z(gd.state_at(int(its[-1]))), gd.y), rel=1e-12)
    assert curve.train_curve.opts["pen"].color().alpha() < 128
    curve.unit.setCurrentIndex(curve.unit.findData("epochs"))
    assert curve.full_curve.xData[-1] == pytest.approx(its[-1] * 16 / gd.m)
    assert curve.stability.getAxis("bottom").labelText == "epoch"


def test_a_change_of_optimizer_is_marked_on_the_cost_curve(window, qtbot):
    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 30)
    window.state.change_settings(optimizer="adam")
    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 60)
    window.refresh(force=True)
    shown = [(line.value(), line.label.format) for line in window.cost_curve.alpha_marks if line.isVisible()]
    assert (30, "Adam") in shown


def test_adam_says_there_is_no_single_edge(window, qtbot):
    window.state.change_settings(optimizer="adam")
    window.refresh(force=True)
    assert "no single α" in window.controls.edge_label.text()
    assert window.controls.alpha.slider.edge is None
    window.state.change_settings(optimizer="momentum", beta=0.9)
    window.refresh(force=True)
    assert "2(1+β)/((1−β)λmax)" in window.controls.edge_label.text()


def test_this_batch_s_j_is_drawn_and_is_what_the_next_step_minimizes(window, qtbot):
    assert not window.surface.this_batch.isEnabled()  # batch descent: there is only the full J
    window.state.change_settings(batch_size=16, lam=1.0)
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 5)
    window.refresh(force=True)
    assert window.surface.this_batch.isEnabled()
    full = window.surface.view.current[2]
    gd = window.controller.gd
    assert full == pytest.approx(gd.cost, rel=1e-10)  # J_reg of all m, L2 included
    window.surface.this_batch.setChecked(True)
    window.refresh(force=True)
    batch = window.surface.view.current[2]
    assert "16 of the m = 210" in window.surface.note.text()
    window.step(1)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 6)
    assert gd.history.costs.values[-1] == pytest.approx(batch, rel=1e-10) and batch != pytest.approx(full)


def test_after_adam_moves_the_run_to_the_primal_path_the_timeline_says_why(window, qtbot):
    window.step(10)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 10)
    assert window.controller.gd.method == "gram"
    window.state.change_settings(optimizer="adam", alpha=0.001)
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 15)
    window.refresh(force=True)
    assert window.controller.gd.method == "primal"
    assert ("iterations before 10 cannot be shown: Adam moved the run to other coordinates"
            in window.controls.timeline_label.text())
    window.state.look_at(12)
    window.refresh(force=True)
    assert window.status.text().startswith("iteration 12 ")
