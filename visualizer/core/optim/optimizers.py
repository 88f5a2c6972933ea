"""Beyond plain gradient descent: mini-batches, the optimizers of core/optim/registry.py, L2 and α decay.

The engine takes an ``Optimizer`` (``GradientDescent(X, Y, optimizer=Optimizer(...))``, or
``Optimizer.from_settings(run_settings)``); the default ``Optimizer()`` is today's batch
gradient descent, run by the engine's own fast paths to the last bit.

With g = the mean gradient of the current batch of B examples, plus (λ/m)·w for L2
(m the whole training set, so every batch estimates the gradient of the same J_reg), each kind
turns g into a step as its spec says (``SPECS[kind].rule``; core/optim/<kind>.py), composed as
``chain(add_l2, scale_by_<kind>, scale_by_learning_rate)`` (core/optim/transforms.py).

J_reg = J + (λ / 2m)·‖w‖² (b is not regularized); it is the cost recorded, per batch and in
full. α decays per epoch e = 0, 1, 2, ... (a pass over the m examples):
``inverse`` α = α₀ / (1 + decay·e); ``exponential`` α = α₀·(1 − decay)ᵉ, so the course's
α₀·0.95ᵉ is decay = 0.05, and decay = 0 is no decay for both kinds.

Mini-batches: at the start of each epoch the m examples are shuffled by a generator seeded
with (seed, epoch), then cut into batches of B; the last batch may be smaller. B ≥ m is batch
descent (no shuffle), B = 1 stochastic descent. One iteration is one update (one batch).

Paths: the kinds whose step is a combination of past gradients (``SPAN_PRESERVING``), with or
without L2 or decay, keep w in w₀ + span(xᵢ), with L2 shrinking w₀'s coefficient like the others,
so they may run on the Gram path exactly. The others scale each coordinate of w separately, which
leaves that span: they run on the primal path. ``choose_path`` makes the choice per run and says why.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, replace

import numpy as np

from visualizer.core.optim.registry import SPECS
from visualizer.core.optim.spec import BETA, BETA1, BETA2, EPSILON
from visualizer.core.optim.state import OptimizerState, epoch_order
from visualizer.core.optim.transforms import L2, Chain, add_l2, chain, decay_schedule, scale_by_learning_rate

KINDS = tuple(SPECS)
DECAY_KINDS = ("inverse", "exponential")
#: The optimizers whose step is a linear combination of past gradients: exact on the Gram path.
SPAN_PRESERVING = tuple(k for k, s in SPECS.items() if s.span_preserving)

__all__ = ["DECAY_KINDS", "KINDS", "SPAN_PRESERVING", "Optimizer", "OptimizerState", "apply_step", "choose_path",
           "epoch_order", "optimizer_problem", "transition"]


@dataclass(frozen=True)
class Optimizer:
    """How each iteration steps. Settings from outside are checked by visualizer.model.constraints; here only
    what the engine must assert (``optimizer_problem``)."""

    kind: str = "gd"
    batch_size: int | None = None  # None: all m examples (batch gradient descent)
    beta: float = BETA.default
    beta1: float = BETA1.default
    beta2: float = BETA2.default
    epsilon: float = EPSILON.default
    lam: float = 0.0  # L2: J + (lam / 2m) |w|^2
    decay: float = 0.0
    decay_kind: str = "inverse"

    def __post_init__(self):
        problem = optimizer_problem(asdict(self))
        if problem:
            raise ValueError(problem)

    @classmethod
    def from_settings(cls, settings) -> Optimizer:
        """From a visualizer.model.settings.RunSettings (or anything with these attributes)."""
        names = {f: f for f in cls.__dataclass_fields__} | {"kind": "optimizer"}
        return cls(**{f: getattr(settings, names[f]) for f in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        return asdict(self)

    def with_(self, **changes) -> Optimizer:
        return replace(self, **changes)

    @property
    def spec(self):
        return SPECS[self.kind]

    def batch(self, m: int) -> int:
        """The batch size in force for m examples."""
        return m if self.batch_size is None else min(self.batch_size, m)

    def is_plain(self, m: int) -> bool:
        """Batch gradient descent at a fixed α, with or without L2: the engine's own fast loops run it."""
        return self.kind == "gd" and self.batch(m) >= m and self.decay == 0

    def alpha(self, alpha0: float, epoch: int) -> float:
        """α in force during ``epoch`` (from 0)."""
        return decay_schedule(self.decay, self.decay_kind)(alpha0, epoch)

    def l2(self, m: int) -> L2:
        return L2(self.lam, m)

    def chain(self, m: int) -> Chain:
        """This optimizer's step for m training examples, as a chain of transforms."""
        return _chain(self, m)


