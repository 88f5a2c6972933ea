"""Runs a lesson's settings headless (no display) and measures each expectation (model.expectations) on the run.

The run is the window's (model.run_setup.new_run): same data, settings and start. J is read at every iteration
(the engine's own record for batch descent; the full J after each step for mini-batches); the test J at every
iteration of a range an expectation takes its max or min over; the accuracies, the largest loss, the losses and
the edge where an expectation names them; the path step by step where one asks about zig-zags.
Expectations ``with`` other settings get a run of their own.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, replace

import numpy as np

from visualizer.core.analysis.stability import edge_of_stability
from visualizer.core.analysis.verdicts import NOISE, judge
from visualizer.core.analysis.zigzag import PathFollower, reversals
from visualizer.core.models.registry import model_of
from visualizer.data import Dataset
from visualizer.model.expectations import QUANTITIES, Expectation, Term
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Result:
    expectation: Expectation
    holds: bool
    measured: str  # the values the verdict rests on

    def line(self) -> str:
        return f"{'holds' if self.holds else 'FAILS'}: {self.expectation.text.strip()}  [{self.measured}]"


def _terms(expectations):
    return [t for e in expectations for t in (e.left, e.right) if t is not None]


class MeasuredRun:
    """One run to the last iteration its expectations name, with what they need measured on the way."""

    def __init__(self, train: Dataset, test: Dataset | None, settings: RunSettings, expectations, cancelled=None):
        self.settings = settings
        self.gd = gd = new_run(train, test, settings, edge=False)
        self.batch = gd.optimizer.batch(gd.m) >= gd.m
        self._J = [gd.cost]  # mini-batches: the full J after each step (batch descent: the engine's record)
        self.points: dict[int, dict] = {}
        terms = _terms(expectations)
        self.paths = {(e.lo, e.hi): [] for e in expectations if e.kind == "count" and e.series == "path"}
        self.tests = {(t.lo, t.hi): [] for t in terms if t.reduce and t.quantity == "test J"}
        self._follower = PathFollower()
        wanted = {e.at for e in expectations if e.kind == "edge-none"}
        wanted |= {t.at for t in terms if t.quantity not in (None, "J") and t.at is not None}
        wanted |= {i for t in terms if t.quantity == "rising losses" for i in (t.lo, t.hi)}
        wanted |= {r[0] for r in self.tests}
        self.last = max([e.last_iteration() for e in expectations] + [0])
        for target in sorted(wanted | {self.last}):
            self._run_to(target, cancelled)
            if gd.iteration == target:
                self.points[target] = self._measure()

    def _inside(self, ranges, it: int) -> list:
        return [r for r in ranges if r[0] <= it < r[1]]

    def _run_to(self, target: int, cancelled) -> None:
        gd = self.gd
        while gd.iteration < target and not gd.halted and not (cancelled and cancelled()):
            it = gd.iteration
            paths, tests = self._inside(self.paths, it), self._inside(self.tests, it)
            if paths or tests or not self.batch:  # one step, and what it needs read after it
                component = self._follower.step(gd) if paths else (gd.step(1) or None)
                if component is None:
                    break
                for r in paths:
                    self.paths[r].append(component)
                if tests:
                    cost = gd.metrics()["test_cost"]
                    for r in tests:
                        self.tests[r].append(math.nan if cost is None else cost)
                if not self.batch:
                    self._J.append(gd.cost)
            else:
                starts = [r[0] for r in (*self.paths, *self.tests) if r[0] > it]
                self._follower = PathFollower()  # a new stretch of path: its direction is found afresh
                if gd.step(min([target, *starts]) - it) == 0:
                    break

    def _measure(self) -> dict:
        gd = self.gd
        values = dict(gd.metrics())
        edge = None if model_of(gd).has_hidden else edge_of_stability(gd).alpha  # no formula for a network's
        values["edge"] = math.nan if edge is None else edge
        values["losses"] = gd.loss.values(gd.z, gd.y)
        values["largest_loss"] = float(np.max(values["losses"]))
        return values

    def J(self) -> np.ndarray:
        """J at iterations 0, 1, ... as far as the run went (every one kept while the history is not thinned)."""
        if self.batch:
            return np.append(self.gd.history.costs.values, self.gd.cost)
        return np.array(self._J)

    def value(self, term: Term) -> tuple[float, str]:
        """(the term's value, how it reads with its value): NaN where the run did not get there."""
        if term.number is not None:
            return term.number, f"{term.number:g}"
        if term.alpha:
            return term.factor * self.settings.alpha, f"α = {self.settings.alpha:g}"
        if term.quantity == "rising losses":
            return self._rising(term)
        if term.reduce is not None:
            return self._reduce(term)
        if term.quantity == "J":
            J = self.J()
            value = float(J[term.at]) if term.at < J.size else math.nan
        else:
            value = self.points.get(term.at, {}).get(QUANTITIES[term.quantity])
            value = math.nan if value is None else float(value)
        shown = "not reached" if term.at > self.gd.iteration else "none" if math.isnan(value) else f"{value:.6g}"
        return term.factor * value, f"{term.quantity} at {term.at} = {shown}"

    def _reduce(self, term: Term) -> tuple[float, str]:
        first = self.points.get(term.lo, {}).get("test_cost")
        values = (self.J()[term.lo: term.hi + 1] if term.quantity == "J"
                  else np.array([math.nan if first is None else first, *self.tests[(term.lo, term.hi)]]))
        name = f"{term.reduce} {term.quantity} in {term.lo}..{term.hi}"
        if values.size < term.hi - term.lo + 1 or not np.all(np.isfinite(values)):
            return math.nan, f"{name}: the run stopped at iteration {self.gd.iteration}"
        k = int(np.argmax(values) if term.reduce == "max" else np.argmin(values))
        return term.factor * float(values[k]), f"{name} = {values[k]:.6g} at iteration {term.lo + k}"

    def _rising(self, term: Term) -> tuple[float, str]:
        before, after = (self.points.get(i, {}).get("losses") for i in (term.lo, term.hi))
        if before is None or after is None:
            return math.nan, f"rising losses in {term.lo}..{term.hi}: the run stopped at iteration {self.gd.iteration}"
        count = int(np.count_nonzero(after - before > NOISE * np.maximum(np.abs(before), 1e-300)))
        return term.factor * count, (f"{count} of {before.size} examples have a larger loss at {term.hi} than "
                                     f"at {term.lo}")


def check(expectations, train: Dataset, test: Dataset | None, settings: RunSettings, cancelled=None
          ) -> list[Result]:
    """Each expectation measured, in order; one run per distinct ``with``."""
    runs: dict[tuple, MeasuredRun] = {}
    for key in dict.fromkeys(e.settings for e in expectations):
        group = [e for e in expectations if e.settings == key]
        runs[key] = MeasuredRun(train, test, replace(settings, **dict(key)), group, cancelled)
    return [measure(e, runs[e.settings]) for e in expectations]


def measure(e: Expectation, run: MeasuredRun) -> Result:
    if e.kind == "compare":
        (a, text_a), (b, text_b) = run.value(e.left), run.value(e.right)
        shown = "; ".join(t for t, term in ((text_a, e.left), (text_b, e.right)) if term.number is None)
        return Result(e, bool(COMPARE[e.op](a, b)), shown)
    if e.kind == "edge-none":
        edge = run.points.get(e.at, {}).get("edge")
        if edge is None:
            return Result(e, False, f"iteration {e.at} not reached")
        shown = "none" if math.isnan(edge) else f"{edge:.4g}"
        return Result(e, math.isnan(edge) == e.none, f"edge at {e.at} = {shown}")
    steps = e.hi - e.lo
    stopped = f"the run stopped at iteration {run.gd.iteration}"
    if e.kind == "verdict":
        J = run.J()[e.lo: e.hi + 1]
        if J.size < steps + 1:
            return Result(e, False, stopped)
        v = judge(J, e.lo)
        return Result(e, v.kind == e.verdict, v.sentence())
    if e.series == "path":
        components = run.paths[(e.lo, e.hi)]
        if len(components) < steps:
            return Result(e, False, stopped)
        count, of = reversals(np.array(components)), steps - 1
        shown = f"{count} of {of} steps went back along the top Hessian direction"
    else:
        J = run.J()[e.lo: e.hi + 1]
        if J.size < steps + 1:
            return Result(e, False, stopped)
        change = np.diff(J)
        tol = NOISE * np.maximum(np.abs(J[:-1]), abs(J[0]))
        count = int(np.count_nonzero(change > tol if e.event == "rises" else change < -tol))
        of = steps
        shown = f"J {'rose' if e.event == 'rises' else 'fell'} at {count} of {of} steps"
    holds = (count == of) if e.every else ((e.least is None or count >= e.least)
                                          and (e.most is None or count <= e.most))
    return Result(e, holds, shown)
