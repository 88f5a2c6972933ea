"""Every optimizer the program offers, in the order it offers them: one line each.

To add one: write core/optim/<kind>.py with its transform and its SPEC (core/optim/spec.py says what a
spec holds), add its line here, its plain version to core/reference/optimizers.py, a test against it in
tests/core/optim, and its words to README.md and docs/lessons.md.
"""

from __future__ import annotations

from visualizer.core.optim import adagrad, adam, gd, momentum, nesterov, rmsprop
from visualizer.core.optim.spec import Hyper, OptimizerSpec, StateArray

SPECS: dict[str, OptimizerSpec] = {s.key: s for s in (
    gd.SPEC,
    momentum.SPEC,
    rmsprop.SPEC,
    adam.SPEC,
    nesterov.SPEC,
    adagrad.SPEC,
)}

#: Every hyperparameter some optimizer uses, by name: β, β₁, β₂, ε.
HYPERS: dict[str, Hyper] = dict(sorted({h.name: h for s in SPECS.values() for h in s.hyper}.items()))
#: Every state array some optimizer keeps.
STATE_ARRAYS: dict[str, StateArray] = {a.name: a for s in SPECS.values() for a in s.state}


def users(name: str) -> tuple[OptimizerSpec, ...]:
    """The optimizers that use the hyperparameter ``name``."""
    return tuple(s for s in SPECS.values() if any(h.name == name for h in s.hyper))
