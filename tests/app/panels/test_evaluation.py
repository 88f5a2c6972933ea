"""The loss on every card and σ(z) dot, and the Evaluation panel, driven through the real widgets and checked
against numpy written out here (the course's formulas, not the engine's)."""

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from visualizer.app.panels.gallery import loss_text
from visualizer.core.reference.lecture import gradient_descent_reference


def _wait_steps(qtbot, window, n):
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration >= n, timeout=5000)
    window.refresh(force=True)


def course_outputs(data, iterations, loss="cross-entropy"):
    """(z, ŷ, L, y) of ``data`` after the course's run on the training set (cross-entropy, α 0.005, zeros)."""
    return outputs_at(*gradient_descent_reference(data[0].X, data[0].Y, 0.005, iterations)[:2], data[1], loss)


def outputs_at(w, b, data, loss="cross-entropy"):
    z = (w.reshape(-1) @ data.X + b).reshape(-1)
    a = 1 / (1 + np.exp(-z))
    y = data.Y.reshape(-1)
    if loss == "cross-entropy":
        return z, a, -(y * np.log(a) + (1 - y) * np.log(1 - a)), y
    return z, a, 0.5 * (a - y) ** 2, y


def counts(a, y, t):
    said = a > t
    return {(1, 1): int(np.sum(said & (y == 1))), (0, 1): int(np.sum(said & (y == 0))),
            (1, 0): int(np.sum(~said & (y == 1))), (0, 0): int(np.sum(~said & (y == 0)))}


def raise_evaluation(window, qtbot):
    window.docks["evaluation"].raise_()
    qtbot.waitUntil(lambda: not window.docks["evaluation"].visibleRegion().isEmpty(), timeout=2000)
    window.refresh(force=True)
    return window.panels["evaluation"]


# ------------------------------------------------------------------ item 9: the loss on every card
def test_every_card_shows_its_loss_and_sorting_answers_lesson_02(window, qtbot):
    _wait_steps(qtbot, window, 200)
    c = window.controller
    _z, _a, L, y = outputs_at(c.gd.w, c.gd.b, c.train)  # the formula, exactly, at the run's own (w, b)
    model = window.gallery.models["train"]
    assert np.allclose(model.loss, L, rtol=1e-9, atol=1e-12)
    assert np.allclose(L, course_outputs((c.train, c.train), 200)[2], rtol=1e-6)  # and the run is the course's
    tip = model.data(model.index(3), Qt.ItemDataRole.ToolTipRole)
    assert f"L(ŷ, y) = {L[3]:.4f} (cross-entropy)" in tip
    window.gallery.sort.setCurrentIndex(window.gallery.sort.findData("loss"))
    first = model.index(0).data(Qt.ItemDataRole.UserRole)
    assert first == int(np.argmax(L))  # the largest loss, which lesson 02 asks for, is the first card
    assert window.gallery.summary.full == "L: cross-entropy"
    assert loss_text(L[first]) == f"{L[first]:.3f}"
    assert loss_text(12.345) == "12.3"


def test_the_cards_show_squared_error_when_it_is_the_loss(window, qtbot):
    window.state.change_settings(loss="squared-error")
    qtbot.waitUntil(lambda: window.controller.gd.loss.name == "squared-error", timeout=3000)
    _wait_steps(qtbot, window, 20)
    gd = window.controller.gd
    _z, _a, L, _y = outputs_at(gd.w, gd.b, window.controller.train, "squared-error")
    assert np.allclose(window.gallery.models["train"].loss, L, rtol=1e-9, atol=1e-15)
    assert window.gallery.summary.full == "L: squared-error"


def test_hovering_a_sigma_dot_gives_z_yhat_y_and_its_loss(window, qtbot):
    _wait_steps(qtbot, window, 200)
    c = window.controller
    z, a, L, y = course_outputs((c.train, c.train), 200)
    panel = window.sigmoid
    gaps = np.abs(z[:, None] - z[None, :]) + np.eye(len(z)) * 1e9
    i = int(np.argmax(gaps.min(axis=1)))  # the loneliest dot: no other under the pointer
    dots = panel.dots[int(y[i])]
    view = panel.plot
    point = view.mapFromScene(dots.getViewBox().mapViewToScene(QPointF(z[i], a[i])))
    assert len(dots.pointsAt(dots.mapFromScene(view.mapToScene(point)))) > 0  # the pointer goes over that dot
    QTest.mouseMove(view.viewport(), point + QPoint(3, 3))
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: "L(ŷ, y)" in dots.getViewBox().toolTip(), timeout=2000)
    tip = dots.getViewBox().toolTip()
    assert f"example {i}: z = {z[i]:.4f}" in tip
    assert f"ŷ = σ(z) = {a[i]:.4f}, y = {int(y[i])}" in tip
    assert f"L(ŷ, y) = {L[i]:.4f} (cross-entropy)" in tip
    window.select_example("train", i)
    assert panel.selected_text.toPlainText() == f"ŷ {a[i]:.2f} · y={int(y[i])} · L {loss_text(L[i])}"


