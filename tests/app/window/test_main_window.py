import re

import numpy as np
from PySide6.QtCore import Qt

from visualizer.app.panels.alpha_control import alpha_to_slider, slider_to_alpha


def test_space_starts_and_pauses_training(window, qtbot):
    window.state.change_settings(budget=10**7)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 50, timeout=5000)
    assert window.controller.running
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    stopped_at = window.controller.gd.iteration
    qtbot.wait(100)
    assert window.controller.gd.iteration == stopped_at


def test_right_arrow_steps_once_and_the_curve_gains_a_point(window, qtbot):
    curve = window.cost_curve.train_curve
    before = len(curve.getOriginalDataset()[0] if curve.getOriginalDataset()[0] is not None else [])
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 1 and not window.controller.running, timeout=5000)
    window.refresh(force=True)
    assert len(curve.getOriginalDataset()[0]) == before + 1


def test_alpha_slider_sets_the_alpha_of_the_next_iteration(window, qtbot):
    window.controller.step(5)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 5 and not window.controller.running, timeout=5000)
    slider = window.controls.alpha.slider
    slider.setValue(alpha_to_slider(0.001))
    window.controller.step(3)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 8 and not window.controller.running, timeout=5000)
    history = window.controller.gd.history
    assert history.alphas().tolist() == [0.005] * 5 + [slider_to_alpha(slider.value())] * 3


def test_closing_while_training_stops_the_thread(window, qtbot):
    window.state.change_settings(budget=10**7)
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 10, timeout=5000)
    assert window.controller.running
    window.close()  # the fixture checks that no thread is left


def test_a_large_alpha_trains_on_and_the_notice_says_what_j_did(window, qtbot):
    """α = 5 stopped the run at J's first spike with "α = 5 is too large": J then falls far below its start."""
    window.controls.alpha.field.setText("5")
    window.controls.alpha.field.editingFinished.emit()
    window.controller.start()
    qtbot.waitUntil(lambda: not window.controller.running and window.notice.isVisible(), timeout=20000)
    gd = window.controller.gd
    costs = np.append(gd.history.costs.values, gd.cost)
    assert gd.iteration == 2000 and costs[-1] < costs[0] < costs.max()
    peak = int(np.argmax(costs))
    assert window.notice.label.text() == (
        f"α = 5: unstable at first: J rose from 0.693 to {costs[peak]:.3g} at iteration {peak}, then fell to "
        f"{costs[-1]:.3g} at iteration 2000, below where it began.")


def test_a_step_that_would_overflow_halts_the_run_and_names_alpha(window, qtbot):
    window.state.change_settings(loss="squared-error")
    window.controller.gd.alpha = 1e306  # beyond the controls' range: only the engine can be handed it
    window.controller.start()
    qtbot.waitUntil(lambda: not window.controller.running and window.notice.isVisible(), timeout=20000)
    gd = window.controller.gd
    assert gd.halted and gd.diverged_at is not None
    text = window.notice.label.text()  # the engine's sentence: the step was refused, α named as the cause
    assert re.match(r"The step overflowed at iteration \d+: ", text) and "α = 1e306" in text, text
    assert np.all(np.isfinite(gd.history.costs.values))


def test_soak_redraws_hundreds_of_times_while_training(window, qtbot):
    """Catches Qt-binding releases that crash pyqtgraph after a few dozen redraws."""
    c = window.controller
    window.state.change_settings(budget=10**7)
    window.state.change_settings(speed=2000.0)
    c.start()
    start_frames = window.frames
    for _ in range(2000):
        qtbot.wait(5)
        window.refresh()  # redraws only when the run moved on, as the timer does
        for panel in (window.cost_curve.view, window.sigmoid.plot, window.surface.contour.plot):
            panel.repaint()
        if window.frames - start_frames >= 300:
            break
    assert window.frames - start_frames >= 300
    assert c.running and c.gd.iteration > 0


