"""The training controller on a WindowState, without a window: intents, the worker, and what it tells."""

import numpy as np
import pytest

from visualizer.app.run.training import TrainingController
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.dataset import with_examples
from visualizer.formats import storage
from visualizer.model.pacing import WATCHABLE, Pace
from visualizer.model.state import DataSets, WindowState


@pytest.fixture
def controller(qapp, demo):
    c = TrainingController(WindowState(DataSets(*demo)))
    c.state.change_settings(speed=None)  # at full speed: the watchable pace has its own tests
    yield c
    c.shutdown()
    assert not c.running


def finish(c, qtbot, timeout=10000):
    qtbot.waitUntil(lambda: not c.running, timeout=timeout)
    qtbot.wait(1)  # the worker's last signals


def steps(c, qtbot, n):
    c.step(n)
    finish(c, qtbot)


def taught(data, n=1):
    """``data`` with n more examples, as teaching adds them."""
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (n, data.n_px, data.n_px, 3), dtype=np.uint8)
    return with_examples(data, pixels, np.ones(n, dtype=int), [f"taught{i}.png" for i in range(n)])


# ---------------------------------------------------------------- intents
def test_an_alpha_while_idle_takes_effect_at_once(controller):
    controller.state.change_settings(alpha=0.02)
    assert controller.gd.alpha == 0.02 and controller.latest.alpha == 0.02


def test_an_alpha_while_training_takes_effect_between_chunks(controller, qtbot):
    """Was test_typed_alpha_changes_alpha_while_training, through the window."""
    c = controller
    c.state.change_settings(budget=10**7)
    c.start()
    qtbot.waitUntil(lambda: c.gd.iteration > 20, timeout=5000)
    c.state.change_settings(alpha=0.0003)
    qtbot.waitUntil(lambda: c.gd.alpha == 0.0003, timeout=5000)
    c.pause()
    changed_at, alpha = c.gd.history.alpha_changes[-1]
    assert alpha == 0.0003 and changed_at > 20 and c.gd.history.alpha_at(changed_at - 1) == 0.005


def test_an_optimizer_switch_while_training_does_not_stop_the_run(controller, qtbot):
    """It stopped the worker, joined it and started another; now the worker takes it between two chunks."""
    c = controller
    running = []
    c.runningChanged.connect(running.append)
    c.state.change_settings(budget=10**7, speed=2000.0)
    c.start()
    qtbot.waitUntil(lambda: c.gd.iteration > 30, timeout=5000)
    c.state.change_settings(optimizer="momentum")
    qtbot.waitUntil(lambda: c.gd.optimizer.kind == "momentum", timeout=5000)
    assert c.running and running == [True]
    switched_at = c.gd.history.optimizer_changes[-1][0]
    qtbot.waitUntil(lambda: c.gd.iteration > switched_at + 5, timeout=5000)
    c.pause()
    assert running == [True, False] and switched_at > 30
    assert c.gd.history.optimizer_at(switched_at - 1).kind == "gd"


def test_a_smaller_budget_while_training_ends_this_press_sooner(controller, qtbot):
    c = controller
    c.state.change_settings(budget=10**7, speed=100.0)  # half a second from 10 to 60, on a busy machine too
    c.start()
    qtbot.waitUntil(lambda: c.gd.iteration > 10, timeout=5000)
    c.state.change_settings(budget=60)
    finish(c, qtbot)
    assert c.gd.iteration == 60


def test_pause_applies_what_was_asked_before_it(controller, qtbot):
    c = controller
    c.state.change_settings(budget=10**7, speed=1000.0)
    c.start()
    qtbot.waitUntil(lambda: c.gd.iteration > 5, timeout=5000)
    c.state.change_settings(alpha=0.001)
    c.pause()
    assert not c.running and c.gd.alpha == 0.001 and c.latest.alpha == 0.001


def test_an_alpha_tick_builds_no_optimizer(controller, monkeypatch):
    """Every tick of the alpha slider rebuilt and re-validated the Optimizer."""
    built = []
    original = Optimizer.from_settings.__func__
    monkeypatch.setattr(Optimizer, "from_settings", classmethod(lambda cls, s: built.append(s) or original(cls, s)))
    for alpha in (0.001, 0.002, 0.003):
        controller.state.change_settings(alpha=alpha)
    assert built == [] and controller.gd.alpha == 0.003
    controller.state.change_settings(beta=0.8)
    assert len(built) == 1


