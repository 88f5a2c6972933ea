"""The pace Train and Replay play a run at: watchable (log-spaced, about 10 s) or a number per second."""

import math

import pytest

from visualizer.model.pacing import OPEN_STRETCH, REPLAY_SPEEDS, SPEEDS, WATCH_SECONDS, WATCHABLE, Pace, speed_label
from visualizer.model.settings import RunSettings


def test_the_default_speed_is_the_watchable_pace_and_its_label_names_it():
    assert RunSettings().speed == WATCHABLE == SPEEDS[0][1]
    assert speed_label(WATCHABLE) == f"Watchable (≈{WATCH_SECONDS:g} s)" == "Watchable (≈10 s)"
    assert speed_label(None) == "As fast as possible" and speed_label(30.0) == "30 iterations/s"
    assert None not in dict((v, k) for k, v in REPLAY_SPEEDS)


def test_watchable_reaches_the_budget_at_about_ten_seconds_and_never_goes_back():
    pace = Pace(0, 2000, WATCHABLE)
    times = [k * 0.01 for k in range(1200)]
    its = [pace.iteration_at(t) for t in times]
    assert all(a <= b for a, b in zip(its, its[1:], strict=False))
    assert its[0] == 0 and pace.iteration_at(WATCH_SECONDS - 0.05) < 2000 == pace.iteration_at(WATCH_SECONDS)
    assert its[-1] == 2000 and pace.duration == pytest.approx(WATCH_SECONDS)


def test_watchable_spends_equal_time_on_each_decade_so_the_first_iterations_are_slow():
    pace = Pace(0, 2000, WATCHABLE)
    decade = WATCH_SECONDS * math.log(10) / math.log(2001)  # 3.03 s from 1 to 10, from 10 to 100, ...
    assert pace.time_of(1) == pytest.approx(WATCH_SECONDS * math.log(2) / math.log(2001))  # 0.91 s
    for lo in (1, 10, 100):
        assert pace.time_of(10 * lo + 9) - pace.time_of(lo + 0.9 * lo) == pytest.approx(
            WATCH_SECONDS * math.log((10 * lo + 10) / (lo + 0.9 * lo + 1)) / math.log(2001))
    assert pace.time_of(100) - pace.time_of(10) == pytest.approx(decade, rel=0.05)
    assert pace.iteration_at(pace.time_of(1) - 0.01) == 0 and pace.iteration_at(pace.time_of(1)) == 1
    assert pace.iteration_at(1.0) - pace.iteration_at(0.0) <= 1 < pace.iteration_at(10.0) - pace.iteration_at(9.0)
    for i in (1, 2, 17, 999, 2000):
        assert pace.iteration_at(pace.time_of(i)) == i  # the inverse, exactly at each step


def test_a_second_press_is_paced_over_its_own_stretch():
    pace = Pace(2000, 4000, WATCHABLE)
    assert pace.iteration_at(0) == 2000 and pace.iteration_at(WATCH_SECONDS) == 4000
    assert pace.duration == pytest.approx(WATCH_SECONDS)


def test_until_j_stops_falling_goes_on_past_its_stretch_at_the_pace_it_reached():
    pace = Pace(0, OPEN_STRETCH, WATCHABLE, open_ended=True)
    at_end = pace.iteration_at(WATCH_SECONDS)
    rate = pace.iteration_at(WATCH_SECONDS + 1) - at_end
    assert at_end == OPEN_STRETCH and 1000 < rate < 2000  # 1521 iterations/s: the slope at 2000
    assert pace.iteration_at(WATCH_SECONDS - 0.1) > OPEN_STRETCH - rate * 0.1 - 2  # no jump at the joint
    assert pace.time_of(OPEN_STRETCH + rate) == pytest.approx(WATCH_SECONDS + 1, rel=1e-3)


def test_a_number_per_second_is_a_straight_line_and_none_is_at_once():
    pace = Pace(10, 60, 10.0)
    assert [pace.iteration_at(t) for t in (0, 0.09, 0.1, 2.5, 100)] == [10, 10, 11, 35, 60]
    assert pace.time_of(35) == pytest.approx(2.5) and pace.duration == pytest.approx(5.0)
    assert Pace(10, 60, None).iteration_at(0) == 60 and Pace(10, 60, None).duration == 0.0
    assert Pace(5, 5, WATCHABLE).iteration_at(3) == 5 and Pace(5, 5, WATCHABLE).duration == 0.0
