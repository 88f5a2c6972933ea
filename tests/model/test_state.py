"""WindowState without a window: per-field events, one validation, and notices that end when they stop being true."""

import gc
import weakref

import pytest

from visualizer.data import load_data
from visualizer.model.notices import USUAL, Happening
from visualizer.model.settings import RunSettings, SettingsError
from visualizer.model.state import DataSets, WindowState


@pytest.fixture(scope="module")
def demo():
    return load_data()


@pytest.fixture
def state(demo):
    return WindowState(DataSets(*demo))


def heard(state) -> list[tuple[str, object, object]]:
    """Every per-field settings event, as (field, new, old)."""
    out = []
    for name in state.setting_events:
        state.setting_events[name].connect(lambda new, old, name=name: out.append((name, new, old)))
    return out


def test_an_alpha_tick_is_heard_by_alpha_alone(state):
    events = heard(state)
    state.change_settings(alpha=0.02)
    assert events == [("alpha", 0.02, 0.005)]


def test_every_setting_has_its_own_event(state):
    assert set(state.setting_events) == set(RunSettings().to_dict())


def test_a_whole_new_settings_object_is_heard_field_by_field(state):
    events = heard(state)
    state.replace_settings(RunSettings(alpha=0.01, optimizer="adam", seed=4))
    assert sorted(e[0] for e in events) == ["alpha", "optimizer", "seed"]


def test_the_same_value_again_is_not_heard(state):
    events = heard(state)
    state.change_settings(alpha=0.005, budget=2000)
    assert events == []


def test_a_bad_value_changes_and_tells_nothing(state):
    events = heard(state)
    before = state.settings
    with pytest.raises(SettingsError):
        state.change_settings(alpha=0.01, beta=1.5)
    with pytest.raises(SettingsError):
        state.change_settings(alhpa=0.01)
    assert state.settings is before and events == []


def test_per_field_events_come_before_the_whole_settings_event(state):
    order = []
    state.events.settings.connect(lambda *_: order.append("settings"))
    state.setting_events.alpha.connect(lambda *_: order.append("alpha"))
    state.change_settings(alpha=0.01)
    assert order == ["alpha", "settings"]


# ---------------------------------------------------------------- notices
def test_a_notice_goes_when_the_data_changes(state, demo):
    """After Ctrl+Z of a taught image the notice still said "Added to training as cat"."""
    state.tell("Added to training as cat: mycat.jpg.", owner="data")
    assert state.notice.text.startswith("Added") and state.notice.owner == "data"
    state.set_data(*demo)  # the undo gives the old data back
    assert state.notice is None


def test_a_notice_about_alpha_goes_with_that_alpha_and_stays_otherwise(state):
    state.tell("α = 0.0204 is above the edge", "warning", owner="run",
               ends_on=USUAL | {Happening.ALPHA, Happening.OPTIMIZER})
    state.change_settings(budget=500, speed=10.0)
    assert state.notice is not None
    state.change_settings(alpha=0.001)
    assert state.notice is None


def test_a_notice_about_the_run_goes_with_an_optimizer_switch_but_not_on_its_own_data(state):
    state.tell("Switching to Adam made the cost rise", "warning", owner="run",
               ends_on=frozenset({Happening.OPTIMIZER}))
    state.select("train", 3)
    assert state.notice is not None
    state.change_settings(optimizer="momentum")
    assert state.notice is None


def test_reset_and_a_reopened_session_end_the_usual_notices(state):
    for happening in (Happening.RESET, Happening.SESSION, Happening.TRAIN):
        state.tell("Loaded 209 training images.")
        state.happened(happening)
        assert state.notice is None


def test_a_notice_outlives_what_it_does_not_mention(state):
    state.tell("Freed 3 MB of decoded images.", ends_on=frozenset({Happening.DATA}))
    state.happened(Happening.RESET)
    state.change_settings(alpha=0.02)
    assert state.notice is not None
    state.dismiss()
    assert state.notice is None


def test_the_same_notice_told_again_is_shown_again(state):
    shown = []
    state.events.notice.connect(shown.append)
    state.tell("Not used: a.txt")
    state.tell("Not used: a.txt")
    assert [n.text if n else None for n in shown] == ["Not used: a.txt", None, "Not used: a.txt"]


def test_a_state_no_one_holds_is_collected(demo):
    """psygnal keeps each state's signal group in a class-level map until the state dies: the state's own
    callbacks must not hold it, or every window's state (and all it refers to) lives for ever."""
    ref = weakref.ref(WindowState(DataSets(*demo)))
    gc.collect()
    assert ref() is None


class _Owner:
    """Stands for a window: it holds its state, and its callbacks on the state hold it."""


def _owned_state(demo) -> tuple[WindowState, weakref.ref]:
    owner = _Owner()
    owner.state = WindowState(DataSets(*demo))
    owner.state.events.threshold.connect(lambda *_: owner)
    owner.state.setting_events.alpha.connect(lambda *_: owner)
    return owner.state, weakref.ref(owner)


def test_a_closed_state_lets_its_subscribers_go(demo):
    """A subscriber's callback that holds the state's owner (a window's lambdas) is let go by close()."""
    state, owner = _owned_state(demo)
    state.close()
    del state
    gc.collect()
    assert owner() is None
