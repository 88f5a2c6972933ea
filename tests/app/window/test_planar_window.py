"""The window on 2-D points: the decision boundary panel, clicks that add points, and image panels that say why not.

One window on the course's flower (all 400 points train, as the course does) serves the whole module.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QStandardPaths, Qt
from PySide6.QtWidgets import QApplication

from tests.core.analysis.test_boundary import _collinear
from visualizer.app.common.application import settle
from visualizer.app.panels.boundary import NOT_2D
from visualizer.app.panels.classify import POINTS_HINT
from visualizer.app.run.frame import Frame, build_frame
from visualizer.app.window.main_window import MainWindow
from visualizer.core.analysis.evaluation import predicted
from visualizer.data import load_data
from visualizer.formats.lesson_files import load_lesson, load_lesson_data


@pytest.fixture(scope="module")
def flower_window(qapp):
    QStandardPaths.setTestModeEnabled(True)
    train, test = load_data("planar:flower", test_fraction=0)
    w = MainWindow(train, test, remember_layout=False)
    w.ask_before_closing = False
    w.resize(1280, 800)
    w.show()
    settle(0.5)
    w.controller.step(300)
    settle(0.3)
    w.refresh(force=True)
    yield w
    w.close()
    QApplication.processEvents()


def _frame(w):
    return build_frame(w.controller, None, w.selected, w.state.threshold, w.state.cell)


def test_the_boundary_is_in_front_and_logistic_regressions_line_is_straight_at_the_threshold(flower_window):
    w = flower_window
    panel = w.panels["boundary"]
    assert w.controller.test is None and w.controller.train.m == 400
    assert not w.docks["boundary"].visibleRegion().isEmpty()  # 2-D points bring their view to the front
    for threshold in (0.5, 0.6):
        w.state.set_threshold(threshold)
        w.refresh(force=True)
        x, y = panel.line.getData()
        assert len(x) > 20 and _collinear(x, y) < 1e-9
        z = _frame(w).output_z(np.vstack([x, y]))
        assert z.shape == (len(x),)
        np.testing.assert_allclose(1 / (1 + np.exp(-z)), threshold, atol=1e-9)
    w.state.set_threshold(0.5)


class _LayoutRequests(QObject):
    """Counts the times Qt is asked to lay out the widget it watches."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event) -> bool:
        self.count += event.type() == QEvent.Type.LayoutRequest
        return False


def test_the_texts_a_frame_changes_repaint_themselves_without_laying_the_window_out(flower_window):
    """The iteration, the status line, the boundary's counts, the edge and the slice's note change as the run
    trains: each new text made Qt lay out the whole window again (78 times a second while training)."""
    w, requests = flower_window, _LayoutRequests()
    labels = (w.status, w.controls.timeline_label, w.panels["boundary"].summary, w.controls.edge_label, w.surface.note)
    before = [label.text() for label in labels]
    w.installEventFilter(requests)
    for k in range(1, 4):
        for label, text in zip(labels, before, strict=True):
            label.setText(re.sub(r"\d", str(k), text))  # new numbers, as wide: the digits are
        settle(0.05)
    w.removeEventFilter(requests)
    for label, text in zip(labels, before, strict=True):
        label.setText(text)
    assert all(re.search(r"\d", text) for text in before) and requests.count == 0


def test_the_marks_follow_the_threshold(flower_window):
    w = flower_window
    panel, train = w.panels["boundary"], w.controller.train
    counts = []
    for threshold in (0.5, 0.52):
        w.state.set_threshold(threshold)
        w.refresh(force=True)
        wrong = predicted(_frame(w).z_train, threshold) != train.Y[0]
        marks = np.c_[panel.wrong.getData()]
        np.testing.assert_array_equal(np.sort(marks, axis=0), np.sort(train.X[:, wrong].T, axis=0))
        assert f"train: {400 - wrong.sum()} ✓, {wrong.sum()} ✗" in panel.summary.text()
        counts.append(int(wrong.sum()))
    assert counts[0] != counts[1]
    w.state.set_threshold(0.5)


