"""B against m in the window's state, without a window: refused as the CLI and lessons refuse it, and said plainly
when new data makes the batch size impossible (the window clamped it silently)."""

from __future__ import annotations

import pytest

from tests.formats.test_storage import dataset
from visualizer.model.settings import RunSettings, SettingsError
from visualizer.model.state import DataSets, WindowState


def test_a_batch_larger_than_m_is_refused_as_on_the_command_line():
    state = WindowState(DataSets(dataset(10), None))
    with pytest.raises(SettingsError) as info:
        state.change_settings(batch_size=11)
    assert info.value.reason == "the batch size must be at most the number of training examples m = 10, not 11"
    assert state.settings.batch_size is None
    assert state.change_settings(batch_size=10).batch_size == 10  # B = m is batch descent


def test_new_data_smaller_than_the_batch_makes_it_all_m_and_says_so():
    state = WindowState(DataSets(dataset(10), None), RunSettings(batch_size=8))
    heard = []
    state.events.settings.connect(lambda new, old: heard.append((old.batch_size, new.batch_size)))
    state.set_data(dataset(6), None, fresh=True)
    assert state.settings.batch_size is None and state.batch_dropped == 8 and heard == [(8, None)]
    state.change_settings(alpha=0.1)  # the user's next change: the sentence has said what it had to
    assert state.batch_dropped is None


def test_remembered_settings_fit_the_data_the_window_opens_on():
    state = WindowState(DataSets(dataset(6), None), RunSettings(batch_size=256))
    assert state.settings.batch_size is None and state.batch_dropped == 256
    state = WindowState(DataSets(dataset(6), None))
    state.restore_settings(RunSettings(batch_size=64, optimizer="adam"))  # the window's start: no SettingsError
    assert (state.settings.batch_size, state.settings.optimizer, state.batch_dropped) == (None, "adam", 64)