def test_a_bad_setting_changes_nothing(controller):
    """Was a window test; the window had nothing to do with it."""
    from visualizer.model.settings import SettingsError

    before = controller.state.settings
    with pytest.raises(SettingsError):
        controller.state.change_settings(alpha=-1)
    assert controller.state.settings is before and controller.gd.alpha == before.alpha


def test_a_new_loss_starts_one_new_run(controller, qtbot):
    c = controller
    steps(c, qtbot, 5)
    resets = []
    c.reset_done.connect(lambda: resets.append(c.gd))
    c.state.replace_settings(c.state.settings.__class__(loss="squared-error", seed=3, init="random"))
    assert len(resets) == 1 and c.gd.iteration == 0 and c.gd.loss.name == "squared-error" and c.gd.seed == 3


# ---------------------------------------------------------------- what it tells
def test_a_run_that_rose_then_fell_is_told_unstable_at_first_not_diverged(controller, qtbot):
    """α = 5 stopped at J's first spike with "diverged" (a rise past 10 × J); J then falls far below its start."""
    c = controller
    c.state.change_settings(alpha=5.0)
    c.start()
    finish(c, qtbot)
    notice, gd = c.state.notice, c.gd
    costs = np.append(gd.history.costs.values, gd.cost)
    peak = int(np.argmax(costs))
    assert gd.iteration == 2000 and costs[-1] < costs[0] < costs[peak]
    assert notice is not None and notice.kind == "info" and notice.owner == "run"
    assert notice.text == (f"α = 5: unstable at first: J rose from 0.693 to {costs[peak]:.3g} at iteration {peak}, "
                           f"then fell to {costs[-1]:.3g} at iteration 2000, below where it began.")


def test_a_run_that_ends_above_its_start_is_told_diverged(controller, qtbot):
    c = controller
    c.state.change_settings(alpha=5.0, loss="squared-error")
    c.start()
    finish(c, qtbot)
    notice, gd = c.state.notice, c.gd
    assert gd.cost > gd.history.costs.at(0)[1]
    assert notice is not None and notice.kind == "warning" and notice.owner == "run"
    assert notice.text.startswith("α = 5: diverged: J ended at ") and "above 0.125 where it began at iteration 0" \
        in notice.text


def test_a_run_notice_goes_when_alpha_moves_on(controller, qtbot):
    """During a drag of the slider a notice said "α = 0.0204 is too large" about an α no longer in force."""
    c = controller
    c.state.change_settings(alpha=5.0)
    c.start()
    finish(c, qtbot)
    assert c.state.notice is not None
    c.state.change_settings(alpha=0.001)
    assert c.state.notice is None


def test_an_optimizer_switch_that_blows_up_is_blamed_and_counted_from_the_switch(controller, qtbot):
    """Momentum at α = 0.0135, then Adam: the notice blamed α and counted from when Train was pressed."""
    c = controller
    c.state.change_settings(optimizer="momentum", alpha=0.0135)
    steps(c, qtbot, 300)
    c.state.change_settings(optimizer="adam")
    steps(c, qtbot, 2)
    switched_at = c.gd.history.optimizer_changes[-1][0]
    start, end = c.gd.history.costs.at(switched_at)[1], c.gd.cost
    assert switched_at == 300 and end > start  # J ends above where Adam took over: diverged
    notice = c.state.notice
    assert notice.kind == "warning" and notice.text == (
        f"After the switch to Adam at iteration 300 (α = 0.0135): diverged: J ended at {end:.3g} at iteration 302, "
        f"above {start:.3g} where it began at iteration 300.")
    assert "too large" not in notice.text
    c.state.change_settings(optimizer="gd")
    assert c.state.notice is None


