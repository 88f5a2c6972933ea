"""Every setting's constraints in one table, like scikit-learn's ``_parameter_constraints``.

Per setting: its type, its range (open or closed bounds) or choices, its default, what None
means where None is allowed, how messages name it, a help phrase, the optimizers it applies
to, its command-line flag, and hints for widgets (step, decimals, the α slider's log span).
``RunSettings``, the Controls' ranges and validators, argparse, lesson files,
sessions, the race and the remembered preferences all derive from it.

Types are strict where the input has types (JSON, TOML, Python): a number is an int or a
float and never a bool, text is never a number (``"0.1"`` is refused), an integer setting
takes an int (``32.0`` is refused), and nothing non-finite passes. Text with no types (the
command line, QSettings, a table cell) goes through ``parse`` first, which reads it into the
setting's type, then through the same ``check``.
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from dataclasses import dataclass

from visualizer.core import LOSSES
from visualizer.core.analysis.seeds import MAX_SEEDS
from visualizer.core.models.activations import ACTIVATIONS
from visualizer.core.models.network import DEFAULT_SCALE, NAMED_SCALES
from visualizer.core.optim.optimizers import DECAY_KINDS, KINDS
from visualizer.core.optim.registry import HYPERS, users
from visualizer.data.contradictions import MAX_CONTRADICTIONS
from visualizer.data.images import N_PX_RANGE
from visualizer.model.pacing import WATCH_SECONDS, WATCHABLE

#: The largest learning rate any input may give: far beyond a useful one (larger ones overflow at once).
ALPHA_BOUND = 1e6
#: λ beyond this only makes J_reg overflow (λ = 1e308 gave NaN): w is pulled to 0 in one step long before.
LAMBDA_BOUND = 1e6
#: Decay per epoch beyond this has made α zero after one epoch anyway.
DECAY_BOUND = 1e6
#: Momentum's v (an average of gradients) read from a file, in absolute value; the second moment s (of their
#: squares) up to its square. A gradient of J on pixels is at most 1 a coordinate, plus (λ/m)·w with L2, so no
#: run comes near; beyond it one step, or its square, could overflow (a session with v = 1e308 failed to draw).
MOMENT_BOUND = 1e100
#: Iterations, and the batch size, far above any run (a bigger int overflowed Qt's 64-bit settings).
COUNT_BOUND = 10**9
#: Units in one hidden layer, and hidden layers in a network: far beyond what trains here in reasonable time.
UNITS_BOUND = 10_000
LAYERS_BOUND = 20
#: The random start's scale: W = scale·randn beyond this overflows at once.
SCALE_BOUND = 1e6


@dataclass(frozen=True)
class Constraint:
    """One setting. ``low``/``high`` None is unbounded on that side; ``none`` says what None means (else refused)."""

    type: type  # float, int, str, or tuple (a list of whole numbers, each within low..high)
    default: object
    what: str  # how messages and help name it: "the learning rate"
    help: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    none: str | None = None
    applies: tuple[str, ...] | None = None  # the optimizer kinds that use it; None: every run
    flag: str | None = None
    metavar: str | None = None
    step: float | None = None
    decimals: int | None = None
    slider: tuple[float, float] | None = None  # a slider's own span, within the valid range
    words: tuple[str, ...] = ()  # names a number setting also takes ("lecun", "he")
    longest: int | None = None  # a list's most items
    shortest: int = 0  # a list's fewest items
    distinct: bool = False  # a list's items all different

    def rule(self) -> str:
        """What a valid value is, in words for messages: "a number in [0, 1)", "one of zeros, random"."""
        if self.type is str:
            return f"one of {', '.join(self.choices)}"
        if self.type is tuple:
            count = f"{self.shortest} to {self.longest}" if self.shortest else f"at most {self.longest}"
            return (f"a list of {count} {'different ' if self.distinct else ''}whole numbers from {_num(self.low)} "
                    f"to {_num(self.high)}")
        if self.words:
            return f"{self._number_rule('a number')}, {' or '.join(self.words)}"
        return self._number_rule("a whole number" if self.type is int else "a number")

    def _number_rule(self, noun: str) -> str:
        lo, hi = self.low, self.high
        if lo == 0 and self.low_open and hi is None:
            text = "a positive number"
        elif lo == 0 and self.low_open and not self.high_open:
            text = f"a positive number at most {_num(hi)}"
        elif lo is not None and hi is not None and not (self.low_open or self.high_open):
            text = f"{noun} from {_num(lo)} to {_num(hi)}"
        elif hi is None:
            text = f"{noun} {'>' if self.low_open else '>='} {_num(lo)}"
        else:
            text = f"{noun} in {'(' if self.low_open else '['}{_num(lo)}, {_num(hi)}{')' if self.high_open else ']'}"
        return text

    def type_name(self) -> str:
        """The docs' name of the type: number, integer, text, list of integers, or number or text."""
        if self.words:
            return "number or text"
        return {float: "number", int: "integer", str: "text", tuple: "list of integers"}[self.type]

    def widget_range(self) -> tuple[float, float]:
        """The span a spin box or validator offers: the valid range, a step inside an open bound."""
        tick = 10.0 ** -(self.decimals or 0) if self.type is float else 1
        lo = self.low if self.low is not None else -math.inf
        hi = self.high if self.high is not None else math.inf
        return lo + (tick if self.low_open else 0), hi - (tick if self.high_open else 0)


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) and not float(x).is_integer() or abs(x) >= 1e16 else str(int(x))


