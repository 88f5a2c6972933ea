"""The Replay button on the timeline, in the real window: it plays the run again with every panel following,
and Space, Esc, P, the button or Train stop it (Train going on from the run's end)."""

from PySide6.QtCore import Qt

from visualizer.core.engine.metrics import cost_text
from visualizer.model.pacing import WATCHABLE, Pace


def test_replay_plays_the_run_again_every_panel_follows_and_each_key_stops_it(window, qtbot):
    c, p = window.controller, window.controls
    window.step(60)
    qtbot.waitUntil(lambda: not c.running and c.gd.iteration == 60, timeout=5000)
    button = p.replay_button
    assert button.accessibleName() == "Replay the run" and "(P)" in button.toolTip()
    assert "Watchable (≈10 s)" in button.toolTip() and window.replay_action.shortcut().toString() == "P"
    now = [0.0]
    window.replayer.clock = lambda: now[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.replayer.playing and window.view_iteration == 0 and button.text() == "Stop"
    assert button.accessibleName() == "Stop the replay" and window.stop_replay_action.isEnabled()
    now[0] = 6.0
    k = Pace(0, 60, WATCHABLE).iteration_at(6.0)
    assert 0 < k < 60
    qtbot.waitUntil(lambda: window.view_iteration == k, timeout=3000)  # the replay's own timer
    window.refresh()
    assert p.timeline.value() == k and p.timeline_label.text() == f"iteration {k} (looking back; 60 done)"
    assert window.status.text().startswith(f"iteration {k}   J = {cost_text(c.gd.history.costs.values[k])}")
    assert "replaying" in window.status.text()
    assert window.cost_curve.now_line.isVisible() and window.cost_curve.now_line.value() == k
    # the α and edge plot shows the whole run as the cost plot above it does (it was cut at k: a dot at 0)
    assert window.cost_curve.alpha_steps.xData[-1] == 60 and window.cost_curve.edge_curve.xData[-1] > k

    qtbot.keyClick(window, Qt.Key.Key_Space)  # Space stops it where it is, and does not train
    assert not window.replayer.playing and window.view_iteration == k and not c.running
    assert button.text() == "Replay" and not window.stop_replay_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_End)  # End: back to the run's end, nothing dropped
    assert window.view_iteration is None and c.gd.iteration == 60 and len(c.gd.history.costs) == 60
    assert window.end_action.shortcut().toString() == "End"

    qtbot.keyClick(window, Qt.Key.Key_P)  # P replays from the start; Esc stops it
    assert window.replayer.playing and window.view_iteration == 0
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.replayer.playing and c.gd.iteration == 60
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the button, now "Stop", stops it
    assert not window.replayer.playing and button.text() == "Replay"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(p.train_button, Qt.MouseButton.LeftButton)  # Train: on from the end, not a branch from 0
    assert not window.replayer.playing and window.view_iteration is None
    qtbot.waitUntil(lambda: c.gd.iteration > 60, timeout=5000)
    c.pause()
    assert c.gd.iteration > 60 and len(c.gd.history.costs) >= 60
    button.menu().actions()[3].trigger()  # "Replay at 10 / s"
    assert window.replayer.speed == 10.0
