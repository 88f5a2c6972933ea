"""How far a run has gone, in iterations, epochs or examples seen, and how its optimizer changes read.

With mini-batches an iteration sees B examples, so two runs with different B are only fairly
compared per epoch (m examples) or per example seen; B may change mid-run, so the mapping is
piecewise linear between the history's optimizer changes.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import SPECS

UNITS = {"iterations": "iteration", "epochs": "epoch", "examples": "examples seen"}
NAMES = {key: spec.name for key, spec in SPECS.items()}


def examples_seen(changes: list[tuple[int, Optimizer]], m: int, iterations) -> np.ndarray:
    """Examples used by the steps before each of ``iterations``, following each change of batch size."""
    starts = [it for it, _ in changes]
    sizes = [opt.batch(m) for _, opt in changes]
    knots_it, knots_ex = [starts[0]], [0.0]
    for k in range(1, len(starts)):
        knots_ex.append(knots_ex[-1] + sizes[k - 1] * (starts[k] - starts[k - 1]))
        knots_it.append(starts[k])
    its = np.asarray(iterations, dtype=float)
    out = np.interp(its, knots_it, knots_ex)
    beyond = its > knots_it[-1]
    out[beyond] = knots_ex[-1] + sizes[-1] * (its[beyond] - knots_it[-1])  # interp does not extrapolate
    return out


def to_axis(unit: str, changes, m: int, iterations) -> np.ndarray:
    """``iterations`` in ``unit`` (a key of UNITS)."""
    its = np.asarray(iterations, dtype=float)
    if unit == "iterations":
        return its
    seen = examples_seen(changes, m, its)
    return seen / m if unit == "epochs" else seen


def from_axis(unit: str, changes, m: int, x: float) -> float:
    """The iteration at position ``x`` of the axis (the inverse of ``to_axis``; it increases with x)."""
    if unit == "iterations":
        return float(x)
    seen = x * m if unit == "epochs" else x
    knots = np.array([it for it, _ in changes] + [changes[-1][0] + 1], dtype=float)
    at = examples_seen(changes, m, knots)
    k = max(int(np.searchsorted(at, seen, side="right")) - 1, 0)
    k = min(k, len(changes) - 1)
    return float(knots[k] + (seen - at[k]) / changes[k][1].batch(m))


def describe_change(old: Optimizer, new: Optimizer, m: int) -> str:
    """What changed, in a few words for a mark on the cost curve: "Adam", "B=64", "λ=0.1"."""
    parts = []
    if new.kind != old.kind:
        parts.append(NAMES[new.kind])
    if new.batch(m) != old.batch(m):
        parts.append("B=all" if new.batch(m) >= m else f"B={new.batch(m)}")
    for name, text in (("beta", "β"), ("beta1", "β₁"), ("beta2", "β₂"), ("epsilon", "ε"), ("lam", "λ"),
                       ("decay", "decay")):
        if getattr(new, name) != getattr(old, name) and (name in ("lam", "decay") or new.kind == old.kind):
            parts.append(f"{text}={getattr(new, name):g}")
    if new.decay_kind != old.decay_kind and new.decay:
        parts.append(f"{new.decay_kind} decay")
    return ", ".join(parts)
