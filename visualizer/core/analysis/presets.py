"""The "Show me" learning rates, found by running them: each label names what the offered α's run did.

The labels describe the cost curve (core.analysis.verdicts), the panel every lesson shows:

- too small: J falls at every step, but gets at most a third as far down as "good";
- good: J falls at every step, to the lowest J of all the α's that do;
- oscillating: J goes up and down, never above its start, and ends below it;
- unstable, then converges: J jumps above its start, then ends below it;
- diverging: J ends above where it began, or stops being finite.

Candidates: α on a half-decade grid over the slider's range, then a bisection of the edge between the largest α
that falls at every step and the next one, where "oscillating" lives when it lives anywhere. Where no α tried
shows a behaviour, the preset says so and why, instead of naming an α that does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from visualizer.core.analysis.verdicts import Verdict, run_verdict

LABELS = ("too small", "good", "oscillating", "unstable, then converges", "diverging")
#: The α slider's range.
LOW, HIGH = 1e-5, 10.0
#: Halvings (in log α) of the edge between falling at every step and not.
BISECTIONS = 6
#: "too small" gets J down by at most this share of what "good" does.
TOO_SMALL_SHARE = 1 / 3
#: "unstable, then converges" prefers a spike the cost panel shows: J at least this many times its start.
SPIKE = 2.0
#: Multiply-adds the whole search may take (a few seconds at most); fewer iterations are checked beyond.
WORK_LIMIT = 6e9


@dataclass(frozen=True)
class Tried:
    alpha: float
    verdict: Verdict
    train_accuracy: float


@dataclass(frozen=True)
class Preset:
    label: str
    alpha: float | None  # None: no α tried does what the label says
    why: str  # the measured sentence: what the run did, or why none was offered


@dataclass(frozen=True)
class PresetSearch:
    presets: dict[str, Preset]
    iterations: int
    tried: tuple[Tried, ...]


def grid(low: float = LOW, high: float = HIGH) -> list[float]:
    """α at every half decade from ``low`` to ``high``, to three significant digits."""
    k0, k1 = math.ceil(2 * math.log10(low) - 1e-9), math.floor(2 * math.log10(high) + 1e-9)
    return [float(f"{10 ** (k / 2):.3g}") for k in range(k0, k1 + 1)]


def search_iterations(budget: int, runs: int, work_per_iteration: float) -> int:
    """The run's budget (2000 for "until J stops falling"), cut so ``runs`` runs stay within WORK_LIMIT."""
    wanted = budget if budget > 0 else 2000
    return max(1, min(wanted, int(WORK_LIMIT / max(runs * work_per_iteration, 1.0))))


def find_presets(make_run: Callable, iterations: int, cancelled=None, plain_cross_entropy: bool = True
                 ) -> PresetSearch | None:
    """Run the candidates (``make_run(alpha)``: a fresh run from the start) ``iterations`` each; None if cancelled.

    ``plain_cross_entropy``: batch gradient descent on the cross-entropy, where separable data cannot diverge."""
    tried: dict[float, Tried] = {}

    def run(alpha: float) -> Tried | None:
        if alpha not in tried:
            if cancelled is not None and cancelled():
                return None
            gd = make_run(alpha)
            gd.step(iterations, cancelled=cancelled)
            if cancelled is not None and cancelled():
                return None
            tried[alpha] = Tried(alpha, run_verdict(gd, since=0), float(gd.metrics()["train_accuracy"]))
        return tried[alpha]

    for alpha in grid():
        if run(alpha) is None:
            return None
    falling = [a for a in tried if tried[a].verdict.kind == "falls"]
    low = max(falling, default=None)
    above = [a for a in tried if low is not None and a > low]
    high = min(above, default=None)
    for _ in range(BISECTIONS if low is not None and high is not None else 0):
        mid = float(f"{math.sqrt(low * high):.3g}")
        if mid in (low, high):
            break
        t = run(mid)
        if t is None:
            return None
        if t.verdict.kind == "falls":
            low = mid
        else:
            high = mid
    runs = sorted(tried.values(), key=lambda t: t.alpha)
    return PresetSearch(choose(runs, iterations, (low, high), plain_cross_entropy), iterations, tuple(runs))


