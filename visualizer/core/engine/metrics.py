"""Predictions and accuracy, computed as the course computes them."""

from __future__ import annotations

import numpy as np


def predict(z: np.ndarray) -> np.ndarray:
    """Class 1 where a = sigmoid(z) > 0.5, which is exactly where z > 0."""
    return (np.asarray(z) > 0).astype(float)


def explain(w: np.ndarray, b: float, x: np.ndarray, n_px: int) -> tuple[float, np.ndarray]:
    """z and where it comes from: w*x per pixel, summed over the colour channels.

    z = sum of the map + b, which the classify panel shows term by term.
    """
    contributions = (np.asarray(w) * np.asarray(x)).reshape(n_px, n_px, 3).sum(axis=2)
    return float(contributions.sum() + b), contributions


def accuracy(z: np.ndarray, y: np.ndarray) -> float:
    """Percentage right, with the course's formula so the digits match its output."""
    y = np.asarray(y, dtype=float).reshape(-1)
    return float(100 - np.mean(np.abs(predict(z).reshape(-1) - y)) * 100)


def cost_text(cost: float) -> str:
    """A cost as the course prints it, six decimals (0.693147); from a million on in powers of ten
    (6.56168e+269), not hundreds of digits. The command line and the status bar both use it."""
    return f"{cost:f}" if abs(cost) < 1e6 else f"{cost:.6g}"
