"""The confusion matrix, precision, recall, F1 and the ROC curve of a threshold on ŷ.

The model says 1 where ŷ = σ(z) > t. It is decided on z, against logit(t), so t = 0.5 is exactly the
course's rule (z > 0, as ``predict`` does) and no ŷ rounded to 0.5 or 1.0 in floating point flips a
prediction. A rate whose denominator is 0 is None ("not defined"), never a made-up 0 or 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The course's threshold: ŷ > 0.5 is a 1.
COURSE_THRESHOLD = 0.5


def cut(threshold: float) -> float:
    """The z above which ŷ = σ(z) > threshold: logit(threshold), for 0 < threshold < 1."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"a threshold on ŷ is between 0 and 1, not {threshold}")
    return 0.0 if threshold == COURSE_THRESHOLD else float(np.log(threshold) - np.log1p(-threshold))


def predicted(z: np.ndarray, threshold: float = COURSE_THRESHOLD) -> np.ndarray:
    """1 where ŷ > threshold, else 0 (ints)."""
    return (np.asarray(z, dtype=float) > cut(threshold)).astype(int)


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


@dataclass(frozen=True)
class Confusion:
    """Counts of one set at one threshold: true/false positives and negatives (1 is the positive class)."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def m(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def count(self, actual: int, said: int) -> int:
        """Examples with label ``actual`` that the model called ``said``."""
        return ((self.tn, self.fp), (self.fn, self.tp))[actual][said]

    @property
    def precision(self) -> float | None:
        """Of those called 1, the share that are 1: TP / (TP + FP)."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Of those that are 1, the share called 1: TP / (TP + FN)."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """The harmonic mean of precision and recall, 2TP / (2TP + FP + FN); not defined where either is not."""
        if self.precision is None or self.recall is None:
            return None
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def accuracy(self) -> float | None:
        """The share called right, in %."""
        share = _ratio(self.tp + self.tn, self.m)
        return None if share is None else 100.0 * share

    @property
    def false_positive_rate(self) -> float | None:
        return _ratio(self.fp, self.fp + self.tn)


def confusion(z: np.ndarray, y: np.ndarray, threshold: float = COURSE_THRESHOLD) -> Confusion:
    """The confusion matrix of labels ``y`` (0/1) against ŷ = σ(z) > threshold."""
    said = predicted(z, threshold).reshape(-1)
    actual = np.asarray(y).reshape(-1).astype(int)
    tp = int(np.sum((said == 1) & (actual == 1)))
    fp = int(np.sum((said == 1) & (actual == 0)))
    fn = int(np.sum((said == 0) & (actual == 1)))
    return Confusion(tp, fp, fn, actual.size - tp - fp - fn)


def members(z: np.ndarray, y: np.ndarray, threshold: float, actual: int, said: int) -> np.ndarray:
    """Indices of the examples in one cell: label ``actual``, called ``said`` (e.g. the cats called non-cats)."""
    labels = np.asarray(y).reshape(-1).astype(int)
    return np.flatnonzero((labels == actual) & (predicted(z, threshold).reshape(-1) == said))


@dataclass(frozen=True)
class Roc:
    """The ROC curve: (false positive rate, true positive rate) as the threshold falls from above every ŷ
    (nothing called 1, at (0, 0)) past each distinct ŷ to below them all (everything called 1, at (1, 1)).
    A rate is NaN throughout when its class is absent."""

    fpr: np.ndarray
    tpr: np.ndarray

    @property
    def area(self) -> float | None:
        """The area under the curve (trapezoids); not defined when a class is absent."""
        if np.isnan(self.fpr).any() or np.isnan(self.tpr).any():
            return None
        return float(np.sum(np.diff(self.fpr) * (self.tpr[1:] + self.tpr[:-1]) / 2))


def roc(z: np.ndarray, y: np.ndarray) -> Roc:
    """One point for each distinct z (ties move together), plus (0, 0) and (1, 1)."""
    z = np.asarray(z, dtype=float).reshape(-1)
    labels = np.asarray(y).reshape(-1).astype(int)
    order = np.argsort(-z, kind="stable")
    z, labels = z[order], labels[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(z) != 0), z.size - 1] if z.size else np.zeros(0, int)
    tp = np.r_[0, np.cumsum(labels)[last_of_tie]]
    fp = np.r_[0, np.cumsum(1 - labels)[last_of_tie]]
    positives, negatives = int(labels.sum()), int(labels.size - labels.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        fpr = fp / negatives if negatives else np.full(fp.shape, np.nan)
        tpr = tp / positives if positives else np.full(tp.shape, np.nan)
    return Roc(np.asarray(fpr, float), np.asarray(tpr, float))
