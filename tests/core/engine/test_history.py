"""A run's memory stays bounded, and what is kept is exact."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.core.analysis.envelope import PeakEnvelope, bucket_for
from visualizer.core.engine.history import METRIC_ROWS, History, ThinningArray


@settings(max_examples=60, deadline=None)
@given(capacity=st.integers(4, 64), chunks=st.lists(st.integers(0, 300), min_size=1, max_size=12))
def test_thinned_costs_are_the_exact_values_at_their_iterations(capacity, chunks):
    column, everything = ThinningArray(capacity), []
    for size in chunks:
        values = np.arange(len(everything), len(everything) + size, dtype=float) ** 0.5
        column.extend(values)
        everything.extend(values)
    assert len(column) == len(everything)
    assert len(column.values) <= capacity
    truth = np.array(everything)[:: column.stride]
    assert np.array_equal(column.values, truth)
    assert np.array_equal(column.iterations(), np.arange(len(truth)) * column.stride)


def test_truncating_a_thinned_column_keeps_what_came_before():
    column = ThinningArray(8)
    column.extend(np.arange(100.0))
    stride = column.stride
    column.truncate(37)
    assert len(column) == 37 and column.iterations()[-1] < 37 <= column.iterations()[-1] + stride
    column.extend(np.arange(37.0, 50.0))
    assert np.array_equal(column.values, np.arange(0.0, 50.0, column.stride))


def test_a_ten_million_iteration_history_stays_small():
    h = History(capacity=1 << 16)
    for start in range(0, 10_000_000, 100_000):
        h.costs.extend(np.linspace(1, 0, 100_000))
        h.record_metrics(start, {"train_cost": 1.0, "train_accuracy": 50.0, "test_cost": 1.0, "test_accuracy": 50.0})
    assert len(h) == 10_000_000 and h.thinned
    assert h.nbytes < 3_000_000


def test_metric_rows_are_thinned_together():
    h = History()
    for i in range(2 * METRIC_ROWS + 7):
        h.record_metrics(50 * i, {"train_cost": float(i), "train_accuracy": 1.0, "test_cost": None,
                                  "test_accuracy": None})
    its, values = h.metric("train_cost")
    assert len(its) <= METRIC_ROWS and np.array_equal(values * 50, its)


def _reference_envelope(values, b):
    xs, ys = [], []
    for start in range(0, len(values), b):
        block = values[start : start + b]
        lo, hi = int(np.argmin(block)), int(np.argmax(block))
        for k in sorted((lo, hi)):
            xs.append(start + k)
            ys.append(block[k])
    return np.array(xs, float), np.array(ys)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 1000), steps=st.lists(st.integers(1, 500), min_size=1, max_size=8),
       bucket=st.sampled_from([2, 4, 16, 64]))
def test_the_envelope_grown_frame_by_frame_equals_one_made_at_once(seed, steps, bucket):
    rng = np.random.default_rng(seed)
    column, env, n = ThinningArray(1 << 20), PeakEnvelope(), 0
    for size in steps:
        column.extend(rng.standard_normal(size))
        n += size
        x, y = env.curve(column, n, bucket)
    rx, ry = _reference_envelope(column.values, bucket)
    assert np.array_equal(x, rx) and np.array_equal(y, ry)


def test_the_envelope_of_a_long_run_has_about_two_points_per_pixel():
    column = ThinningArray(1 << 18)
    column.extend(np.linspace(1, 0, 10_000_000))
    bucket = bucket_for(10_000_000, 400, column.stride)
    x, y = PeakEnvelope().curve(column, len(column), bucket)
    assert len(x) <= 2 * 400 + 2
    assert y.max() == 1.0 and y.min() == column.values[-1]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 2000), capacity=st.integers(4, 64), smaller=st.integers(2, 64))
def test_a_restored_column_equals_the_one_that_was_saved(n, capacity, smaller):
    column = ThinningArray(capacity)
    column.extend(np.arange(n, dtype=float))
    back = ThinningArray(capacity)
    back.restore(column.values.copy(), column.stride, n)
    assert len(back) == n and back.stride == column.stride and np.array_equal(back.values, column.values)
    tighter = ThinningArray(smaller)  # a build with a smaller capacity thins what it is given
    tighter.restore(column.values.copy(), column.stride, n)
    assert len(tighter.values) <= smaller
    assert np.array_equal(tighter.values, np.arange(n, dtype=float)[:: tighter.stride])
