"""The Model group: a network trains in the window through the registry, and the panels say what they show."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from visualizer.app.run.frame import build_frame
from visualizer.core.analysis.sharpening import LIVE_SHARPNESS
from visualizer.core.models import NetworkRun
from visualizer.formats.model_files import load_model

CTRL = Qt.KeyboardModifier.ControlModifier


def _train(window, qtbot, n: int) -> None:
    start = window.controller.gd.iteration
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == start + n,
                    timeout=20000)
    window.refresh(force=True)


def test_a_network_chosen_in_the_controls_trains_and_the_panels_draw_it(window, qtbot, tmp_path):
    model, state, c = window.controls.model, window.state, window.controller
    assert not model.rows["hidden"][1].isVisibleTo(model)  # logistic regression: no hidden layers to set
    state.change_settings(alpha=0.005)
    model.model.setCurrentIndex(model.model.findData("network"))
    assert state.settings.hidden == (4,) and state.settings.init == "random"  # zeros would keep the units alike
    assert isinstance(c.gd, NetworkRun) and c.gd.net.sizes == (c.train.n_x, 4, 1)
    assert model.rows["hidden"][1].isVisibleTo(model) and "12288 → 4 → 1" in model.note.text()
    start = c.gd.cost
    _train(window, qtbot, 300)
    assert c.gd.cost < start - 0.05  # J falls (0.6928 to about 0.55 on the demo set)
    assert window.status.text().startswith("iteration 300")
    weights = window.panels["weights"]
    assert weights.caption.isVisibleTo(weights) and "one tile per first-layer unit, its 4" in weights.caption.text()
    assert "the unit's own z" in weights.view.toolTip()  # not the output's z, as one neuron's w pushes it
    surface, edge = window.surface, window.controls.edge_label.text()
    assert "surface" not in window._notes and [surface.choice.itemData(k) for k in range(3)] == [
        "random", "principal", "weights"]  # a network's own planes, its exact J drawn on the first
    assert surface.view.kind == "random" and surface.view.current[2] == pytest.approx(c.gd.cost, rel=1e-12)
    recorded = c.gd.m * c.gd.net.size <= LIVE_SHARPNESS
    assert ("measured at iteration 300" in edge) if recorded else edge.startswith("2/λmax is not recorded")
    qtbot.waitUntil(lambda: window._surface_job is None, timeout=20000)
    window._surface_cost = 1.0  # the next slice goes to a worker; a forced one is drawn at once, after it was asked
    window._draw_surface(build_frame(c, view_iteration=100), force=False)
    window._draw_surface(build_frame(c), force=True)
    qtbot.waitUntil(lambda: window._surface_job is None, timeout=20000)
    qtbot.wait(50)  # the worker's result, queued to this thread, arrives: the earlier frame must not replace it
    assert surface.view.current[2] == pytest.approx(c.gd.cost, rel=1e-12)
    assert window.panels["sigmoid"].plot.getAxis("bottom").labelText == "z of the output unit"
    state.look_at(120)  # looking back replays the network from a checkpoint
    window.refresh(force=True)
    assert window.status.text().startswith("iteration 120") and c.gd.iteration == 300
    state.look_at(None)

    model.hidden.setText("5,3")  # a new run; Ctrl+Z brings back the 300 iterations of [4]
    model.hidden.editingFinished.emit()
    assert state.settings.hidden == (5, 3) and c.gd.iteration == 0 and c.gd.net.sizes[1:] == (5, 3, 1)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert c.gd.iteration == 300 and c.gd.hidden == (4,) and model.hidden.text() == "4"

    optimizer = window.controls.optimizer.optimizer
    optimizer.setCurrentIndex(optimizer.findData("adam"))  # Adam trains the network on from where it is
    assert state.settings.optimizer == "adam" and c.gd.optimizer.kind == "adam" and c.gd.replay_from == 300
    _train(window, qtbot, 20)
    assert c.gd.iteration == 320 and c.gd.opt_state.t == 20 and set(c.gd.opt_state.arrays) == {"v", "s"}
    assert c.replay_note() == ("iterations before 300 cannot be shown: the network's adam started again from θ in "
                               "new coordinates (primal)")
    assert window.save_model(str(tmp_path / "net.npz"))  # File > Save model: the network, for `visualizer predict`
    saved = load_model(tmp_path / "net.npz")
    assert saved.net.sizes == c.gd.net.sizes and np.array_equal(saved.theta, c.gd.theta)
    assert np.array_equal(saved.z(c.train.X), c.gd.z) and saved.alpha_changes == c.gd.history.alpha_changes

    model.model.setCurrentIndex(model.model.findData("logistic"))
    window.refresh(force=True)
    assert state.settings.hidden == () and not isinstance(c.gd, NetworkRun)
    assert surface.choice.itemData(0) == "w-direction" and surface.view.kind == "w-direction"
    assert "surface" not in window._notes and not weights.caption.isVisibleTo(weights)
    assert "towards the positive class" in weights.view.toolTip()
