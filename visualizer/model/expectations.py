"""What a lesson says the learner will see, as sentences a run can check (docs/lessons.md, "Expectations").

One expectation a line, in plain words:

    J at 2000 < J at 0
    J at 2000 < 0.5 * J at 0
    J rises at least once in 1..300
    J never rises in 0..2000
    path zig-zags at least 10 times in 0..50
    train accuracy at 2000 >= 95
    max J in 0..100 > 10 * J at 0
    edge at 0 < alpha
    edge at 50 is none
    J in 0..2000 is unstable at first
    with alpha = 0.1, loss = squared-error: J at 2000 > J at 0

Quantities: J (J_reg with L2, of all m examples), test J, train accuracy, test accuracy (in %), largest loss (the
largest L of one training example), edge (2/λmax for the optimizer in force, or none), alpha (the run's α), and
rising losses in A..B (how many training examples have a larger L at B than at A).
``with`` runs the expectation under other settings.
Parsing is Qt-free and numpy-free; ``model.lesson_check`` runs and measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from visualizer.model.constraints import RUN
from visualizer.model.constraints import parse as parse_setting
from visualizer.model.settings import RunSettings, SettingsError

#: The words of a quantity -> the metric it reads.
QUANTITIES = {"test J": "test_cost", "train accuracy": "train_accuracy", "test accuracy": "test_accuracy",
              "largest loss": "largest_loss", "J": "train_cost", "edge": "edge"}
#: Quantities a range can take the max or min of: they are read at every iteration.
SERIES = ("J", "test J")
#: How a verdict (core.analysis.verdicts) may be written -> its kind.
VERDICT_WORDS = {"falls at every step": "falls", "up and down": "oscillates", "unstable at first": "unstable",
                 "diverged": "diverges", "flat": "flat", "falls": "falls", "oscillates": "oscillates",
                 "unstable": "unstable", "diverges": "diverges"}
EVENTS = {("J", "rises"), ("J", "falls"), ("path", "zig-zags")}
OPS = ("<=", ">=", "<", ">")
#: Iterations an expectation may name: what a lesson may run first (lesson_files.MAX_ITERATIONS).
MAX_ITERATION = 100_000
#: A path is followed step by step with its top Hessian direction: ranges of it are kept short.
MAX_PATH_STEPS = 2_000

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"
_QUANT = "|".join(re.escape(q) for q in QUANTITIES)
_RANGE = r"(\d+)\s*\.\.\s*(\d+)"
_TERM = re.compile(rf"(?:(?P<factor>{_NUMBER})\s*\*\s*)?(?:(?P<reduce>max|min)\s+(?P<rq>{_QUANT})\s+in\s+{_RANGE}"
                   rf"|(?P<q>{_QUANT})\s+at\s+(?P<at>\d+)|(?P<alpha>alpha)|rising losses\s+in\s+(?P<rlo>\d+)\s*\.\.\s*"
                   rf"(?P<rhi>\d+))$|(?P<number>{_NUMBER})$", re.I)
_COUNT = re.compile(rf"(?P<series>J|path)\s+(?P<never>never\s+)?(?P<event>rises|falls|zig-zags)"
                    rf"(?:\s+(?P<how>at least once|at least (?P<least>\d+) times|at most (?P<most>\d+) times"
                    rf"|at every step))?\s+in\s+{_RANGE}$", re.I)
_VERDICT = re.compile(rf"J\s+in\s+{_RANGE}\s+is\s+(?P<kind>{'|'.join(VERDICT_WORDS)})$", re.I)
_NONE = re.compile(r"edge\s+at\s+(\d+)\s+is\s+(none|a number)$", re.I)
_WITH = re.compile(r"with\s+(?P<settings>[^:]+):\s*(?P<rest>.+)$", re.I | re.S)
_SPELLINGS = {"α": "alpha", "≤": "<=", "≥": ">=", "×": "*", "…": "..", "−": "-", "–": "-"}


class ExpectationError(ValueError):
    """A sentence that is not an expectation: the message says what was expected."""


@dataclass(frozen=True)
class Term:
    """A number, the run's α, a quantity at an iteration, or its max or min over a range, times ``factor``."""

    number: float | None = None
    quantity: str | None = None  # a key of QUANTITIES, or "rising losses" (examples whose L at hi > L at lo)
    at: int | None = None
    reduce: str | None = None  # "max" or "min" over lo..hi
    lo: int | None = None
    hi: int | None = None
    alpha: bool = False
    factor: float = 1.0


@dataclass(frozen=True)
class Expectation:
    """One sentence: a comparison, a count of events in a range, a verdict, or whether the edge is a number."""

    text: str
    kind: str  # "compare", "count", "verdict", "edge-none"
    settings: tuple[tuple[str, object], ...] = ()  # ``with``: settings in place of the lesson's
    left: Term | None = None
    op: str | None = None
    right: Term | None = None
    series: str | None = None  # count: "J" or "path"
    event: str | None = None  # count: "rises", "falls", "zig-zags"
    least: int | None = None
    most: int | None = None
    every: bool = False  # count: at every step
    lo: int | None = None
    hi: int | None = None
    verdict: str | None = None  # a kind of core.analysis.verdicts
    none: bool | None = None  # edge-none: True "is none", False "is a number"
    at: int | None = None  # edge-none

    def last_iteration(self) -> int:
        """The last iteration the run must reach to measure this."""
        terms = [t for t in (self.left, self.right) if t is not None]
        return max([t.at or t.hi or 0 for t in terms] + [self.hi or 0, self.at or 0])


