"""Replay on a WindowState, without a window: the iterations it shows on its clock, and what stops it."""

import pytest

from visualizer.app.run.replay import Replayer
from visualizer.model.pacing import WATCHABLE, Pace
from visualizer.model.state import DataSets, WindowState


@pytest.fixture
def replay(qapp, demo):
    state = WindowState(DataSets(*demo))
    state.view_bounds = lambda: (0, 2000)  # a run of 2000 iterations, all of them replayable
    r = Replayer(state)
    now = [50.0]
    r.clock = lambda: now[0]
    yield r, state, now
    r.stop()


def shown_at(r, state, now, times):
    seen = []
    for t in times:
        now[0] = 50.0 + t
        r.tick()
        seen.append(state.view_iteration)
    return seen


def test_a_replay_shows_the_run_from_zero_at_its_pace_and_ends_following_the_run(replay):
    r, state, now = replay
    assert r.speed == WATCHABLE and r.play() and r.playing and state.view_iteration == 0
    pace = Pace(0, 2000, WATCHABLE)
    times = [0.5, 1.0, 3.0, 6.0, 9.0, 9.9]
    assert shown_at(r, state, now, times) == [pace.iteration_at(t) for t in times] == [0, 1, 8, 94, 934, 1853]
    assert r.playing and r.timer.isActive()
    assert shown_at(r, state, now, [10.0]) == [None] and not r.playing and not r.timer.isActive()


def test_a_replay_at_ten_per_second_steps_one_iteration_a_tenth(replay):
    r, state, now = replay
    r.speed = 10.0
    r.play()
    assert shown_at(r, state, now, [0.05, 0.1, 0.25, 1.0]) == [0, 1, 2, 10]


def test_stopping_leaves_the_iteration_reached_and_another_look_stops_it(replay):
    r, state, now = replay
    r.play()
    shown_at(r, state, now, [6.0])
    r.stop()
    assert not r.playing and shown_at(r, state, now, [8.0]) == [94]  # ticks after the stop change nothing
    r.play()
    shown_at(r, state, now, [3.0])
    state.look_at(500)  # the timeline dragged, a step back
    assert not r.playing and shown_at(r, state, now, [9.0]) == [500]


def test_nothing_to_replay_plays_nothing(replay):
    r, state, _ = replay
    state.view_bounds = lambda: (0, 0)
    assert not r.play() and not r.playing and state.view_iteration is None
