"""Beyond plain gradient descent: mini-batches, momentum, RMSProp, Adam, L2 and α decay, on one exact J.

The engine takes an ``Optimizer`` (``GradientDescent(X, Y, optimizer=Optimizer(...))``, or
``Optimizer.from_settings(run_settings)``); the default ``Optimizer()`` is today's batch
gradient descent, run by the engine's own fast paths to the last bit.

With g = the mean gradient of the current batch of B examples, plus (λ/m)·w for L2
(m the whole training set, so every batch estimates the gradient of the same J_reg):

* ``gd``:        θ ← θ − α·g
* ``momentum``:  v ← β·v + (1 − β)·g,            θ ← θ − α·v
* ``rmsprop``:   s ← β₂·s + (1 − β₂)·g²,         θ ← θ − α·g / (√s + ε)
* ``adam``:      v and s as above (β₁, β₂), t the update count from 1,
                 θ ← θ − α·(v / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)

J_reg = J + (λ / 2m)·‖w‖² (b is not regularized); it is the cost recorded, per batch and in
full. α decays per epoch e = 0, 1, 2, ... (a pass over the m examples):
``inverse`` α = α₀ / (1 + decay·e); ``exponential`` α = α₀·(1 − decay)ᵉ, so the course's
α₀·0.95ᵉ is decay = 0.05, and decay = 0 is no decay for both kinds.

Mini-batches: at the start of each epoch the m examples are shuffled by a generator seeded
with (seed, epoch), then cut into batches of B; the last batch may be smaller. B ≥ m is batch
descent (no shuffle), B = 1 stochastic descent. One iteration is one update (one batch).

Paths: ``gd`` and ``momentum`` (with or without L2 or decay) keep w in w₀ + span(xᵢ), with L2
shrinking w₀'s coefficient like the others, so they may run on the Gram path exactly.
RMSProp and Adam scale each coordinate of w separately, which leaves that span: they run on
the primal path. ``choose_path`` makes the choice per run and says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np

KINDS = ("gd", "momentum", "rmsprop", "adam")
DECAY_KINDS = ("inverse", "exponential")
#: The optimizers whose step is a linear combination of past gradients: exact on the Gram path.
SPAN_PRESERVING = ("gd", "momentum")


@dataclass(frozen=True)
class Optimizer:
    """How each iteration steps. Settings from outside are checked by visualizer.model.constraints; here only
    what the engine must assert (``optimizer_problem``)."""

    kind: str = "gd"
    batch_size: int | None = None  # None: all m examples (batch gradient descent)
    beta: float = 0.9  # momentum
    beta1: float = 0.9  # Adam's first moment
    beta2: float = 0.999  # RMSProp's and Adam's second moment
    epsilon: float = 1e-8
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

    def batch(self, m: int) -> int:
        """The batch size in force for m examples."""
        return m if self.batch_size is None else min(self.batch_size, m)

    def is_plain(self, m: int) -> bool:
        """Today's batch gradient descent: the engine's own fast paths run it."""
        return self.kind == "gd" and self.batch(m) >= m and self.lam == 0 and self.decay == 0

    def alpha(self, alpha0: float, epoch: int) -> float:
        """α in force during ``epoch`` (from 0)."""
        if self.decay == 0:
            return alpha0
        if self.decay_kind == "inverse":
            return alpha0 / (1.0 + self.decay * epoch)
        return alpha0 * (1.0 - self.decay) ** epoch


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


def epoch_order(m: int, seed: int, epoch: int) -> np.ndarray:
    """The shuffled order of the m examples in ``epoch``: a generator seeded with (seed, epoch)."""
    return np.random.default_rng([int(seed), int(epoch)]).permutation(m)


@dataclass
class OptimizerState:
    """What an optimizer carries between iterations, in the run's theta coordinates."""

    v: np.ndarray | None = None  # momentum / Adam first moment
    s: np.ndarray | None = None  # RMSProp / Adam second moment
    t: int = 0  # updates so far (Adam's bias correction)
    epoch: int = 0
    position: int = 0  # examples of this epoch already used
    order: np.ndarray | None = field(default=None, repr=False)  # this epoch's shuffle (recomputable)

    def copy(self) -> OptimizerState:
        return OptimizerState(None if self.v is None else self.v.copy(), None if self.s is None else self.s.copy(),
                              self.t, self.epoch, self.position, self.order)


def update(opt: Optimizer, state: OptimizerState, theta: np.ndarray, g: np.ndarray, alpha: float) -> bool:
    """One update of theta in place from the batch gradient g (theta coordinates). False (and nothing
    changed) when the step would not be finite."""
    kind = opt.kind
    if kind == "gd":
        step = alpha * g
        v = s = None
    elif kind == "momentum":
        v = opt.beta * state.v + (1.0 - opt.beta) * g if state.v is not None else (1.0 - opt.beta) * g
        step = alpha * v
        s = None
    else:
        s0 = state.s if state.s is not None else np.zeros_like(g)
        s = opt.beta2 * s0 + (1.0 - opt.beta2) * (g * g)
        if kind == "rmsprop":
            v = None
            step = alpha * g / (np.sqrt(s) + opt.epsilon)
        else:
            v0 = state.v if state.v is not None else np.zeros_like(g)
            v = opt.beta1 * v0 + (1.0 - opt.beta1) * g
            t = state.t + 1
            v_hat = v / (1.0 - opt.beta1 ** t)
            s_hat = s / (1.0 - opt.beta2 ** t)
            step = alpha * v_hat / (np.sqrt(s_hat) + opt.epsilon)
    if not (np.isfinite(step).all() and (s is None or np.isfinite(s).all())):
        return False
    theta -= step
    state.v, state.s, state.t = v, s, state.t + 1
    return True


def transition(state: OptimizerState, old: Optimizer, new: Optimizer, m: int) -> None:
    """What a change of optimizer mid-run does to its state: a new kind starts its moments from zero,
    a new batch size starts a new epoch (the engine and its replays both go through here)."""
    if new.kind != old.kind:
        state.v = state.s = None
        state.t = 0
    if new.batch(m) != old.batch(m) and state.position:
        state.position, state.order = 0, None
        state.epoch += 1