def test_clicks_add_points_of_either_class_and_undo_takes_them_away(flower_window, qtbot):
    w = flower_window
    panel = w.panels["boundary"]
    view = panel.plot.viewport()
    centre = QPoint(view.width() // 2, view.height() // 2)
    where = panel.plot.getViewBox().mapSceneToView(panel.plot.mapToScene(centre))
    for button, modifier, label in ((Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, 1),
                                    (Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, 0),
                                    (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, 0)):
        before = w.controller.train.m
        qtbot.mouseClick(view, button, modifier, centre)
        qtbot.waitUntil(lambda before=before: w.controller.train.m == before + 1, timeout=3000)
        train = w.controller.train
        assert train.Y[0, -1] == label
        np.testing.assert_allclose(train.X[:, -1], [where.x(), where.y()], atol=0.1)
    assert "Ctrl+Z undoes it" in w.state.notice.text
    for _ in range(3):
        w.undo.undo()
    assert w.controller.train.m == 400
    w.refresh(force=True)
    assert len(panel.dots["train", 1].getData()[0]) == 200


def test_panels_made_for_images_say_a_sentence_for_points(flower_window):
    w = flower_window
    w.refresh(force=True)
    w.panels["weights"].draw(_frame(w))
    assert w.panels["weights"].caption.isVisibleTo(w) and not w.panels["weights"].view.isVisibleTo(w)
    assert w.panels["weights"].caption.text().startswith("w = (")
    w.panels["classify"].draw(_frame(w))
    assert w.panels["classify"].hint.text() == POINTS_HINT
    assert not any(t.isEnabled() for t in w.panels["classify"].add_targets)
    model = w.gallery.models["train"]
    assert model.points is not None and "x = (" in model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    for key in ("image-vector", "computation-graph"):
        w.open_lesson(key)
        w.lesson(key).draw(_frame(w))
    assert "2-D points" in w.lesson("image-vector").readout.text()
    w.close_lesson()
    w.close_lesson()


def test_csv_files_in_the_window_good_and_bad(flower_window, qtbot, tmp_path):
    w = flower_window
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,y\n1,2,0\n3,abc,1\n")
    w.load(str(bad), 0.0)
    qtbot.waitUntil(lambda: w._loader is None, timeout=5000)
    assert f"{bad}: line 3: expected numbers x1,x2,y" in w.state.notice.text and w.controller.train.m == 400
    good = tmp_path / "good.csv"
    good.write_text("0,0,0\n1,1,1\n2,0,1\n0,2,0\n")
    w.load(str(good), 0.0)
    qtbot.waitUntil(lambda: w.controller.train.m == 4, timeout=5000)
    assert w.controller.test is None and "Loaded 4 training points" in w.state.notice.text


def test_images_again_bring_sigma_to_the_front_and_the_boundary_says_why_it_is_empty(flower_window, demo):
    w = flower_window
    w.state.set_data(*demo, fresh=True)
    w.refresh(force=True)
    settle(0.1)
    assert not w.docks["sigmoid"].visibleRegion().isEmpty()
    w.panels["boundary"].draw(_frame(w))
    assert w.panels["boundary"].summary.text() == NOT_2D


def test_the_map_covers_the_grid_and_units_and_the_hidden_view_are_drawn_when_the_frame_offers_them(
        flower_window, monkeypatch):
    w = flower_window
    if not w.controller.train.is_points:
        w.state.set_data(*load_data("planar:flower", test_fraction=0), fresh=True)
    w.refresh(force=True)
    panel = w.panels["boundary"]
    shown = panel.map.mapRectToView(panel.map.boundingRect())
    for got, want in ((shown.left(), panel.rect.left()), (shown.right(), panel.rect.right()),
                      (shown.top(), panel.rect.top()), (shown.bottom(), panel.rect.bottom())):
        assert got == pytest.approx(want, abs=1e-9)
    assert not panel.units.isVisible() and not panel.hidden.isVisibleTo(panel)  # logistic regression has neither
    W1, b1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.zeros(3)
    monkeypatch.setattr(Frame, "first_layer", lambda self: (W1, b1))
    monkeypatch.setattr(Frame, "hidden_view", lambda self, X: np.tanh(W1[:2] @ X))
    panel.draw(_frame(w))
    assert panel.units.isVisible() and len(panel.units.getData()[0]) == 6
    assert panel.hidden.isVisibleTo(panel) and len(panel.hidden_dots[1].getData()[0]) == 200


def test_save_model_says_why_not_for_points(flower_window, tmp_path):
    w = flower_window
    assert w.save_model(str(tmp_path / "m.npz")) is False and not (tmp_path / "m.npz").exists()
    assert "Save the session instead" in w.state.notice.text


def test_a_large_csv_draws_every_kth_mark_and_counts_every_point(flower_window, qtbot, tmp_path):
    w = flower_window
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20_000, 2))
    big = tmp_path / "big.csv"
    big.write_text("".join(f"{a:.4f},{b:.4f},{int(a > 0)}\n" for a, b in X))
    w.load(str(big), 0.0)
    qtbot.waitUntil(lambda: w.controller.train.m == 20_000, timeout=10_000)
    w.refresh(force=True)
    panel = w.panels["boundary"]
    drawn = sum(len(panel.dots["train", k].getData()[0]) for k in (0, 1))
    assert drawn == 20_000 // 7 + 1 and "(a mark for every 7th)" in panel.summary.text()
    wrong = int((predicted(_frame(w).z_train, 0.5) != w.controller.train.Y[0]).sum())
    assert f"{20_000 - wrong} ✓, {wrong} ✗" in panel.summary.text()


def test_a_lesson_saved_on_a_planar_set_names_it_and_keeps_every_point(flower_window, tmp_path):
    w = flower_window
    w.state.set_data(*load_data("planar:flower", test_fraction=0), fresh=True)
    path = tmp_path / "sub" / "flower.toml"
    path.parent.mkdir()
    assert w.save_lesson_file(str(path), expect=[])
    lesson = load_lesson(path)
    assert lesson.data.source == "planar:flower" and lesson.data.test_fraction == 0.0
    train, test = load_lesson_data(lesson)
    assert train.m == 400 and test is None


def test_the_boundary_legend_lies_beside_the_plane_never_on_its_points(flower_window, qtbot):
    """At 1024 x 768 the legend, over the plane's top left corner, hid the flower's petals: no corner was free."""
    w, panel = flower_window, flower_window.panels["boundary"]
    w.refresh(force=True)
    view = panel.plot.getViewBox().sceneBoundingRect()
    legend = panel.legend.sceneBoundingRect()
    assert legend.width() > 40 and legend.left() >= view.right() - 1 and legend.top() >= view.top() - 1
    assert [label.text for _, label in panel.legend.items] == ["y = 1", "y = 0", "called wrong"]
