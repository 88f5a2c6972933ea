"""Predictions and accuracy, computed as the course computes them."""

from __future__ import annotations

import numpy as np


def predict(z: np.ndarray) -> np.ndarray:
    """Class 1 where a = sigmoid(z) > 0.5, which is exactly where z > 0."""
    return (np.asarray(z) > 0).astype(float)


def accuracy(z: np.ndarray, y: np.ndarray) -> float:
    """Percentage right, with the course's formula so the digits match its output."""
    y = np.asarray(y, dtype=float).reshape(-1)
    return float(100 - np.mean(np.abs(predict(z).reshape(-1) - y)) * 100)
