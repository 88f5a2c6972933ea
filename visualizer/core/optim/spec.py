"""What the rest of the program knows about an optimizer: one ``OptimizerSpec`` per kind.

A spec lives in the kind's own file (core/optim/gd.py, momentum.py, ...) beside its transform and is
listed once in core/optim/registry.py. The CLI's flags, the Controls' rows, the race's names, the
cost curve's marks, the edge of stability, sessions' state arrays and the lessons' keys all read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from visualizer.core.optim.transforms import Transform


@dataclass(frozen=True)
class Hyper:
    """A hyperparameter: a field of Optimizer and of the run settings, with its default and its range.

    The range is declared, not coded: visualizer.model.constraints builds the setting's constraint
    (the one validator of settings, flags, widgets and files) from these fields."""

    name: str  # the field, the settings key and the command line's --flag
    symbol: str
    default: float
    label: str  # the Controls' row
    meaning: str  # what it does, in a sentence without its full stop
    low: float = 0.0
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    step: float = 0.01
    decimals: int = 3


_UNIT = dict(low=0.0, high=1.0, high_open=True)  # β's: [0, 1)
BETA = Hyper("beta", "β", 0.9, "Momentum β",
             "v = β·v + (1 − β)·g averages about the last 1/(1 − β) gradients (β = 0.9: about 10); "
             "β = 0 is plain gradient descent", **_UNIT)
BETA1 = Hyper("beta1", "β₁", 0.9, "Adam β₁", "β₁ for the average of g (first moment), 0.9 in the course", **_UNIT)
BETA2 = Hyper("beta2", "β₂", 0.999, "β₂", "β₂ for the average of g² (second moment), 0.999 in the course for Adam",
              **_UNIT, step=0.001, decimals=4)
EPSILON = Hyper("epsilon", "ε", 1e-8, "ε", "ε keeps g / (√s + ε) finite where s is tiny; 10⁻⁸ in the course",
                low=0.0, low_open=True, decimals=20)


@dataclass(frozen=True)
class StateArray:
    """An array an optimizer keeps between iterations, saved in sessions as ``run_<name>``."""

    name: str
    meaning: str
    nonnegative: bool = False


VELOCITY = StateArray("v", "the average of past gradients")
SQUARES = StateArray("s", "past squared gradients, averaged or summed", nonnegative=True)


@dataclass(frozen=True)
class OptimizerSpec:
    key: str  # the settings' and the command line's name: "nesterov"
    label: str  # the Controls' list: "Nesterov momentum"
    short: str  # the race's column: "Nesterov"
    name: str  # in a sentence and on the cost curve's marks: "Nesterov momentum"
    rule: str  # the step in one line, g the gradient of J_reg on the batch
    hyper: tuple[Hyper, ...]
    state: tuple[StateArray, ...]
    #: its link of the chain, from an Optimizer's values: scale_by_<kind>(...)
    transform: Callable[[object], Transform]
    #: whether w stays in w0 + span(x_i): each step a combination of past gradients (the Gram path is exact)
    span_preserving: bool
    #: (λmax, optimizer) -> the largest stable α on a quadratic with that top curvature; None: no single number
    edge: Callable[[float, object], float] | None
    reference: str  # the plain numpy version it is tested against (a dotted path)
    edge_formula: str = ""  # the edge in symbols: "2/λmax"
    no_edge: str = ""  # without an edge, a plain sentence saying why no formula applies


def join(words, last: str = "and") -> str:
    """"a", "a and b", "a, b and c" (or another word before the last)."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]