#: The run's settings, in RunSettings' field order.
RUN: dict[str, Constraint] = {
    "alpha": Constraint(float, 0.005, "the learning rate",
                        "how big a step each iteration takes downhill, w := w − α·dw",
                        low=0.0, low_open=True, high=ALPHA_BOUND, flag="--alpha", metavar="A", decimals=12,
                        slider=(1e-5, 10.0)),
    "loss": Constraint(str, "cross-entropy", "the loss",
                       "L(ŷ, y): cross-entropy makes J convex, squared error (ŷ − y)² does not",
                       choices=tuple(LOSSES), flag="--loss"),
    "init": Constraint(str, "zeros", "the initialization",
                       "the initial w: zeros, as in the course, or small random values from the seed",
                       choices=("zeros", "random"), flag="--init"),
    "seed": Constraint(int, 0, "the seed",
                       "the seed of the random initialization (and of the command line's held-out split)",
                       low=0, high=2**31 - 1, flag="--seed", metavar="S"),
    "budget": Constraint(int, 2000, "the number of iterations",
                         "iterations per press of Train; 0 trains until the cost stops falling",
                         low=0, high=COUNT_BOUND, flag="--iterations", metavar="N", step=500),
    "speed": Constraint(float, WATCHABLE, "the speed",
                        f"iterations per second, or {WATCHABLE}: each press of Train in about {WATCH_SECONDS:g} s, "
                        "the first iterations slowest", low=0.0, low_open=True, none="as fast as possible",
                        words=(WATCHABLE,)),
    "slice": Constraint(str, "w-direction", "the surface slice",
                        "the plane the surface panel draws J on (a network's: random, principal or weights)",
                        choices=("w-direction", "principal", "random", "weights")),
    "optimizer": Constraint(str, "gd", "the optimizer", "how each step uses the gradient",
                            choices=KINDS, flag="--optimizer"),
    "batch_size": Constraint(int, None, "the batch size",
                             "examples per step, at most m, shuffled each epoch (seeded)",
                             low=1, high=COUNT_BOUND, none="all m (batch gradient descent)",
                             flag="--batch-size", metavar="B"),
    **{name: Constraint(float, h.default, name, h.meaning, low=h.low, high=h.high, low_open=h.low_open,
                        high_open=h.high_open, applies=tuple(spec.key for spec in users(name)), flag=f"--{name}",
                        metavar=h.symbol, step=h.step, decimals=h.decimals)
       for name, h in HYPERS.items()},  # each optimizer's own hyperparameters, declared in its registry entry
    "lam": Constraint(float, 0.0, "lambda (L2)", "L2: J + (λ / 2m)·‖w‖², b is not regularized",
                      low=0.0, high=LAMBDA_BOUND, flag="--lambda", metavar="L", step=0.1, decimals=3),
    "decay": Constraint(float, 0.0, "the decay", "α decay per epoch, 0 for none",
                        low=0.0, high=DECAY_BOUND, flag="--decay", metavar="D", step=0.01, decimals=3),
    "decay_kind": Constraint(str, "inverse", "the decay kind",
                             "inverse: α₀ / (1 + decay·epoch); exponential: α₀·(1 − decay)^epoch, so the course's "
                             "α₀·0.95^epoch is decay 0.05",
                             choices=DECAY_KINDS, flag="--decay-kind"),
    # The model (core/models/registry.py): no hidden layer is logistic regression, today's engine.
    "hidden": Constraint(tuple, (), "the hidden layer sizes",
                         "the hidden layers' sizes, e.g. 4 (the course's week 3) or 20,7,5 (its deep model); "
                         "none is logistic regression", low=1, high=UNITS_BOUND, longest=LAYERS_BOUND,
                         flag="--layers", metavar="N[,N...]"),
    "activation": Constraint(str, "relu", "the activation", "the hidden layers' activation g (the output is σ)",
                             choices=tuple(ACTIVATIONS), flag="--activation"),
    "init_scale": Constraint(float, DEFAULT_SCALE, "the initialization scale",
                             "a random start's W_l = scale·randn; lecun divides by √n_(l−1), he multiplies by "
                             "√(2/n_(l−1))", low=0.0, low_open=True, high=SCALE_BOUND, words=NAMED_SCALES,
                             flag="--init-scale", metavar="SCALE"),
}
#: The settings that say which model trains (they start a new run; the command line's --layers and its two).
MODEL_SETTINGS = ("hidden", "activation", "init_scale")
#: How a data set is read (lesson files' [data], the command line's train).
DATA: dict[str, Constraint] = {
    "n_px": Constraint(int, None, "the image size n_px", "images are resized to n_px × n_px",
                       low=N_PX_RANGE[0], high=N_PX_RANGE[1], none="the source's own, 64 for folders",
                       flag="--n-px", metavar="PX"),
    "test_fraction": Constraint(float, 0.2, "the test fraction",
                                "the part held out as a test set when the source has none (0 holds none out)",
                                low=0.0, high=1.0, high_open=True, flag="--test-fraction", metavar="F"),
    "contradictions": Constraint(int, 0, "the number of contradicting copies",
                                 "training images copied with the opposite label: then no plane separates the "
                                 "classes", low=0, high=MAX_CONTRADICTIONS),
}
#: What only the command line asks (no window, file or session holds it).
COMMAND_LINE: dict[str, Constraint] = {
    "seeds": Constraint(tuple, None, "the seeds",
                        "train the same model from each seed's random start (and shuffles) and compare their "
                        "final J: a network's may differ, logistic regression's reach one minimum",
                        low=0, high=RUN["seed"].high, longest=MAX_SEEDS, shortest=2, distinct=True,
                        none="one run, from --seed",
                        flag="--seeds", metavar="S,S[,S...]"),
}
TABLE: dict[str, Constraint] = RUN | DATA | COMMAND_LINE
assert all(set(c.applies or ()) <= set(KINDS) for c in RUN.values()), "applies names a kind KINDS lacks"


