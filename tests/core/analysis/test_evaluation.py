"""The confusion matrix, precision/recall/F1 and the ROC curve, against a plain loop over the examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from visualizer.core.analysis.evaluation import confusion, members, predicted, roc
from visualizer.core.engine.metrics import predict


def by_hand(z, y, threshold):
    """Counts from ŷ = 1 / (1 + e^-z) > threshold, one example at a time."""
    tp = fp = fn = tn = 0
    for zi, yi in zip(z, y, strict=True):
        said = 1 / (1 + math.exp(-zi)) > threshold
        if said and yi == 1:
            tp += 1
        elif said:
            fp += 1
        elif yi == 1:
            fn += 1
        else:
            tn += 1
    return tp, fp, fn, tn


def sample(seed=0, m=300):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, m)
    z = rng.normal(1.5 * (2 * y - 1), 2.0)
    z = z[np.abs(z) > 1e-6]  # no example sits on a threshold's knife edge
    return z, y[: z.size]


@pytest.mark.parametrize("threshold", [0.05, 0.3, 0.5, 0.62, 0.95])
def test_counts_and_rates_match_a_loop(threshold):
    z, y = sample()
    c = confusion(z, y, threshold)
    tp, fp, fn, tn = by_hand(z, y, threshold)
    assert (c.tp, c.fp, c.fn, c.tn) == (tp, fp, fn, tn)
    assert c.precision == pytest.approx(tp / (tp + fp))
    assert c.recall == pytest.approx(tp / (tp + fn))
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert c.f1 == pytest.approx(2 * p * r / (p + r))
    assert c.accuracy == pytest.approx(100 * (tp + tn) / len(y))
    assert c.count(1, 0) == fn and c.count(0, 1) == fp
    cats_called_non_cats = [i for i in range(len(y)) if y[i] == 1 and 1 / (1 + math.exp(-z[i])) <= threshold]
    assert members(z, y, threshold, 1, 0).tolist() == cats_called_non_cats


def test_the_course_threshold_is_the_course_rule():
    z, y = sample(1)
    assert predicted(z).tolist() == predict(z).astype(int).tolist()
    tiny = np.array([1e-30, -1e-30])  # σ of these rounds to 0.5, but the course's rule is z > 0
    assert predicted(tiny).tolist() == [1, 0]


def test_a_zero_denominator_is_not_defined():
    nothing_called_one = confusion(np.array([-3.0, -2.0]), np.array([1, 0]))
    assert nothing_called_one.precision is None and nothing_called_one.f1 is None
    assert nothing_called_one.recall == 0.0
    no_positives = confusion(np.array([-3.0, 2.0]), np.array([0, 0]))
    assert no_positives.recall is None and no_positives.f1 is None and no_positives.precision == 0.0
    called_right = confusion(np.array([3.0]), np.array([1]))
    assert called_right.f1 == 1.0 and called_right.false_positive_rate is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        confusion(np.array([1.0]), np.array([1]), 1.0)


def test_roc_points_are_the_rates_at_every_distinct_score():
    z, y = sample(2, 120)
    z = np.round(z, 1)  # ties: examples with one ŷ move together
    curve = roc(z, y)
    scores = sorted(set(z.tolist()), reverse=True)
    expected = [(0.0, 0.0)]
    pos, neg = sum(y), len(y) - sum(y)
    for s in scores:  # called 1: z >= s, the threshold just below this score
        tp = sum(1 for zi, yi in zip(z, y, strict=True) if zi >= s and yi == 1)
        fp = sum(1 for zi, yi in zip(z, y, strict=True) if zi >= s and yi == 0)
        expected.append((fp / neg, tp / pos))
    assert np.allclose(np.c_[curve.fpr, curve.tpr], expected)
    assert expected[-1] == (1.0, 1.0)
    area = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(expected, expected[1:], strict=False))
    assert curve.area == pytest.approx(area)
    # every threshold's own point lies on the curve
    for threshold in (0.2, 0.5, 0.8):
        c = confusion(z, y, threshold)
        assert np.any(np.isclose(curve.fpr, c.false_positive_rate) & np.isclose(curve.tpr, c.recall))


def test_roc_of_one_class_is_not_defined():
    curve = roc(np.array([1.0, 2.0]), np.array([1, 1]))
    assert curve.area is None and np.isnan(curve.fpr).all()
