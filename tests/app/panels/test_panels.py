"""The window's panels against the engine: what they show must be what the maths says."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.app.dialogs import answer_the_box
from tests.conftest import image_folder
from visualizer.core import sigmoid
from visualizer.core.reference.lecture import gradient_descent_reference


def _wait_steps(qtbot, window, n):
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration >= n, timeout=5000)
    window.refresh(force=True)


def test_left_arrow_scrubs_back_and_the_gallery_shows_older_outputs(window, qtbot):
    _wait_steps(qtbot, window, 50)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.view_iteration == 49
    train = window.controller.train
    w, b, _ = gradient_descent_reference(train.X, train.Y, 0.005, 49)
    expected = sigmoid(w @ train.X + b)
    assert np.allclose(window.gallery.models["train"].yhat, expected, atol=1e-9)
    assert window.controls.timeline.value() == 49
    assert "looking back" in window.controls.timeline_label.text()


def test_training_on_from_the_past_asks_then_branches(window, qtbot):
    """Train while looking back asks first (the later iterations cannot come back); Branch trains from there."""
    _wait_steps(qtbot, window, 40)
    window.controls.timeline.setValue(10)
    assert window.view_iteration == 10
    window.controls.alpha.field.setText("0.001")
    window.controls.alpha.field.editingFinished.emit()
    window.state.change_settings(budget=5)
    seen = []
    answer_the_box(seen, "Branch from 10")
    qtbot.mouseClick(window.controls.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 15, timeout=5000)
    assert seen == ["You are looking back at iteration 10 of 40. Training on from here starts a new branch: "
                    "iterations 11–40 will be dropped, and Ctrl+Z cannot bring them back."]
    h = window.controller.gd.history
    assert len(h) == 15 and h.alpha_changes == [(0, 0.005), (10, 0.001)]
    assert window.view_iteration is None


def test_train_while_looking_back_can_go_on_from_the_end_or_be_cancelled(window, qtbot):
    _wait_steps(qtbot, window, 30)
    costs = window.controller.gd.history.costs.values.tolist()
    window.state.change_settings(budget=5)
    window.look_at(12)
    seen = []
    answer_the_box(seen, "Cancel")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert window.view_iteration == 12 and window.controller.gd.iteration == 30 and not window.controller.running
    answer_the_box(seen, "Go on from the end (30)")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 35, timeout=5000)
    assert window.controller.gd.history.costs.values[:len(costs)].tolist() == costs and window.view_iteration is None


def test_step_while_looking_back_moves_the_view_and_drops_nothing(window, qtbot):
    """← then → used to branch from 49 and drop iteration 50 without a word."""
    _wait_steps(qtbot, window, 50)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.view_iteration == 48
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.view_iteration == 49 and window.controller.gd.iteration == 50
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # ×10 goes past the end: follows it
    assert window.view_iteration is None and window.controller.gd.iteration == 50


def test_surface_grid_is_the_cost_at_its_points(window, qtbot):
    _wait_steps(qtbot, window, 100)
    for kind in ("w-direction", "principal"):
        window.surface.choice.setCurrentIndex([k for _, k in [("", "w-direction"), ("", "principal")]].index(kind))
        window.refresh(force=True)
        view = window.surface.view
        assert view.kind == kind
        gd = window.controller.gd
        from visualizer.core.analysis.surface import principal_plane, w_direction_plane

        plane = (w_direction_plane(gd.param, gd.theta, gd.gradient()) if kind == "w-direction" else
                 principal_plane(gd.param, window.controller.latest.path_until(gd.iteration), gd.theta, gd.gradient()))
        for i, j in [(0, 0), (17, 40), (47, 47), (30, 5)]:
            s, t = float(np.float32(view.s[i])), float(np.float32(view.t[j]))
            theta = plane.origin + s * plane.d1 + t * plane.d2
            direct = gd.loss.cost(gd.param.w(theta) @ gd.param.X + theta[-1], gd.y)
            assert view.J[i, j] == pytest.approx(direct, rel=1e-5)
        assert view.current[2] == pytest.approx(gd.cost, rel=1e-9)


def test_3d_view_draws_the_surface(window, qtbot):
    _wait_steps(qtbot, window, 200)
    gl = window.surface.gl
    assert gl is not None, "OpenGL should be available under Xvfb with Mesa"
    qtbot.wait(200)
    image = gl.grab().convertToFormat(gl.grab().Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)
    coloured = (np.abs(rgb - rgb.mean(axis=2, keepdims=True)).max(axis=2) > 40)  # viridis is far from grey
    assert coloured.mean() > 0.10, f"only {coloured.mean():.1%} of the 3-D view is surface"
    shot = window.grab_image()
    assert shot.width() == window.width()


def test_clicking_a_thumbnail_selects_the_example_everywhere(window, qtbot):
    _wait_steps(qtbot, window, 20)
    view = window.gallery.lists["train"]
    model = window.gallery.models["train"]
    rect = view.visualRect(model.index(3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected == ("train", 3)
    assert window.sigmoid._selected == 3


def test_sort_by_loss_and_filter_mistakes(window, qtbot):
    _wait_steps(qtbot, window, 300)
    g = window.gallery
    g.sort.setCurrentIndex(2)  # by loss
    model = g.models["train"]
    losses = model.loss[model.order]
    assert np.all(np.diff(losses) <= 0)
    g.mistakes.setChecked(True)
    wrong = (model.yhat > 0.5) != (model.labels == 1)
    assert sorted(model.order.tolist()) == np.flatnonzero(wrong).tolist()


def test_sigmoid_dots_sit_at_z_and_yhat(window, qtbot):
    _wait_steps(qtbot, window, 30)
    gd = window.controller.gd
    for label, dots in enumerate(window.sigmoid.dots):
        x, y = dots.getData()
        members = gd.y == label
        assert np.allclose(x, gd.z[members]) and np.allclose(y, sigmoid(gd.z[members]))


def test_a_large_set_draws_every_kth_dot_and_says_so(qtbot):
    from visualizer.app.panels.sigmoid import MAX_DOTS, SigmoidPanel

    panel = SigmoidPanel()
    qtbot.addWidget(panel)
    labels = np.arange(20_000) % 3 == 0
    z = np.linspace(-5, 5, labels.size)
    panel.set_labels(labels)
    panel.show_outputs(z, sigmoid(z))
    shown = np.concatenate([dots.getData()[0] for dots in panel.dots])
    assert 0 < shown.size <= MAX_DOTS and set(shown) <= set(z)
    assert "every 7 of the 20,000" in panel.plot.plotItem.titleLabel.text
    panel.set_labels(labels[:100])  # small again: every dot, no title
    panel.show_outputs(z[:100], sigmoid(z[:100]))
    assert sum(dots.getData()[0].size for dots in panel.dots) == 100
    assert not panel.plot.plotItem.titleLabel.isVisible()


def test_weights_image_is_w_reshaped(window, qtbot):
    _wait_steps(qtbot, window, 30)
    shown = window.weights.image.image
    w = window.controller.gd.w.reshape(64, 64, 3).sum(axis=2)
    assert np.allclose(shown, w)


def test_the_weights_colour_bar_at_w_0_reads_a_round_range(window):
    window.refresh(force=True)  # iteration 0: every weight is 0
    assert window.weights.bar.levels() == (-0.01, 0.01)  # not ±1e-12, which no learner can read


def test_open_folder_loads_with_a_report(window, qtbot, tmp_path):
    image_folder(tmp_path, 6, (50, 40))
    (tmp_path / "dog" / "broken.jpg").write_text("not a picture")
    window.load(str(tmp_path))
    qtbot.waitUntil(lambda: window.controller.train.source != window.controller.test.source
                    and window.controller.train.m + window.controller.test.m == 12, timeout=10000)
    from visualizer.app.run.loading import LoadReportDialog

    qtbot.waitUntil(lambda: bool(window.findChildren(LoadReportDialog)), timeout=5000)
    report = window.findChildren(LoadReportDialog)[-1]
    assert report.table.rowCount() == 1 and "not an image" in report.table.item(0, 1).text()
    report.close()
    assert window.gallery.models["train"].rowCount() == window.controller.train.m


def test_a_bad_folder_leaves_the_data_untouched(window, qtbot, tmp_path):
    before = window.controller.train
    (tmp_path / "only").mkdir()
    window.load(str(tmp_path))
    qtbot.waitUntil(window.notice.isVisible, timeout=5000)
    assert "Could not open" in window.notice.label.text()
    assert window.controller.train is before


def test_no_opengl_keeps_the_contour_map(qtbot, demo, monkeypatch):
    from visualizer.app.window.main_window import MainWindow

    monkeypatch.setenv("VISUALIZER_NO_GL", "1")
    w = MainWindow(*demo, remember_layout=False)
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    w.controller.gd.step(10)
    w.controller.latest = w.controller._snapshot()
    w.refresh(force=True)
    assert w.surface.gl is None and w.surface.view is not None
    w.close()


def test_the_image_cache_can_be_seen_and_cleared(window, qtbot, tmp_path):
    image_folder(tmp_path, 4, (30, 30))
    window.load(str(tmp_path))
    qtbot.waitUntil(lambda: window.controller.train.source.startswith(str(tmp_path)), timeout=10000)
    assert window.image_cache_label().startswith("Clear the image cache (")
    from visualizer.data import cache_size

    assert cache_size() > 0
    window.clear_image_cache()
    assert cache_size() == 0 and "Freed" in window.notice.label.text()


def test_the_cost_at_iteration_zero_is_drawn_as_a_point(window, qtbot):
    window.refresh(force=True)
    curve = window.cost_curve.train_curve
    assert len(curve.xData) == 1 and curve.opts["symbol"] == "o"  # J = 0.693 at iteration 0, visible
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.refresh(force=True)
    assert len(curve.xData) > 1 and curve.opts["symbol"] is None  # a line from then on


def test_the_cost_panels_axis_titles_fit_their_plots(qtbot):
    from visualizer.app.panels.cost_curve import CostCurvePanel

    panel = CostCurvePanel()
    qtbot.addWidget(panel)
    panel.resize(500, 700)
    panel.show()
    plots = (panel.plot, panel.acc, panel.stability)
    titles = lambda: [p.getAxis("left").labelText for p in plots]  # noqa: E731
    qtbot.waitUntil(lambda: titles() == ["cost J", "accuracy %", "α, edge"], timeout=3000)
    panel.resize(500, panel.readable_height())  # three plots of the least height they show at
    qtbot.waitUntil(lambda: panel.acc.isVisible() and panel.stability.isVisible(), timeout=3000)
    qtbot.wait(50)
    for plot in plots:
        assert plot.getAxis("left").label.boundingRect().width() <= plot.vb.height()  # the rotated title fits
    panel.resize(500, 700)
    qtbot.waitUntil(lambda: titles() == ["cost J", "accuracy %", "α, edge"], timeout=3000)


def test_a_short_cost_panel_shows_the_cost_alone_with_its_iteration_axis(qtbot):
    from visualizer.app.panels.cost_curve import CostCurvePanel

    panel = CostCurvePanel()
    qtbot.addWidget(panel)
    panel.resize(500, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.acc.isVisible() and panel.stability.isVisible(), timeout=3000)
    panel.resize(500, 200)
    qtbot.waitUntil(lambda: not panel.acc.isVisible() and not panel.stability.isVisible(), timeout=3000)
    assert panel.plot.getAxis("bottom").style["showValues"] and panel.plot.getAxis("bottom").labelText == "iteration"
    assert panel.plot.vb.height() > 0.55 * panel.view.height()  # the hidden plots take no room
    assert "taller" in panel.view.toolTip()
    panel.resize(500, 700)
    qtbot.waitUntil(lambda: panel.acc.isVisible() and panel.stability.isVisible(), timeout=3000)
    assert not panel.plot.getAxis("bottom").style["showValues"]


def test_a_fresh_run_draws_its_test_cost_and_accuracies_before_the_first_step(window):
    window.refresh(force=True)
    cc = window.cost_curve
    assert window.controller.gd.iteration == 0
    for curve in (cc.train_acc, cc.test_acc, cc.test_curve, cc.edge_curve):
        x, _ = curve.getData()
        assert list(x) == [0] and curve.opts["symbol"] == "o"  # not a legend naming nothing drawn


def test_metrics_of_one_point_are_dots_and_the_three_plots_line_up(window, qtbot):
    window.step(5)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 5 and not window.controller.running, timeout=5000)
    window.refresh(force=True)
    cc = window.cost_curve
    for curve in (cc.train_acc, cc.test_acc, cc.test_curve, cc.edge_curve):  # one row so far, at iteration 0
        assert len(curve.getData()[0]) == 1 and curve.opts["symbol"] == "o"  # a line through one point is empty
    qtbot.waitUntil(lambda: len({p.getAxis("left").width() for p in (cc.plot, cc.acc, cc.stability)}) == 1,
                    timeout=3000)
    lefts = [p.vb.viewRange()[0][0] for p in (cc.plot, cc.acc, cc.stability)]
    assert max(lefts) - min(lefts) < 1e-9 and lefts[0] < 0  # iteration 0 inside every plot, not cut off below