def choose(runs: list[Tried], iterations: int, edge: tuple[float | None, float | None],
           plain_cross_entropy: bool = True) -> dict[str, Preset]:
    """Each label's α among the runs, with the sentence that says what its run did (or why there is none)."""
    of = {k: [t for t in runs if t.verdict.kind == k] for k in ("falls", "oscillates", "unstable", "diverges")}
    span = f"in {iterations} iterations from the start"
    out: dict[str, Preset] = {}
    good = min(of["falls"], key=lambda t: (t.verdict.end, -t.alpha), default=None)
    if good is None:
        why = f"No α from {LOW:g} to {HIGH:g} lowers J at every step {span}."
        out["good"], out["too small"] = Preset("good", None, why), Preset("too small", None, why)
    else:
        out["good"] = _offer("good", good, f"the lowest J of the {len(of['falls'])} α's tried that fall at every "
                                           "step")
        drop = good.verdict.start - good.verdict.end
        slow = [t for t in of["falls"] if t.verdict.start - t.verdict.end <= TOO_SMALL_SHARE * drop]
        out["too small"] = (_offer("too small", max(slow, key=lambda t: t.alpha), f"at most a third of the fall "
                                   f"of the good α = {good.alpha:g}") if slow else
                            Preset("too small", None, f"Every α from {LOW:g} that falls at every step gets J down "
                                                      f"more than a third as far as α = {good.alpha:g} {span}."))
    out["oscillating"] = (_offer("oscillating", min(of["oscillates"], key=lambda t: t.verdict.end), "")
                          if of["oscillates"] else Preset("oscillating", None, _no_oscillation(runs, edge, span)))
    unstable = of["unstable"]
    seen = [t for t in unstable if t.verdict.peak >= SPIKE * t.verdict.start] or unstable
    below_good = [t for t in seen if good is None or t.verdict.end < good.verdict.end]
    pick = min(below_good, key=lambda t: t.alpha, default=None) or min(seen, key=lambda t: t.verdict.end,
                                                                        default=None)
    out["unstable, then converges"] = (
        _offer("unstable, then converges", pick, f"below the {good.verdict.end:.3g} of the good α = {good.alpha:g}"
               if good and pick in below_good else "")
        if pick else Preset("unstable, then converges", None, f"No α from {LOW:g} to {HIGH:g} rises above its "
                                                               f"start and then ends below it {span}."))
    diverging = min(of["diverges"], key=lambda t: t.alpha, default=None)
    out["diverging"] = (_offer("diverging", diverging, "") if diverging else
                        Preset("diverging", None, _no_divergence(runs, span, plain_cross_entropy)))
    return {label: out[label] for label in LABELS}


def _offer(label: str, t: Tried, note: str) -> Preset:
    return Preset(label, t.alpha, t.verdict.sentence()[:-1] + (f": {note}." if note else "."))


def _no_oscillation(runs: list[Tried], edge, span: str) -> str:
    low, high = edge
    if low is None or high is None:
        return f"No α from {LOW:g} to {HIGH:g} makes J go up and down below its start {span}."
    h = next(t for t in runs if t.alpha == high)
    return (f"No α tried makes J go up and down below its start {span}: α = {low:g} falls at every step, and "
            f"α = {high:g}, {high / low:.3g} times larger, is {h.verdict.sentence()[0].lower()}"
            f"{h.verdict.sentence()[1:-1]}.")


def _no_divergence(runs: list[Tried], span: str, plain_cross_entropy: bool) -> str:
    text = f"No α from {LOW:g} to {HIGH:g} ends above its start {span}"
    perfect = [t for t in runs if t.train_accuracy >= 100.0]
    if perfect and plain_cross_entropy:
        text += (f". α = {perfect[0].alpha:g} reached 100 % training accuracy, so a plane separates the two "
                 "classes; on separable data, gradient descent on the cross-entropy comes down after an unstable "
                 "start for any α (Wu, Bartlett, Telgarsky and Yu, 2024): see the lesson on the large-step "
                 "surprise")
    return text + "."


def work_per_iteration(gd) -> float:
    """Multiply-adds of one iteration: m² on the Gram path, about 2 m n_x (or 2 B n_x) on the primal one; a network's
    first layer does that once for each of its units (a NetworkRun's ``hidden``)."""
    batch = gd.optimizer.batch(gd.m)
    units = (getattr(gd, "hidden", ()) or (1,))[0]
    return float(units * (gd.m * gd.m if gd.param.kind == "gram" and batch >= gd.m else 2 * batch * gd.n_x))