# ------------------------------------------------------------------ item 11: the Evaluation panel
def test_the_matrices_follow_the_iteration_shown(window, qtbot):
    panel = raise_evaluation(window, qtbot)
    c = window.controller
    # iteration 0: every ŷ is 0.5, nothing is called a cat, so precision has no denominator
    assert "precision\u00a0not\u00a0defined" in panel.boxes["train"].scores.text()
    assert "F1\u00a0not\u00a0defined" in panel.boxes["train"].scores.text()
    _wait_steps(qtbot, window, 300)
    window.state.look_at(250)
    window.refresh(force=True)
    for name, data in (("train", c.train), ("test", c.test)):
        _z, a, _L, y = course_outputs((c.train, data), 250)
        expected = counts(a, y, 0.5)
        for cell, n in expected.items():
            assert panel.boxes[name].cells[cell].text().split()[0] == str(n), (name, cell)
        tp, fp, fn = expected[1, 1], expected[0, 1], expected[1, 0]
        p = None if tp + fp == 0 else tp / (tp + fp)
        r = None if tp + fn == 0 else tp / (tp + fn)
        f1 = None if p is None or r is None else 0.0 if p + r == 0 else 2 * p * r / (p + r)
        text = panel.boxes[name].scores.text().replace("\u00a0", " ")
        for word, value in (("precision", p), ("recall", r), ("F1", f1)):
            assert f"{word} {'not defined' if value is None else f'{value:.3f}'}" in text, (name, text)
    assert "iteration 250" in panel.plot.plotItem.titleLabel.text


def test_the_threshold_slider_moves_every_mark_and_the_roc_marker(window, qtbot):
    _wait_steps(qtbot, window, 200)
    panel = raise_evaluation(window, qtbot)
    c = window.controller
    status = window.status.text()
    panel.slider.setFocus()
    for _ in range(4):  # four page steps of 0.05: 0.7
        QTest.keyClick(panel.slider, Qt.Key.Key_PageUp)
    assert window.state.threshold == 0.7
    window.refresh(force=True)
    z, a, _L, y = course_outputs((c.train, c.train), 200)
    expected = counts(a, y, 0.7)
    assert expected != counts(a, y, 0.5)  # the threshold changes some calls, so the test can fail
    for cell, n in expected.items():
        assert panel.boxes["train"].cells[cell].text().split()[0] == str(n)
    model = window.gallery.models["train"]
    assert [model.right(i) for i in range(len(y))] == list((a > 0.7) == (y == 1))
    fpr, tpr = expected[0, 1] / np.sum(y == 0), expected[1, 1] / np.sum(y == 1)
    marker = panel.marks["train"].data
    assert np.isclose(marker["x"][0], fpr) and np.isclose(marker["y"][0], tpr)
    assert window.sigmoid.threshold.value() == 0.7
    assert window.status.text() == status  # the accuracy elsewhere stays the course's, at 0.5
    assert "keep 0.5" in panel.about.text()
    qtbot.mouseClick(panel.course, Qt.MouseButton.LeftButton)
    assert window.state.threshold == 0.5 and panel.slider.value() == 500


def test_clicking_a_cell_filters_the_gallery_and_clicking_again_shows_all(window, qtbot):
    _wait_steps(qtbot, window, 2000)
    panel = raise_evaluation(window, qtbot)
    c = window.controller
    _z, a, _L, y = course_outputs((c.train, c.test), 2000)
    cats_called_non_cats = [i for i in range(len(y)) if y[i] == 1 and a[i] <= 0.5]
    assert cats_called_non_cats
    cell = panel.boxes["test"].cells[1, 0]
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    assert window.state.cell == ("test", 1, 0)
    window.refresh(force=True)
    assert window.gallery.tabs.currentWidget() is window.gallery.lists["test"]
    model = window.gallery.models["test"]
    shown = [model.index(r).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert shown == cats_called_non_cats
    assert cell.isChecked() and panel.show_all.isEnabled()
    assert window.gallery.summary.full.startswith(f"{len(shown)} of {len(y)}: cat called non-cat")
    gallery = window.gallery  # the filter is said where the cards are, with the way back beside them
    assert gallery.tabs.tabText(1) == f"test ({len(shown)} of {len(y)})" and gallery.show_all.isVisible()
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    window.refresh(force=True)
    assert window.state.cell is None and model.rowCount() == len(y) and not cell.isChecked()
    qtbot.mouseClick(panel.boxes["train"].cells[0, 0], Qt.MouseButton.LeftButton)
    window.refresh(force=True)
    assert window.gallery.models["train"].rowCount() == int(np.sum(c.train.Y == 0))  # all non-cats called so
    qtbot.mouseClick(gallery.show_all, Qt.MouseButton.LeftButton)
    window.refresh(force=True)
    assert window.state.cell is None and window.gallery.models["train"].rowCount() == c.train.m
    assert gallery.tabs.tabText(0) == f"train ({c.train.m})" and not gallery.show_all.isVisible()


def test_the_roc_legend_lies_where_the_curves_leave_room(window, qtbot):
    """Anchored bottom right, the legend lay on the test curve (after F11, in the walk); it takes a free corner."""
    from visualizer.app.panels.legend_corners import corner_box, covered, points_of

    panel = raise_evaluation(window, qtbot)
    panel.curves["test"].setData([0, 0.6, 0.9, 1], [0, 0.05, 0.3, 1])  # a poor curve: along the bottom right
    panel.place_legend()
    plot, legend = panel.plot, panel.legend
    points = points_of(*panel.curves.values(), *panel.marks.values())
    assert covered(plot, corner_box(plot, legend, ((1, 1), (1, 1))), points) > 0  # where it was
    assert covered(plot, legend.sceneBoundingRect(), points) == 0
