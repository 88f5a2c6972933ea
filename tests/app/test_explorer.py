"""The learning-rate explorer and the stability marks, driven through the real windows."""

import numpy as np
import pytest

from visualizer.core.stability import lesson_alphas, stable_alpha


@pytest.fixture
def explorer(window, qtbot):
    window.open_explorer()
    ex = window.explorer
    qtbot.waitExposed(ex)
    yield ex
    ex.close()
    assert not (ex.job and ex.job.isRunning()) and not (ex.sweep_job and ex.sweep_job.isRunning())


def test_course_preset_compares_three_alphas(explorer, qtbot):
    explorer.iterations.setValue(300)
    explorer.alphas_field.setText("0.01 0.001 0.0001")
    explorer.run_comparison()
    qtbot.waitUntil(lambda: explorer.table.rowCount() == 3, timeout=20000)
    assert [explorer.table.item(r, 0).text() for r in range(3)] == ["0.01", "0.001", "0.0001"]
    runs = explorer.comparison.runs
    for r in range(3):
        gd = runs[float(explorer.table.item(r, 0).text())]
        assert explorer.table.item(r, 2).text() == f"{gd.metrics()['train_accuracy']:.2f} %"
        assert gd.iteration == 300
    assert explorer.slice_image.image is not None and "off the plane" in explorer.slice_note.text()


def test_a_run_can_be_added_while_the_others_go_on(explorer, qtbot):
    explorer.iterations.setValue(5000)
    explorer.alphas_field.setText("0.001 0.0001")
    explorer.run_comparison()
    qtbot.waitUntil(lambda: min(gd.iteration for gd in explorer.comparison.runs.values()) > 10, timeout=5000)
    explorer.add_field.setText("0.003")
    explorer.add_run()
    assert 0.003 in explorer.comparison.runs
    qtbot.waitUntil(lambda: explorer.comparison.runs[0.003].iteration > 10, timeout=5000)
    curves = len(explorer.curves.listDataItems())
    explorer.add_field.setText("0.001")  # already running: no second curve, no second legend entry
    explorer.add_run()
    assert len(explorer.curves.listDataItems()) == curves and "already" in explorer.message.text()
    explorer.stop()


def test_bad_alpha_list_gets_a_message(explorer):
    explorer.alphas_field.setText("0.01 fast")
    explorer.run_comparison()
    assert "'fast' is not a number" in explorer.message.text()


def test_sweep_is_deterministic_and_points_open_as_runs(explorer, qtbot):
    explorer.k.setValue(9)
    explorer.sweep_iterations.setValue(60)
    results = []
    for _ in range(2):
        explorer.run_sweep()
        qtbot.waitUntil(lambda: explorer.sweep_button.isEnabled(), timeout=20000)
        results.append([(p.alpha, p.final_cost, p.diverged) for p in explorer.sweep_points])
    assert results[0] == results[1] and len(results[0]) == 9
    assert any(d for _, _, d in results[0]) and "Suggested" in explorer.suggestion.text()
    explorer.iterations.setValue(50)
    explorer.open_run(results[0][3][0])
    assert results[0][3][0] in explorer.comparison.runs


def test_edge_of_stability_is_marked_and_presets_use_it(window, qtbot):
    window.refresh(force=True)
    expected = stable_alpha(window.controller.gd)
    assert window.edge.alpha == pytest.approx(expected)
    assert window.controls.alpha.slider.edge == pytest.approx(expected)
    assert f"{expected:.3g}" in window.controls.edge_label.text()
    window.choose_preset("diverging")
    alpha = float(f"{lesson_alphas(expected)['diverging']:.3g}")
    assert window.controller.gd.alpha == alpha
    assert "QSlider::handle" in window.controls.alpha.slider.styleSheet()  # amber above the edge


def test_changing_alpha_leaves_a_ghost_of_the_old_path(window, qtbot):
    window.step(40)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 40, timeout=5000)
    window.controls.alpha.field.setText("0.0001")
    window.controls.alpha.field.editingFinished.emit()
    qtbot.waitUntil(lambda: window.controller.ghost is not None, timeout=3000)  # once the slider rests
    window.refresh(force=True)
    x, y = window.cost_curve.ghost.getData()
    assert x[0] == 40 and len(x) == 300 and np.all(np.isfinite(y))
    assert y[0] == pytest.approx(window.controller.gd.cost)
    window.refresh(force=True)
    view = window.surface.view
    assert view.ghost_s is not None and len(view.ghost_s) == 30
    gx, gy = window.surface.contour.ghost.getData()
    assert np.allclose(gx, view.ghost_s) and np.allclose(gy, view.ghost_t)
