"""The Controls on a WindowState, without a window: each widget hears its own setting."""

import pytest

from visualizer.app.panels.controls import ControlsPanel
from visualizer.core.analysis.stability import Edge
from visualizer.model.state import DataSets, WindowState


@pytest.fixture
def controls(qtbot, demo):
    panel = ControlsPanel(WindowState(DataSets(*demo)))
    qtbot.addWidget(panel)
    return panel


def spy(monkeypatch, widget, method: str) -> list:
    calls = []
    original = getattr(widget, method)
    monkeypatch.setattr(widget, method, lambda *a: calls.append(a) or original(*a))
    return calls


def test_an_alpha_tick_re_sets_no_other_widget(controls, monkeypatch):
    """OptimizerControls re-set its nine widgets on every tick of the alpha slider."""
    opt = controls.optimizer
    calls = [spy(monkeypatch, w, "setValue") for w in (opt.beta, opt.lam, controls.budget, controls.seed)]
    calls += [spy(monkeypatch, w, "setCurrentIndex") for w in (opt.optimizer, opt.decay_kind, controls.loss)]
    for alpha in (0.001, 0.0012, 0.0015):
        controls.state.change_settings(alpha=alpha)
    assert all(c == [] for c in calls) and controls.alpha.field.text() == "0.0015"
    controls.state.change_settings(beta=0.8)
    assert opt.beta.value() == 0.8 and calls[0] != [] and calls[2] == []


def test_the_edge_is_weighed_against_the_alpha_it_was_measured_with(controls):
    controls.state.change_settings(alpha=0.0001)  # the slider has moved on...
    controls.show_edge(Edge(0.0024), 0.004)  # ...from the α of the iteration shown
    assert controls.edge_label.text() == "edge of stability 2/λmax ≈ 0.0024 at this point (α = 0.004 is above it: " \
                                         "along the steepest direction here, a step lands farther across the " \
                                         "valley than it started)"
    assert "f0ad4e" in controls.alpha.slider.styleSheet()  # amber: above


def test_the_speed_starts_watchable_and_says_so(controls):
    """The first run of a data set played 2000 iterations in under 1.5 s: too fast to see anything."""
    assert controls.speed.currentText() == "Watchable (≈10 s)" and controls.state.settings.speed == "watchable"
    assert "about 10 s" in controls.speed.toolTip() and "log axis" in controls.speed.toolTip()
    controls.speed.setCurrentIndex(controls.speed.findData(None))
    assert controls.state.settings.speed is None  # the learner's choice, kept for the runs to come


def test_the_replay_button_names_its_pace_and_its_arrow_chooses_another(controls, qtbot):
    button = controls.replay_button
    assert button.text() == "Replay" and button.accessibleName() == "Replay the run"
    assert "Pace: Watchable (≈10 s)" in button.toolTip() and "(P)" in button.toolTip()
    actions = button.menu().actions()
    assert [a.text() for a in actions] == ["Replay at watchable (≈10 s)", "Replay at 1000 / s", "Replay at 100 / s",
                                           "Replay at 10 / s", "Replay at slow motion: 1 / s"]
    assert actions[0].isChecked()
    with qtbot.waitSignal(controls.replaySpeedChosen) as chosen:
        actions[2].trigger()
    assert chosen.args == [100.0] and controls.replay_speed == 100.0 and actions[2].isChecked()
    assert "Pace: 100 / s" in button.toolTip()
    assert button in controls.setting_widgets("timeline")  # a lesson that hides the timeline hides Replay too


@pytest.mark.parametrize("typed", ["1e9", "0", "-1"])
def test_a_typed_alpha_out_of_range_goes_back_and_says_why(controls, qtbot, typed):
    """"1e9" or "0" stayed in the field as unfinished input, α unchanged and nothing said."""
    from PySide6.QtCore import Qt

    controls.show_edge(Edge(0.0024), 0.005)
    field = controls.alpha.field
    field.selectAll()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "0.005" and controls.state.settings.alpha == 0.005
    assert controls.edge_label.text().startswith(f"Not changed: the learning rate must be a positive number at most "
                                                 f"1000000, not '{typed}'. edge of stability 2/λmax ≈ 0.0024")
    controls.show_edge(Edge(0.0024), 0.005)  # redrawn: still said
    assert controls.edge_label.text().startswith("Not changed:")
    field.selectAll()
    qtbot.keyClicks(field, "0.002")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert controls.state.settings.alpha == 0.002 and controls.edge_label.text().startswith("edge of stability")