@functools.lru_cache(maxsize=64)
def _chain(opt: Optimizer, m: int) -> Chain:
    l2 = opt.l2(m)
    return chain(add_l2(l2), opt.spec.transform(opt), scale_by_learning_rate(),
                 schedule=decay_schedule(opt.decay, opt.decay_kind), l2=l2)


def optimizer_problem(d: dict) -> str | None:
    """What the engine must assert (one line), or None: a kind and a decay kind it has a step for, and a batch
    of at least one whole example (B = 0 would never finish an epoch). The ranges of the numbers (β in [0, 1),
    ε > 0, λ, decay, B <= m) are the settings' to check: visualizer.model.constraints, at the boundary."""
    if d.get("kind", "gd") not in KINDS:
        return f"the optimizer must be one of {', '.join(KINDS)}, not {d['kind']!r}"
    batch = d.get("batch_size")
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
        return f"the batch size must be a whole number of at least 1, not {batch!r}"
    if d.get("decay_kind", "inverse") not in DECAY_KINDS:
        return f"the decay kind must be one of {', '.join(DECAY_KINDS)}, not {d['decay_kind']!r}"
    return None


def choose_path(optimizer: Optimizer, n_x: int, m: int, method: str = "auto", gram_fits: bool = True
                ) -> tuple[str, str]:
    """(method, why) for a run: "gram" or "primal", and the reason in a sentence."""
    if optimizer.is_plain(m):
        kind = method if method != "auto" else ("gram" if m < n_x and gram_fits else "primal")
        return kind, (f"m = {m} < n_x = {n_x}, w stays in w0 + span(x_i), one step costs O(m^2) on K = X^T X"
                      if kind == "gram" else f"{method} was asked for" if method != "auto" else
                      f"m = {m} >= n_x = {n_x} (or K too large): the plain coordinates are cheaper")
    if optimizer.kind not in SPAN_PRESERVING:
        if method == "gram":
            raise ValueError(f"{optimizer.kind} scales each coordinate of w separately, so w leaves "
                             "w0 + span(x_i): it runs on the primal path only")
        return "primal", f"{optimizer.kind} scales each coordinate of w separately, which leaves w0 + span(x_i)"
    if method != "auto":
        return method, f"{method} was asked for"
    if m >= n_x:
        return "primal", f"m = {m} >= n_x = {n_x}: the plain coordinates are cheaper"
    if not gram_fits:
        return "primal", f"the {m} x {m} Gram matrix is too large to hold"
    size = optimizer.batch(m)
    gram_cost = size * m + (m * m if optimizer.lam else 0)  # a batch's rows of K (+ |w|^2 = c^T K c for L2)
    if size < m and gram_cost >= size * n_x:
        return "primal", (f"a batch of {size} costs {size * n_x} on the primal path, "
                          f"no more than {gram_cost} on the Gram path")
    return "gram", f"m = {m} < n_x = {n_x}: w stays in w0 + span(x_i), one step costs O(B·m) on K = X^T X"


def apply_step(chain: Chain, state: OptimizerState, theta: np.ndarray, g: np.ndarray, params: np.ndarray,
               alpha: float, in_range=None) -> tuple[bool, np.ndarray, dict]:
    """One update of theta in place from the batch gradient g taken at ``params`` (theta coordinates).
    (taken, the update, the state arrays after it): not taken (nothing changed) when the step or the state
    after it would not be finite, or ``in_range(theta + update)`` says the new point is out of range."""
    u, new = chain.updates(g, state, params, alpha)
    if not (np.isfinite(u).all() and all(np.isfinite(a).all() for a in new.values())):
        return False, u, new
    if in_range is not None and not in_range(theta + u):
        return False, u, new
    theta += u
    state.arrays, state.t = new, state.t + 1
    return True, u, new


def transition(state: OptimizerState, old: Optimizer, new: Optimizer, m: int) -> None:
    """What a change of optimizer mid-run does to its state: a new kind starts its moments from zero,
    a new batch size starts a new epoch (the engine and its replays both go through here)."""
    if new.kind != old.kind:
        state.arrays, state.t = {}, 0
    if new.batch(m) != old.batch(m) and state.position:
        state.position, state.order = 0, None
        state.epoch += 1