def shown(raw) -> str:
    """A value as a message quotes it: text in quotes, at most 40 characters."""
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _refuse(c: Constraint, raw, seen) -> ValueError:
    wrong_type = "the text " if isinstance(raw, str) and c.type is not str and seen is raw else ""
    return ValueError(f"{c.what} must be {c.rule()}, not {wrong_type}{shown(seen)}")


def check(key: str, raw, seen=None):
    """``raw`` (a typed value: JSON, TOML, Python) as the setting takes it; ValueError says why not.
    ``seen``: what to quote in the message (the text it was parsed from)."""
    c = TABLE[key]
    seen = raw if seen is None else seen
    if raw is None and c.none is not None:
        return None
    if c.type is str:
        if not isinstance(raw, str) or raw not in c.choices:
            raise _refuse(c, raw, seen)
        return raw
    if c.type is tuple:
        return _checked_list(c, raw, seen)
    if isinstance(raw, str) and raw in c.words:
        return raw
    if isinstance(raw, bool) or not isinstance(raw, numbers.Integral if c.type is int else numbers.Real):
        if c.type is int and isinstance(raw, numbers.Real) and not isinstance(raw, bool):
            raise ValueError(f"{c.what} must be a whole number (written without a decimal point), not {shown(seen)}")
        raise _refuse(c, raw, seen)
    # A whole number beyond any float (a file's 1 followed by 400 zeros) is not a float, but is an int.
    value = c.type(raw) if c.type is int or abs(raw) <= sys.float_info.max else math.inf
    if isinstance(value, float) and not math.isfinite(value) or not _inside(c, value):
        raise _refuse(c, raw, seen)
    return value


