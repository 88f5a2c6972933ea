"""What a run's cost curve did, measured: the one definition of "falls", "oscillates", "unstable at first",
"diverged" that every sentence of the window, the race, the sweep and the command line uses.

From J at iterations first, first + every, ..., last (the curve the learner sees):

- diverges: J stops being finite, or ends above where it began;
- flat: J ends where it began (within the noise of the arithmetic);
- falls: J falls at every step;
- unstable: J rose above where it began, then ended below it ("unstable at first, then converges");
- oscillates: J went up at some steps but never above where it began, and ended below it.

"Up" and "above" allow for rounding: a change smaller than NOISE times the larger of |J| here and
|J| at the start is no change (J near 1e-8 is a difference of numbers near 30, good to 1e-14).
The names are the run's, never a theory's: a step above 2/λmax that ends below its start did not diverge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.run_axes import describe_change

#: Relative size of a change of J taken as rounding, not as a rise or a fall.
NOISE = 1e-9
KINDS = ("falls", "oscillates", "unstable", "diverges", "flat")
#: How each kind reads in a table or a legend.
SHORT = {"falls": "falls at every step", "oscillates": "up and down", "unstable": "unstable at first",
         "diverges": "diverged", "flat": "flat"}


@dataclass(frozen=True)
class Verdict:
    kind: str
    start: float  # J where the stretch began
    end: float  # J at its last finite iteration
    first: int  # the iteration of ``start``
    last: int  # the iteration of ``end``
    peak: float  # the highest J
    peak_at: int
    rises: int  # steps (between two recorded iterations) where J went up
    first_rise: int | None  # the iteration J went up to, the first time
    not_finite_at: int | None = None  # the first iteration whose J (or step) is not finite
    every: int = 1  # iterations between two recorded values of J

    @property
    def diverged(self) -> bool:
        return self.kind == "diverges"

    @property
    def steps(self) -> int:
        return (self.last - self.first) // max(self.every, 1)

    def sentence(self) -> str:
        """One sentence, every number in it measured (to as many digits as tell its numbers apart)."""
        start, end, peak = _distinct(self.start, self.end, self.peak)
        span = f"iterations {self.first}..{self.last}"
        sampled = f" (J every {self.every} iterations)" if self.every > 1 else ""
        if self.kind == "diverges" and self.not_finite_at is not None:
            return (f"diverged: J is not finite from iteration {self.not_finite_at} "
                    f"(it was {end} at iteration {self.last}, {start} at iteration {self.first}).")
        if self.kind == "diverges":
            return (f"diverged: J ended at {end} at iteration {self.last}, above {start} where it "
                    f"began at iteration {self.first}" + (f"; its peak was {peak} at iteration "
                                                          f"{self.peak_at}" if self.peak > self.end else "")
                    + f"{sampled}.")
        if self.kind == "flat":
            return f"flat: J ends where it began, {start}, over {span}{sampled}."
        if self.kind == "falls":
            return f"J falls at every step, from {start} to {end} over {span}{sampled}."
        if self.kind == "unstable":  # "at first" only where it rose early (a network's J may rise late: the edge)
            early = " at first" if 2 * (self.peak_at - self.first) <= self.last - self.first else ""
            return (f"unstable{early}: J rose from {start} to {peak} at iteration {self.peak_at}, "
                    f"then fell to {end} at iteration {self.last}, below where it began{sampled}.")
        return (f"J goes up and down: it rose at {self.rises} of {self.steps} steps, first at iteration "
                f"{self.first_rise}, but never above {start} where it began, and fell to {end} "
                f"at iteration {self.last}{sampled}.")


def _distinct(*values: float) -> list[str]:
    """The values to 3 significant digits, or more (up to 8) when two that differ would read the same."""
    for digits in range(3, 9):
        texts = [f"{v:.{digits}g}" for v in values]
        if all(texts[i] != texts[j] for i in range(len(values)) for j in range(i) if values[i] != values[j]):
            break
    return texts


def judge(costs, first: int = 0, every: int = 1, not_finite_at: int | None = None) -> Verdict:
    """The verdict of J at iterations first, first + every, ...; non-finite values end the stretch."""
    J = np.asarray(costs, dtype=float).reshape(-1)
    finite = np.isfinite(J)
    if not finite.all():
        bad = int(np.argmin(finite))
        not_finite_at = first + bad * every if not_finite_at is None else min(not_finite_at, first + bad * every)
        J = J[:bad]
    if J.size == 0:
        nan = math.nan
        return Verdict("diverges" if not_finite_at is not None else "flat", nan, nan, first, first, nan, first, 0,
                       None, not_finite_at, every)
    start, end = float(J[0]), float(J[-1])
    scale = np.maximum(np.abs(J[:-1]), abs(start))
    up = np.flatnonzero(np.diff(J) > NOISE * scale)
    top = int(np.argmax(J))
    last = first + (J.size - 1) * every
    tol = NOISE * max(abs(start), abs(end))
    if not_finite_at is not None or end > start + tol:
        kind = "diverges"
    elif end >= start - tol:
        kind = "flat"
    elif up.size == 0:
        kind = "falls"
    elif J[top] > start + tol:
        kind = "unstable"
    else:
        kind = "oscillates"
    return Verdict(kind, start, end, first, last, float(J[top]), first + top * every, int(up.size),
                   None if up.size == 0 else first + (int(up[0]) + 1) * every, not_finite_at, every)


def stretch_start(gd) -> int:
    """Where the current α and optimizer took over (a new one is judged afresh, from the J it started at)."""
    h = gd.history
    starts = [s for s, _ in h.alpha_changes] + [s for s, _ in h.optimizer_changes]
    return max([s for s in starts if s <= gd.iteration] + [gd.replay_from])


def run_verdict(gd, since: int | None = None) -> Verdict:
    """The verdict of a GradientDescent from iteration ``since`` (default: ``stretch_start``) to where it is.

    Batch descent is judged on J at every iteration (every stored one, once the history thins);
    mini-batches on the full J of the metric rows, the solid curve of the cost panel.
    """
    since = stretch_start(gd) if since is None else since
    h = gd.history
    halted = gd.diverged_at if gd.diverged_at is not None and gd.diverged_at >= since else None
    if gd.optimizer.batch(gd.m) >= gd.m:
        costs = h.costs
        stride = costs.stride
        if stride == 1:
            return judge(np.append(costs.values[since:], gd.cost), since, 1, halted)
        k0 = -(-since // stride)  # a thinned history: the stored J from ``since`` on, and the J it began at
        its = np.append(np.arange(k0, len(costs.values)) * stride, gd.iteration)
        values = np.append(costs.values[k0:], gd.cost)
        if since % stride and since == stretch_start(gd):
            its, values = np.append(since, its), np.append(gd.stretch_start_cost, values)
        return judge_at(its, values, halted)
    its, values = h.metric("train_cost")
    keep = its >= since
    its, values = its[keep], values[keep]
    if not its.size or its[-1] != gd.iteration:
        its, values = np.append(its, gd.iteration), np.append(values, gd.cost)
    return judge_at(its, values, halted)


def run_sentence(gd) -> str:
    """What J did since the current α and optimizer took over, blaming what took over: a switch of optimizer
    (or a change of its settings) is named with where it happened, since the verdict counts from it."""
    v = run_verdict(gd)
    changes = gd.history.optimizer_changes
    j = max((i for i, (it, _) in enumerate(changes) if it <= v.first), default=0)
    alpha = gd.history.alpha_at(v.first)
    if j > 0 and changes[j][0] == v.first:
        old, new = changes[j - 1][1], changes[j][1]
        what = "switch" if new.kind != old.kind else "change"
        return f"After the {what} to {describe_change(old, new, gd.m)} at iteration {v.first} (α = {alpha:g}): " \
               f"{v.sentence()}"
    return f"α = {alpha:g}: {v.sentence()}"


def judge_at(its, values, halted: int | None = None) -> Verdict:
    """``judge`` on J at iterations ``its`` that need not be evenly spaced (rows of metrics, a thinned history):
    the peak and the first rise keep their true iterations; ``every`` is the widest gap."""
    its = np.asarray(its, dtype=int).reshape(-1)
    v = judge(values)
    at = [int(i) for i in its] + [int(its[-1]) if its.size else 0]  # position -> iteration
    gap = int(np.max(np.diff(its))) if its.size > 1 else 1
    not_finite = halted if halted is not None else None if v.not_finite_at is None else at[v.not_finite_at]
    kind = "diverges" if not_finite is not None else v.kind
    return Verdict(kind, v.start, v.end, at[0], at[v.last], v.peak, at[v.peak_at], v.rises,
                   None if v.first_rise is None else at[v.first_rise], not_finite, gap)
