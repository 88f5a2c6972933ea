"""Cost curves kept in the cost panel ("Keep this run") beside the runs that follow, and the label of each.

A kept curve is a copy of what the run's cost curve showed: J at its iterations (the full J of all
m examples with mini-batches, whose batch J is noise), the examples seen before each (so the epochs
and examples axes place it as the run was) and the α of each step (for the CSV). Reset, a new α, a
lesson or new data leave it; it goes only when removed. Its label says which run it was, from the
settings' table and the optimizer registry: α, the optimizer and its hyperparameters, the batch
size, λ, what else differs from the course, and the data set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from visualizer.core.analysis.run_axes import NAMES, examples_seen
from visualizer.core.engine.history import History
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import SPECS
from visualizer.model.constraints import RUN

#: A long run is kept at most this many points (every 2^k-th iteration), so a session stays small.
MAX_POINTS = 1 << 14
#: At most this many kept curves: each has a colour of its own and a line in the legend.
MAX_PINNED = 8
#: The settings besides α and the optimizer that change the curve, named in a label when not the course's.
OTHER_SETTINGS = ("loss", "init")


@dataclass(frozen=True, eq=False)
class PinnedCurve:
    """One kept cost curve: ``costs[k]`` is J at iteration ``iterations[k]``, after ``seen[k]`` examples,
    stepped with ``alphas[k]``; ``m``: the examples of the training set it ran on."""

    label: str
    short: str  #: α, the optimizer's short name, B and λ when they are not all m and 0: the plot's legend
    iterations: np.ndarray
    seen: np.ndarray
    costs: np.ndarray
    alphas: np.ndarray
    m: int

    def __post_init__(self):
        sizes = {self.iterations.size, self.seen.size, self.costs.size, self.alphas.size}
        if len(sizes) != 1 or self.m < 1 or not self.label.strip() or not self.short.strip():
            raise ValueError("a kept curve needs labels, m >= 1 and as many iterations, examples, costs and α's")

    def x(self, unit: str) -> np.ndarray:
        """Its points on an axis of iterations, epochs or examples seen (visualizer.core.analysis.run_axes.UNITS)."""
        if unit == "iterations":
            return self.iterations.astype(float)
        return self.seen / self.m if unit == "epochs" else self.seen.astype(float)


def data_name(source: str) -> str:
    """A data set in a few words: the file or folder, with its parent for a folder called train or test."""
    path = PurePath(source)
    return "/".join(path.parts[-2:]) if path.name in ("train", "test") and len(path.parts) > 1 else path.name or source


def optimizer_words(opt: Optimizer, m: int) -> list[str]:
    """The optimizer's name and hyperparameters (from its registry entry), the batch size, λ and any decay."""
    spec = SPECS[opt.kind]
    words = [" ".join([NAMES[opt.kind], *(f"{h.symbol}={getattr(opt, h.name):g}" for h in spec.hyper)])]
    words.append("B=all" if opt.batch(m) >= m else f"B={opt.batch(m)}")
    words.append(f"λ={opt.lam:g}")
    if opt.decay:
        words.append(f"{opt.decay_kind} decay {opt.decay:g}")
    return words


def run_label(history: History, settings, m: int, source: str, upto: int) -> str:
    """Which run a curve is: its α and optimizer at the end, where they changed before, and the data."""
    alpha, opt = history.alpha_at(upto), history.optimizer_at(upto)
    words = [f"α={alpha:g}", *optimizer_words(opt, m)]
    for name in OTHER_SETTINGS:
        value = getattr(settings, name)
        if value != RUN[name].default:
            words.append(f"{name}={value}" + (f" (seed {settings.seed})" if name == "init" else ""))
    changed = sorted({it for it, _ in history.alpha_changes[1:] if it <= upto}
                     | {it for it, _ in history.optimizer_changes[1:] if it <= upto})
    if changed:
        words.append("changed at " + ", ".join(map(str, changed)))
    return ", ".join(words) + f" · {data_name(source)}"


def short_label(history: History, m: int, upto: int) -> str:
    """A few words for the plot's legend: "α=0.01 Adam B=32", "α=0.005 GD"."""
    opt = history.optimizer_at(upto)
    words = [f"α={history.alpha_at(upto):g}", SPECS[opt.kind].short]
    words += [f"B={opt.batch(m)}"] if opt.batch(m) < m else []
    return " ".join(words + ([f"λ={opt.lam:g}"] if opt.lam else []))


def pinned_curve(history: History, upto: int, settings, m: int, source: str) -> PinnedCurve:
    """The curve the cost panel shows for the run up to iteration ``upto``, as a PinnedCurve."""
    mini = any(opt.batch(m) < m for it, opt in history.optimizer_changes if it <= upto)
    if mini:  # the full J at the metrics' stride: the batch J is one batch's
        its, costs = history.metric("train_cost", upto)
        its = its.astype(int)
    else:
        n = history.costs.stored_until(upto)
        its, costs = history.costs.iterations(n).astype(int), history.costs.values[:n]
    every = 1 << max(0, int(np.ceil(np.log2(max(len(its), 1) / MAX_POINTS))))
    its, costs = its[::every], np.array(costs[::every], dtype=float)
    starts = np.array([it for it, _ in history.alpha_changes])
    values = np.array([alpha for _, alpha in history.alpha_changes])
    alphas = values[np.maximum(np.searchsorted(starts, its, side="right") - 1, 0)]
    seen = examples_seen(history.optimizer_changes, m, its)
    return PinnedCurve(run_label(history, settings, m, source, upto), short_label(history, m, upto), its, seen,
                       costs, alphas, m)