def _checked_list(c: Constraint, raw, seen) -> tuple[int, ...]:
    """A list (or tuple) of whole numbers, each within the bounds: as a tuple, so settings stay hashable."""
    if not isinstance(raw, (list, tuple)) or not c.shortest <= len(raw) <= c.longest:
        raise _refuse(c, raw, seen)
    if c.distinct and len(set(raw)) < len(raw):
        raise _refuse(c, raw, seen)
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral) or not _inside(c, int(item)):
            raise _refuse(c, raw, seen)
    return tuple(int(item) for item in raw)


def _inside(c: Constraint, v: float) -> bool:
    above = c.low is None or (v > c.low if c.low_open else v >= c.low)
    below = c.high is None or (v < c.high if c.high_open else v <= c.high)
    return above and below


def parse(key: str, text: str):
    """Text (a command-line word, a QSettings string, a table cell) read into the setting's type, then checked.

    An integer may be written as "1e6"; empty text is None where None is allowed."""
    c = TABLE[key]
    if not isinstance(text, str):
        raise TypeError(f"parse takes text, not {type(text).__name__}")
    word = text.strip()
    if c.type is str or word in c.words:
        return check(key, word, text)
    if c.type is tuple:
        return check(key, _whole_numbers(c, word, text), text)
    if word == "" and c.none is not None:
        return None
    try:
        number = float(word)
    except ValueError:
        raise ValueError(f"{c.what} must be {c.rule()}, not {shown(text)}") from None
    if c.type is int:
        if not (math.isfinite(number) and number.is_integer()):
            raise ValueError(f"{c.what} must be a whole number, not {shown(text)}")
        number = int(word) if word.lstrip("+-").isdigit() else int(number)  # exact beyond 2**53
    return check(key, number, text)


#: Digits of one number in a list at most: beyond every bound, short of what int() refuses to read (4300).
_DIGITS = 40


def _whole_numbers(c: Constraint, word: str, text: str) -> list[int]:
    """"20,7,5" (or "20 7 5") as [20, 7, 5]; empty text, or "none", is the empty list."""
    if word.lower() in ("", "none"):
        return []
    parts = [p for p in re.split(r"[\s,]+", word) if p]
    if not all(p.isdecimal() and len(p) <= _DIGITS for p in parts):  # what int() reads ('²' is a digit, not decimal)
        raise ValueError(f"{c.what} must be {c.rule()}, not {shown(text)}")
    return [int(p) for p in parts]


def together_problem(values: dict) -> tuple[str, str] | None:
    """(key, why) for what one field cannot say alone: an exponential decay keeps α₀·(1 − decay)^epoch positive."""
    if values.get("decay_kind") == "exponential" and values.get("decay", 0.0) >= 1:
        return "decay", (f"the exponential decay (alpha = alpha0 * (1 - decay)^epoch) must be below 1, "
                         f"not {shown(values['decay'])}")
    return None


def batch_problem(batch_size: int | None, m: int) -> str | None:
    """The one rule for B against the data, as the README says: 1 ≤ B ≤ m (None is all m). Why not, or None."""
    if batch_size is not None and batch_size > m:
        return f"the batch size must be at most the number of training examples m = {m}, not {batch_size}"
    return None


class MappingError(ValueError):
    """A mapping that cannot be read: ``key`` is the key at fault (None when the mapping itself is), ``reason`` why."""

    def __init__(self, reason: str, key: str | None = None):
        super().__init__(reason)
        self.key, self.reason = key, reason


def check_mapping(d, allowed, what: str = "key") -> dict:
    """Every key of ``d`` known to ``allowed`` and its value checked (``check``); a missing key is left out.
    The one loop settings, race configurations and sessions read a file's mapping with."""
    if not isinstance(d, dict):
        raise MappingError(f"must be an object, not {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in allowed)
    if unknown:
        raise MappingError(f"unknown {what} {shown(unknown[0])}")
    values = {}
    for key, value in d.items():
        try:
            values[key] = check(key, value)
        except ValueError as exc:
            raise MappingError(str(exc), key) from None
    return values
