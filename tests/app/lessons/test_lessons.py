"""The lesson views against the engine."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from visualizer.app.lessons.lessons import VectorizationPanel
from visualizer.core import sigmoid


def test_graph_shows_dz_equal_to_a_minus_y_for_the_selected_example(window, qtbot):
    window.step(100)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 100, timeout=5000)
    window.select_example("train", 7)
    window.open_lesson("computation-graph")
    window.refresh(force=True)
    panel = window.lesson("computation-graph")
    gd = window.controller.gd
    a = float(sigmoid(gd.z[7]))
    assert panel.values.a == pytest.approx(a) and panel.values.dz == pytest.approx(a - gd.y[7])
    assert f"dz = a − y = {a - gd.y[7]:.4f}" == panel.canvas.edge_text[("z", "a")]


def test_gradient_check_agrees(window, qtbot):
    window.step(20)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 20, timeout=5000)
    window.open_lesson("computation-graph")
    panel = window.lesson("computation-graph")
    panel.check.click()
    value = float(panel.check_result.text().split()[2].rstrip(":"))
    assert value < 1e-7 and "agree" in panel.check_result.text()


def test_toy_graph_has_every_scalar(window):
    window.open_lesson("computation-graph")
    panel = window.lesson("computation-graph")
    panel.toy.setChecked(True)
    v = panel.values
    assert v.dw.shape == (2,) and "dw₁ = x₁dz" in panel.canvas.edge_text[("w", "z")]
    panel.step_through.click()
    panel._next_step()
    assert panel.canvas.highlight == "x"


def test_image_vector_shapes_and_hover(window):
    window.open_lesson("image-vector")
    window.refresh(force=True)
    panel = window.lesson("image-vector")
    assert "X: (12288, 210)" in panel.shapes.text() and "Y: (1, 210)" in panel.shapes.text()
    assert "w: (12288, 1)" in panel.shapes.text()
    k = panel.point_at(2, 5)
    pixels = window.controller.train.images[0]
    assert k == 3 * (2 * 64 + 5) and f"R = {pixels[2, 5, 0]}" in panel.readout.text()
    x = window.controller.train.X[:, 0]
    assert x[k] == pytest.approx(pixels[2, 5, 0] / 255)


def test_vectorization_panel_reports_agreement(window, qtbot):
    window.open_lesson("vectorization")
    panel = window.lesson("vectorization")
    panel.run.click()
    qtbot.waitUntil(lambda: panel.run.isEnabled() and "speed-up" in panel.result.text(), timeout=20000)
    assert "within 1e-12" in panel.result.text()


def test_click_on_the_bowl_starts_a_run_there(window, qtbot):
    window.open_lesson("bowl")
    panel = window.lesson("bowl")
    qtbot.waitUntil(lambda: panel.plot.vb.width() > 50, timeout=3000)
    target = panel.plot.vb.mapViewToScene(QPointF(1.5, -2.0))
    view_pos = panel.view.mapFromScene(target)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert len(panel.bowl.runs) == 1
    run = panel.bowl.runs[0]
    start = panel.bowl.path(run)
    assert start[0][0] == pytest.approx(1.5, abs=0.1) and start[1][0] == pytest.approx(-2.0, abs=0.1)


def test_cross_entropy_slice_is_convex_and_squared_error_is_not(window, qtbot):
    window.step(300)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 300, timeout=5000)
    window.open_lesson("convexity")
    window.refresh(force=True)
    ce, se = window.lesson("convexity").views
    tol = 1e-6
    assert (np.diff(ce.J, 2, axis=0) > -tol).all() and (np.diff(ce.J, 2, axis=1) > -tol).all()
    assert (np.diff(se.J, 2, axis=0) < -tol).any() or (np.diff(se.J, 2, axis=1) < -tol).any()


def test_the_vectorization_lesson_keeps_its_words_together_before_a_timing(qtbot):
    """With the timing plot hidden, the caption stretched to 300 px of blank and the button sat mid-window."""
    panel = VectorizationPanel()
    qtbot.addWidget(panel)
    panel.resize(840, 620)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.run.geometry().top() < 200