def test_a_slow_slice_is_computed_off_the_gui_thread_and_still_drawn(window, qtbot, monkeypatch):
    import threading

    from visualizer.app.run import frame as frame_module
    from visualizer.app.window import rendering

    monkeypatch.setattr(rendering, "SURFACE_SYNC_S", -1.0)  # every slice counts as slow while training
    threads = []
    original = frame_module.Frame.surface

    def surface(self, *args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(frame_module.Frame, "surface", surface)
    window.state.change_settings(speed=200)  # a second of training, so the slow panels are redrawn a few times
    window.step(200)
    qtbot.waitUntil(lambda: not window.controller.running and window._surface_job is None, timeout=20000)
    assert False in threads  # some slices were made on a worker...
    qtbot.waitUntil(lambda: len(window.surface.view.path_s) > 2, timeout=5000)  # ...and drawn
    window.refresh(force=True)  # a forced redraw (a pause, a scrub) is drawn at once, on the GUI thread
    assert threads[-1] is True and len(window.surface.view.path_s) >= 2


def test_unchanged_metric_curves_are_not_handed_over_again(window, qtbot, monkeypatch):
    window.step(120)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    panel, history = window.cost_curve, window.controller.gd.history
    panel.show_history(history, 120, m=window.controller.gd.m)
    fed = []
    monkeypatch.setattr(panel.train_acc, "setData", lambda *a, **k: fed.append(len(a[0])))
    panel.show_history(history, 120, m=window.controller.gd.m)
    assert fed == []  # drawn already
    window.controller.gd.step(60)  # a new metric row (stride 50)
    panel.show_history(history, 180, m=window.controller.gd.m)
    assert fed == [len(history.metric("train_accuracy", 180)[0])]


def test_metric_curves_wait_for_a_medium_frame(window, qtbot, monkeypatch):
    window.step(120)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    panel, history, m = window.cost_curve, window.controller.gd.history, window.controller.gd.m
    panel.show_history(history, 120, m=m)
    fed = []
    monkeypatch.setattr(panel.train_acc, "setData", lambda *a, **k: fed.append(len(a[0])))
    window.controller.gd.step(60)  # a new metric row
    panel.show_history(history, 180, m=m, metrics=False)
    assert fed == []  # the cost line moved, the accuracy waits
    panel.show_history(history, 180, m=m)
    assert fed == [len(history.metric("train_accuracy", 180)[0])]


def test_while_training_the_gallery_is_redrawn_less_often_than_the_sigma_dots(window, monkeypatch):
    import time

    from visualizer.app.run.training import TrainingController
    from visualizer.app.window import rendering

    clock = [time.monotonic() + 10]
    monkeypatch.setattr(rendering.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(TrainingController, "running", property(lambda self: True))
    calls = {"gallery": 0, "sigmoid": 0}
    for name, panel in (("gallery", window.gallery), ("sigmoid", window.sigmoid)):
        original = panel.show_outputs
        monkeypatch.setattr(panel, "show_outputs",
                            lambda *a, _name=name, _f=original, **k: (calls.__setitem__(_name, calls[_name] + 1),
                                                                     _f(*a, **k)))
    c = window.controller
    for _ in range(6):  # six frames 20 ms apart, each with a new snapshot
        c.gd.step(1)
        c.latest = c._snapshot()
        window.refresh()
        clock[0] += 0.02
    assert calls["sigmoid"] == 6
    assert 1 <= calls["gallery"] <= 2  # at most 10 a second: 120 ms of frames
    monkeypatch.setattr(TrainingController, "running", property(lambda self: False))
    c.gd.step(1)
    c.latest = c._snapshot()
    window.refresh()  # training over: every panel shows the last iteration
    assert calls["gallery"] in (2, 3)
    from visualizer.core import sigmoid

    shown = window.gallery.models["train"].yhat
    assert np.allclose(shown, sigmoid(c.latest.z).ravel())


def test_a_panel_behind_a_tab_is_not_drawn_until_brought_to_the_front(window, qtbot, monkeypatch):
    window.tabifyDockWidget(window.docks["cost"], window.docks["gallery"])
    window.docks["cost"].raise_()
    qtbot.wait(50)
    drawn = []
    original = window.gallery.show_outputs
    monkeypatch.setattr(window.gallery, "show_outputs", lambda *a, **k: (drawn.append(a[1].copy()), original(*a, **k)))
    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.refresh(force=True)
    assert drawn == []  # behind the cost panel: nothing to draw
    window.docks["gallery"].raise_()
    qtbot.waitUntil(lambda: len(drawn) > 0, timeout=2000)
    from visualizer.core import sigmoid

    assert np.allclose(drawn[-1], sigmoid(window.controller.latest.z).ravel())  # the iteration of the moment


def test_switching_optimizer_while_training_and_drawing_never_mixes_coordinates(window, qtbot, monkeypatch):
    """The worker switches between two chunks; gradient descent to Adam moves the run from the Gram path to the
    primal one, while the GUI and a slice's worker read theta: they read within coordinates.reading()."""
    from visualizer.app.run import worker as worker_module
    from visualizer.app.window import rendering

    failures = []
    monkeypatch.setattr(worker_module.traceback, "print_exc", lambda: failures.append(True))
    monkeypatch.setattr(rendering, "SURFACE_SYNC_S", -1.0)  # slices on a worker while training
    c = window.controller
    window.state.change_settings(budget=10**7, alpha=1e-5)  # small enough for every optimizer here
    window.toggle_training()
    for kind in ("adam", "gd", "rmsprop", "momentum", "adam", "gd") * 2:
        window.state.change_settings(optimizer=kind)
        for _ in range(5):
            qtbot.wait(10)
            window.refresh()
    assert c.running, (window.state.notice, window.statusBar().currentMessage(), c.gd.iteration)
    window.toggle_training()
    qtbot.waitUntil(lambda: not c.running and window._surface_job is None, timeout=10000)
    assert failures == [] and c.gd.history.optimizer_changes[-1][1].kind == "gd"
