"""The window follows one state: each case here is a place where the screen once disagreed with the run."""

import numpy as np
import pytest

from tests.conftest import image_folder
from visualizer.app.panels.alpha_control import alpha_to_slider


def _trained(window, qtbot, n):
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration >= n, timeout=5000)
    window.refresh(force=True)


def test_the_state_holds_what_the_controls_show(window):
    window.state.change_settings(alpha=0.02, budget=700, speed=10.0, loss="squared-error")
    p = window.controls
    assert (p.alpha.alpha, p.budget.value(), p.speed.currentData(), p.loss.currentData()) == (
        0.02, 700, 10.0, "squared-error")
    assert window.controller.gd.loss.name == "squared-error" and window.controller.gd.alpha == 0.02
    p.init.setCurrentIndex(p.init.findData("random"))
    assert window.state.settings.init == "random" and window.controller.gd.init == "random"


def test_a_new_data_set_after_an_alpha_change_mid_run_redraws_everything(window, qtbot, tmp_path):
    """The surface froze on the old data: the old ghost path could not be drawn on the new one."""
    window.state.change_settings(budget=10**6)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 200, timeout=5000)
    window.controls.alpha.slider.setValue(alpha_to_slider(0.002))
    qtbot.wait(300)
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    image_folder(tmp_path, 5, (30, 30))
    window.load(str(tmp_path))
    qtbot.waitUntil(lambda: window.controller.train.source.startswith(str(tmp_path)), timeout=10000)
    assert "Loaded" in window.notice.label.text() and window.controller.ghost is None
    window.step(3)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == 3 and not window.controller.running, timeout=5000)
    window.refresh(force=True)
    assert window.surface.view.J.shape[0] > 0 and window.controller.gd.m == window.controller.train.m


def test_the_cost_curve_ends_at_the_iteration_the_status_bar_shows(window, qtbot):
    _trained(window, qtbot, 1)
    x, y = window.cost_curve.train_curve.getData()
    assert list(x) == [0, 1] and y[-1] == pytest.approx(window.controller.gd.cost)
    _trained(window, qtbot, 4)
    x, _ = window.cost_curve.train_curve.getData()
    assert x[-1] == 5 and "iteration 5 " in window.status.text()


def test_the_edge_is_recorded_while_training_and_kept_when_looking_back(window, qtbot):
    window.state.change_settings(budget=400)
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 400, timeout=10000)
    its, edges = window.controller.gd.history.metric("edge")
    assert list(its) == list(range(0, 401, 50)) and np.all(edges > 0)  # 400 too: the run rests there
    window.look_at(120)
    window.refresh(force=True)
    x, _ = window.cost_curve.edge_curve.getData()
    assert list(x) == list(range(0, 401, 50))  # the whole run, as the cost and accuracy plots above it show it
    assert window.cost_curve.now_line.value() == 120  # the iteration looked at is marked on them


def test_the_edge_label_weighs_the_alpha_of_the_iteration_shown(window, qtbot):
    """The label compared the slider's latest α with the edge of another moment: during a drag the notice said
    "α = 0.0204 is too large" while the Controls said "(α is below it)"."""
    window.set_alpha(0.004)  # above this data's edge, about 0.0024
    _trained(window, qtbot, 5)
    window.set_alpha(0.0005)
    _trained(window, qtbot, 10)
    assert "below it" in window.controls.edge_label.text()
    window.look_at(0)  # where α = 0.004 began, above the edge measured there
    window.refresh(force=True)
    assert "α = 0.004 is above it" in window.controls.edge_label.text()


def test_squared_error_says_why_there_is_no_edge_instead_of_a_wrong_one(window, qtbot):
    window.state.change_settings(loss="squared-error")
    gd = window.controller.gd
    gd.theta[-1] = 6.0  # every a near 1: where squared error curves down for the y = 0 examples
    gd.z = gd.param.train.z(gd.theta)
    window.controller.latest = window.controller._snapshot()
    window.refresh(force=True)
    assert "not convex" in window.controls.edge_label.text() and "zig-zag" not in window.controls.edge_label.text()


def test_after_a_blow_up_the_edge_is_not_infinite(window, qtbot):
    window.set_alpha(5.0)
    window.controller.start()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=10000)
    window.refresh(force=True)
    assert "inf" not in window.controls.edge_label.text()


def test_the_first_frame_draws_the_surface_and_the_dots(qtbot, demo):
    """At first launch the surface was blank and sigma(z) had no dots until the first Step."""
    from visualizer.app.window.main_window import MainWindow

    w = MainWindow(*demo, remember_layout=False)
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.surface.view is not None, timeout=3000)
    x, _ = w.sigmoid.dots[0].getData()
    assert len(x) > 0
    w.close()


def test_typing_alpha_while_paused_updates_the_status_bar(window, qtbot):
    _trained(window, qtbot, 3)
    window.controls.alpha.field.setText("0.0123")
    window.controls.alpha.field.editingFinished.emit()
    assert "α = 0.0123" in window.status.text()


def test_show_me_names_no_preset_after_alpha_moves_on(window, qtbot):
    window.refresh(force=True)
    window.controls.presets.setCurrentIndex(2)
    window.controls.presets.activated.emit(2)
    assert window.controls.presets.currentIndex() == 0
    qtbot.waitUntil(lambda: "good here" in window.notice.label.text(), timeout=120000)  # after its candidates ran


def test_reaching_the_budget_is_said_and_the_axis_stays_near_it(window, qtbot):
    window.state.change_settings(budget=2000)
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 2000, timeout=20000)
    qtbot.waitUntil(lambda: "Done: 2000 iterations" in window.statusBar().currentMessage(), timeout=3000)
    window.step(1)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 2001, timeout=5000)
    window.refresh(force=True)
    lo, hi = window.cost_curve.plot.vb.viewRange()[0]
    assert hi < 3000


def test_selecting_an_example_selects_it_once_everywhere(window, qtbot):
    seen = []
    window.state.events.selected.connect(seen.append)
    window.gallery.exampleSelected.emit("train", 7)
    window.sigmoid.exampleSelected.emit("train", 7)
    assert seen == [("train", 7)] and window.sigmoid._selected == 7


def test_teaching_adds_the_checked_cards_and_says_what_it_added(window, qtbot, tmp_path):
    """'Add to training as cat' added every card at once, silently."""
    from tests.app.window.test_drop_and_save import drop, photo, urls

    m = window.controller.train.m
    drop(window, urls(*[photo(tmp_path / f"p{i}.png", i) for i in range(5)]))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 5, timeout=5000)
    for card in window.classify._cards[2:]:
        card.chosen.setChecked(False)
    window.classify.add_targets[1].click()
    assert window.controller.train.m == m + 2
    assert window.controller.train.names[-2:] == [str(tmp_path / "p0.png"), str(tmp_path / "p1.png")]
    text = window.notice.label.text()
    assert "p0.png, p1.png" in text and f"now has {m + 2} examples" in text and "Ctrl+Z" in text
