"""Different seeds, different minima: one model trained from several random starts, side by side.

Logistic regression's J (cross-entropy) is convex: "whatever value we initialize, it will come to the
minimum", so every seed's final J agrees. A network's J is not: on the course's flower, 4 tanh units
from different seeds settle at different J. ``race_seeds`` trains the same model, α, optimizer and
budget from each seed (the seed draws the random start and, for mini-batches, the shuffles) and
``SeedRace.kind`` says which happened, from what was measured:

* ``one``: the final J agree within ``ONE_MINIMUM`` (1e-6);
* ``apart``: they differ by more than ``APART`` times what any run still moved over its last tenth
  of iterations (the runs have settled, in different places);
* ``unsettled``: they differ, but the runs still move about as much: train longer to tell;
* ``stopped``: some run's next step overflowed, so its final J is no minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.engine.gradient_descent import initial_parameters as logistic_start
from visualizer.core.models.network import Network, initial_parameters, network_accuracy
from visualizer.core.models.optimized import network_trainer
from visualizer.core.optim.optimizers import Optimizer

#: Final J within this of each other: one minimum.
ONE_MINIMUM = 1e-6
#: The seeds' spread of final J must exceed this many times the largest last-tenth change to say "apart".
APART = 10.0
#: Seeds in one race: each is a whole run.
MAX_SEEDS = 16


@dataclass(frozen=True)
class SeedRun:
    """One seed's run: J before each step (a batch's J_reg for mini-batches; ``costs[k]`` is J at iteration
    k·``stride``, 1 until a long logistic history thins), the full J_reg after the last step, and how much that
    full J moved over the last tenth of the iterations."""

    seed: int
    costs: np.ndarray
    stride: int
    final_cost: float
    last_tenth_change: float
    iterations: int
    diverged: bool
    train_accuracy: float
    test_accuracy: float | None


@dataclass(frozen=True)
class SeedRace:
    runs: tuple[SeedRun, ...]

    @property
    def spread(self) -> float:
        """max − min of the seeds' final J."""
        finals = [r.final_cost for r in self.runs]
        return float(max(finals) - min(finals))

    @property
    def drift(self) -> float:
        """The most any run's full J still moved over its last tenth of iterations."""
        return max(r.last_tenth_change for r in self.runs)

    @property
    def kind(self) -> str:
        if any(r.diverged for r in self.runs):
            return "stopped"
        if self.spread <= ONE_MINIMUM:
            return "one"
        return "apart" if self.spread > APART * self.drift else "unsettled"

    def sentence(self) -> str:
        """What the seeds did, in words built from the measured numbers."""
        n, lo = len(self.runs), min(r.final_cost for r in self.runs)
        hi = max(r.final_cost for r in self.runs)
        kind = self.kind
        if kind == "stopped":
            bad = ", ".join(str(r.seed) for r in self.runs if r.diverged)
            return (f"seed {bad} stopped early (its next step would overflow), so not every final J is a minimum: "
                    "try a smaller α")
        if kind == "one":
            agree = "are equal" if self.spread == 0 else f"agree within {self.spread:.2g}"
            return f"one minimum: the {n} seeds' final J {agree} (J = {lo:.6f})"
        span = f"final J from {lo:.6f} to {hi:.6f} (a spread of {self.spread:.3g})"
        if kind == "apart":
            return (f"different minima, as far as {self.runs[0].iterations} iterations tell: {span}, over "
                    f"{APART:g}× the most any run still moved over its last tenth of iterations ({self.drift:.2g})")
        return (f"not settled yet: {span}, but a run still moved {self.drift:.2g} over its last tenth of "
                "iterations; train longer to tell one minimum from several")


def race_seeds(X: np.ndarray, Y: np.ndarray, seeds, *, alpha: float, iterations: int, hidden=(),
               activation: str = "relu", init_scale: float | str = 0.01, loss: str = "cross-entropy",
               optimizer: Optimizer | None = None, X_test: np.ndarray | None = None,
               Y_test: np.ndarray | None = None) -> SeedRace:
    """The same model from each seed's random start (W_l = scale·randn in the course's order for a network,
    w = scale·N(0, 1) for logistic regression), trained ``iterations`` steps at ``alpha`` with ``optimizer``
    (its λ is the model's L2)."""
    seeds = [int(s) for s in seeds]
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ValueError(f"a race takes 1 to {MAX_SEEDS} seeds, not {len(seeds)}")
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"the seeds must all differ, not {seeds}: one seed twice is one run twice")
    optimizer = Optimizer() if optimizer is None else optimizer
    if hidden:
        net = Network(np.shape(X)[0], tuple(hidden), activation=activation, loss=loss, lam=optimizer.lam)
        one = partial(_network_run, net, init_scale)
    else:
        if isinstance(init_scale, str):
            raise ValueError(f"logistic regression's random start takes a number as its scale, not {init_scale!r}")
        one = partial(_logistic_run, loss, init_scale)
    return SeedRace(tuple(one(X, Y, s, alpha, iterations, optimizer, X_test, Y_test) for s in seeds))


def _logistic_run(loss, init_scale, X, Y, seed, alpha, iterations, optimizer, X_test, Y_test) -> SeedRun:
    gd = GradientDescent(X, Y, alpha=alpha, loss=loss, init="random", seed=seed, optimizer=optimizer,
                         X_test=X_test, Y_test=Y_test, metric_stride=max(iterations, 1),
                         start=logistic_start(np.shape(X)[0], "random", seed, init_scale))
    gd.step(max(nine_tenths(iterations), 0))
    before = gd.cost if iterations else np.inf
    gd.step(iterations - gd.iteration)
    m = gd.metrics()
    costs = gd.history.costs
    return SeedRun(seed, np.array(costs.values), costs.stride, float(m["train_cost"]), abs(m["train_cost"] - before),
                   gd.iteration, gd.iteration < iterations, m["train_accuracy"], m["test_accuracy"])


def _network_run(net, init_scale, X, Y, seed, alpha, iterations, optimizer, X_test, Y_test) -> SeedRun:
    run = network_trainer(net, X, Y, initial_parameters(net, "random", seed, init_scale), alpha=alpha,
                          optimizer=optimizer, seed=seed)
    run.step(max(nine_tenths(iterations), 0))
    before = run.cost() if iterations else np.inf
    run.step(iterations - run.iteration)
    final, theta = run.cost(), run.theta
    test = None if X_test is None else network_accuracy(net, theta, X_test, Y_test)
    return SeedRun(seed, run.costs, 1, final, abs(final - before), run.iteration, run.iteration < iterations,
                   network_accuracy(net, theta, X, Y), test)


def nine_tenths(iterations: int) -> int:
    """Where the last tenth of a run's iterations starts: at least one iteration before the end (a run of
    none has no last tenth, and its drift is infinite: nothing tells it settled)."""
    return iterations - max(iterations // 10, 1)