# ---------------------------------------------------------------- why the past cannot be shown
def test_undoing_a_teach_before_any_step_gives_the_run_back_whole(controller, qtbot):
    """After Ctrl+Z of a taught image the Controls said "before 20 the data was different"."""
    c, state = controller, controller.state
    steps(c, qtbot, 20)
    before = state.data
    theta_at_5 = c.gd.state_at(5)
    state.set_data(taught(before.train), before.test, appended=1)
    assert c.gd.m == before.train.m + 1 and c.gd.replay_from == 20
    assert c.replay_note() == "iterations before 20 cannot be shown: the data was different"
    state.set_data(before.train, before.test)  # Ctrl+Z
    assert c.gd.m == before.train.m and c.gd.replay_from == 0 and c.replay_note() is None
    assert np.array_equal(c.gd.state_at(5), theta_at_5)
    steps(c, qtbot, 3)
    assert c.gd.iteration == 23 and c.gd.replay_from == 0


def test_undoing_a_teach_after_training_on_says_the_data_was_different(controller, qtbot):
    c, state = controller, controller.state
    steps(c, qtbot, 20)
    before = state.data
    state.set_data(taught(before.train), before.test, appended=1)
    steps(c, qtbot, 5)
    state.set_data(before.train, before.test)
    assert c.gd.replay_from == 25  # 20-24 had 211
    assert c.replay_note() == "iterations before 25 cannot be shown: the data was different"


def test_a_reopened_session_replays_from_0_and_an_older_one_says_it_kept_only_the_costs(controller, qtbot,
                                                                                       tmp_path):
    """A reopened session could not be looked back on; an older file (costs only) still cannot, and says why."""
    c = controller
    steps(c, qtbot, 3)
    path = tmp_path / "run.vis.npz"
    gd = c.gd
    storage.save_session(path, c.train, c.test, c.settings, gd.history, gd.iteration, gd.w, gd.b, gd.exact_state())
    c.reset()
    c.restore(storage.load_session(path))
    assert c.gd.replay_from == 0 and c.replay_note() is None
    with np.load(path) as a:
        older = {k: a[k] for k in a.files if not k.startswith("past_")}
    np.savez(path, **older)
    c.restore(storage.load_session(path))
    assert c.gd.replay_from == 3
    assert c.replay_note() == "iterations before 3 cannot be shown: the file it was reopened from kept only their costs"


def test_adam_moving_the_run_says_so(controller, qtbot):
    c = controller
    steps(c, qtbot, 10)
    c.state.change_settings(optimizer="adam", alpha=0.001)
    steps(c, qtbot, 5)
    assert c.gd.method == "primal"
    assert c.replay_note() == "iterations before 10 cannot be shown: Adam moved the run to other coordinates"


# ---------------------------------------------------------------- the watchable pace
def test_train_at_the_watchable_pace_reaches_each_iteration_when_the_pace_says_and_the_budget_at_ten_seconds(
        controller, qtbot):
    """At full speed 2000 iterations ended in under 1.5 s; the default pace is timed by the controller's clock."""
    c, now = controller, [100.0]
    c.clock = lambda: now[0]
    c.state.change_settings(speed=WATCHABLE, budget=2000)
    c.start()
    qtbot.wait(150)
    assert c.running and c.gd.iteration == 0  # the first iteration is due at 0.91 s
    pace = Pace(0, 2000, WATCHABLE)
    for t in (1.0, 5.0, 9.5):
        now[0] = 100.0 + t
        qtbot.waitUntil(lambda t=t: c.gd.iteration == pace.iteration_at(t), timeout=5000)
        qtbot.wait(60)
        assert c.running and c.gd.iteration == pace.iteration_at(t)  # and not beyond
    assert pace.iteration_at(5.0) < 100 < 1000 < pace.iteration_at(9.5) < 2000  # slow first, fast later
    now[0] = 110.0
    finish(c, qtbot)
    assert c.gd.iteration == 2000


def test_steps_are_not_paced_and_a_speed_chosen_while_training_takes_over(controller, qtbot):
    c, now = controller, [0.0]
    c.clock = lambda: now[0]
    c.state.change_settings(speed=WATCHABLE)
    steps(c, qtbot, 100)  # Step ×100 at once, as before: the clock never moved
    assert c.gd.iteration == 100
    c.start()
    qtbot.wait(100)
    assert c.gd.iteration == 100 and c.running
    c.state.change_settings(speed=None)
    finish(c, qtbot)
    assert c.gd.iteration == 2100