def parse(text: str) -> Expectation:
    """The expectation a sentence states; ExpectationError says why a sentence is not one."""
    if not isinstance(text, str):
        raise ExpectationError(f"must be a sentence in quotes, not {type(text).__name__}")
    plain = " ".join(text.split())
    for mark, word in _SPELLINGS.items():
        plain = plain.replace(mark, word)
    settings: tuple = ()
    if m := _WITH.fullmatch(plain):
        settings, plain = _settings(m["settings"]), m["rest"].strip()
    if m := _COUNT.fullmatch(plain):
        series, event = m["series"].lower() if m["series"] == "path" else "J", m["event"].lower()
        if (series, event) not in EVENTS:
            raise ExpectationError(f"'{series} {event}' is not an event; one of: J rises, J falls, path zig-zags")
        how = (m["how"] or "").lower()
        least = 0 if m["never"] else 1 if how == "at least once" else int(m["least"]) if m["least"] else None
        most = 0 if m["never"] else int(m["most"]) if m["most"] else None
        if m["never"] and how:
            raise ExpectationError("'never' needs no count after it")
        if least is None and most is None and how != "at every step":
            raise ExpectationError("say how often: never, at least once, at least N times, at most N times or "
                                   "at every step")
        lo, hi = _range(m, m.re.groupindex["most"] + 1, series == "path")
        return Expectation(text, "count", settings, series=series, event=event, least=least, most=most,
                           every=how == "at every step", lo=lo, hi=hi)
    if m := _VERDICT.fullmatch(plain):
        lo, hi = _range(m, 1)
        return Expectation(text, "verdict", settings, lo=lo, hi=hi, verdict=VERDICT_WORDS[m["kind"].lower()])
    if m := _NONE.fullmatch(plain):
        return Expectation(text, "edge-none", settings, at=_iteration(m[1]), none=m[2].lower() == "none")
    for op in OPS:  # the two-letter ones first: "<=" holds a "<"
        if op in plain:
            left, right = plain.split(op, 1)
            return Expectation(text, "compare", settings, left=_term(left), op=op, right=_term(right))
    raise ExpectationError("not an expectation: write a comparison (J at 2000 < J at 0), a count (J rises at "
                           "least once in 1..300), a verdict (J in 0..2000 is unstable at first) or "
                           "'edge at N is none'")


def _term(text: str) -> Term:
    m = _TERM.fullmatch(text.strip())
    if m is None:
        raise ExpectationError(f"{text.strip()!r} is not a number, alpha, 'QUANTITY at N', 'max J in A..B' or "
                               f"'rising losses in A..B' (quantities: {', '.join(QUANTITIES)})")
    factor = float(m["factor"]) if m["factor"] else 1.0
    if m["number"]:
        return Term(number=float(m["number"]))
    if m["alpha"]:
        return Term(alpha=True, factor=factor)
    if m["q"]:
        return Term(quantity=_quantity(m["q"]), at=_iteration(m["at"]), factor=factor)
    if m["rlo"]:
        lo, hi = _range(m, m.re.groupindex["rlo"])
        return Term(quantity="rising losses", lo=lo, hi=hi, factor=factor)
    lo, hi = _range(m, m.re.groupindex["rq"] + 1)
    quantity = _quantity(m["rq"])
    if quantity not in SERIES:
        raise ExpectationError(f"max and min over a range are of {' or '.join(SERIES)}, not {quantity}")
    return Term(quantity=quantity, reduce=m["reduce"].lower(), lo=lo, hi=hi, factor=factor)


def _quantity(words: str) -> str:
    return next(q for q in QUANTITIES if q.lower() == words.lower())


def _iteration(text: str) -> int:
    value = int(text)
    if value > MAX_ITERATION:
        raise ExpectationError(f"iteration {value} is beyond the {MAX_ITERATION:,} a lesson may run")
    return value


def _range(m: re.Match, group: int, path: bool = False) -> tuple[int, int]:
    lo, hi = _iteration(m.group(group)), _iteration(m.group(group + 1))
    if hi <= lo:
        raise ExpectationError(f"the range {lo}..{hi} is empty: write A..B with A < B")
    if path and hi - lo > MAX_PATH_STEPS:
        raise ExpectationError(f"a path is followed for at most {MAX_PATH_STEPS:,} steps, not {hi - lo:,}")
    return lo, hi


def _settings(text: str) -> tuple[tuple[str, object], ...]:
    """'alpha = 0.1, loss = squared-error' as checked settings (the constraint table's ``parse``, then RunSettings)."""
    pairs = []
    for part in text.split(","):
        key, eq, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key or not value:
            raise ExpectationError(f"'with' takes settings such as 'with alpha = 0.1, loss = squared-error:', "
                                   f"not {part.strip()!r}")
        raw = None if value.lower() in ("none", "all") else value
        try:  # text, read into the setting's type as the command line's is (strict types: "0.1" is text)
            typed = parse_setting(key, raw) if key in RUN and raw is not None else raw
            checked = RunSettings.from_dict({key: typed}, "with").to_dict()[key]
        except SettingsError as exc:
            raise ExpectationError(str(exc).split(": ", 1)[-1]) from None
        except ValueError as exc:
            raise ExpectationError(f"setting {key!r}: {exc}") from None
        pairs.append((key, checked))
    return tuple(pairs)
