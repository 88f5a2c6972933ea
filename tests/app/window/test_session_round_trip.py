"""A saved session reopened in a fresh window is the same run: same controls, same state, same next steps."""

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from visualizer.app.window.main_window import MainWindow
from visualizer.model.settings import RunSettings


def fresh_window(qtbot, demo) -> MainWindow:
    w = MainWindow(*demo, remember_layout=False)
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def original(qtbot, demo) -> MainWindow:
    """The window that saves: one for all the examples, each starting with Reset (a fresh one reopens)."""
    return fresh_window(qtbot, demo)


def run(window, qtbot, n):
    """n steps, or fewer if descent diverges (the run then pauses by itself)."""
    target = window.controller.gd.iteration + n
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and (
        window.controller.gd.iteration == target or window.controller.gd.diverged_at is not None), timeout=20000)


def shown_settings(w: MainWindow) -> RunSettings:
    p = w.controls
    return RunSettings(alpha=p.alpha.alpha, loss=p.loss.currentData(), init=p.init.currentData(),
                       seed=p.seed.value(), budget=p.budget.value(), speed=p.speed.currentData(), slice=w.surface.kind)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.generate])  # shrinking windows takes minutes
@given(alpha=st.sampled_from([1e-4, 0.001, 0.005, 0.03]), loss=st.sampled_from(["cross-entropy", "squared-error"]),
       init=st.sampled_from(["zeros", "random"]), seed=st.integers(0, 2**31 - 1), budget=st.integers(0, 10**6),
       speed=st.sampled_from([None, 1000.0]), kind=st.sampled_from(["w-direction", "principal"]),
       first=st.integers(1, 120), alpha2=st.sampled_from([3e-4, 0.003, 0.01]), then=st.integers(0, 120))
def test_a_reopened_session_is_the_same_run_to_the_last_bit(qtbot, demo, original, tmp_path_factory, alpha, loss, init,
                                                            seed, budget, speed, kind, first, alpha2, then):
    original.reset()
    qtbot.waitUntil(lambda: original.controller.gd.iteration == 0, timeout=5000)
    original.state.change_settings(alpha=alpha, loss=loss, init=init, seed=seed, budget=budget, speed=speed,
                                   slice=kind)
    run(original, qtbot, first)
    original.set_alpha(alpha2)  # alpha changed mid-run
    run(original, qtbot, then)
    path = tmp_path_factory.mktemp("session") / "run.vis.npz"
    assert original.save_session(str(path))

    reopened = fresh_window(qtbot, demo)
    reopened.open_session(str(path))
    expected = RunSettings(alpha=alpha2, loss=loss, init=init, seed=seed, budget=budget, speed=speed, slice=kind)
    assert reopened.state.settings == expected == shown_settings(reopened)
    a, b = original.controller.gd, reopened.controller.gd
    assert (b.iteration, b.alpha, b.loss.name, b.init, b.seed) == (a.iteration, alpha2, loss, init, seed)
    assert b.history.alpha_changes == a.history.alpha_changes
    assert np.array_equal(b.history.costs.values, a.history.costs.values)

    start = a.iteration
    run(original, qtbot, 10)
    run(reopened, qtbot, 10)
    assert a.iteration == b.iteration
    assert np.array_equal(a.theta, b.theta) and np.array_equal(a.z, b.z)
    assert np.array_equal(a.history.costs.values[start:], b.history.costs.values[start:])
    reopened.close()
