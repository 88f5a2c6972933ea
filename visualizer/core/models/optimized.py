"""A network trained by every optimizer of the lab (core/optim): mini-batches, momentum, Nesterov, RMSProp, Adam,
AdaGrad, L2 on every W and α decay, all on θ as one flat vector (network.py's layout).

The step is core/optim's own chain, as for logistic regression: ``chain(add_weight_l2, scale_by_<kind>,
scale_by_learning_rate)`` with the decay schedule, and ``apply_step`` keeps only a finite step. Nothing is
written again per optimizer: the registry's transform of the kind is the network's too.

Conventions shared with logistic regression's engine (core/engine/minibatch.py): at the start of each
epoch the m examples are shuffled by ``epoch_order(m, seed, epoch)`` and cut into batches of B, the last
one smaller; one iteration is one update; α decays per epoch. J_reg = the batch's mean loss
+ (λ/2m)·Σ_l ‖W_l‖² with m the whole training set, so every batch estimates the gradient of the same
J_reg, and that batch J_reg (at θ before the step) is each iteration's recorded cost.

Paths, chosen by core/optim's ``choose_path`` as for logistic regression: the kinds whose step is a
combination of past gradients (gd with batches or decay, momentum, Nesterov) keep W1 in W1₀ + span(xᵢ)
and run in those coordinates when m < n_x ("gram", core/models/span.py); the others, and m ≥ n_x, step θ
itself ("primal", ``PlainCoordinates``). Plain full-batch descent at a fixed α (with or without L2) is not
run here: ``network_trainer`` gives it to NetworkDescent's fast loop (core/models/descent.py), which keeps
the course's figures.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from visualizer.core.engine.gradient_descent import validate_alpha
from visualizer.core.engine.parametrization import GRAM_MAX_BYTES
from visualizer.core.models.descent import NetworkDescent
from visualizer.core.models.network import Network, cost, gradient, network_accuracy, weights_square
from visualizer.core.models.span import FirstLayerSpan
from visualizer.core.optim.optimizers import Optimizer, OptimizerState, apply_step, choose_path, epoch_order
from visualizer.core.optim.overflow import explain
from visualizer.core.optim.transforms import L2, Chain, add_weight_l2, chain, decay_schedule, scale_by_learning_rate


def network_chain(net: Network, optimizer: Optimizer, m: int, weights: np.ndarray) -> Chain:
    """The optimizer's step on the network's θ, or on θ' (core/models/span.py): L2 on the coordinates the
    ``weights`` mask marks (net.lam, m examples), the kind, −α."""
    l2 = L2(net.lam, m)
    return chain(add_weight_l2(l2, weights), optimizer.spec.transform(optimizer), scale_by_learning_rate(),
                 schedule=decay_schedule(optimizer.decay, optimizer.decay_kind), l2=l2)


class PlainCoordinates:
    """θ itself: the primal path, for every optimizer (FirstLayerSpan's interface, core/models/span.py)."""

    def __init__(self, net: Network, X: np.ndarray):
        self.net, self.X = net, X
        self._unregularized = replace(net, lam=0.0)  # a batch's mean loss; L2 is the chain's first link

    def coordinates(self, theta0: np.ndarray) -> np.ndarray:
        return np.array(theta0, dtype=float)

    def weight_mask(self) -> np.ndarray:
        return self.net.weight_mask()

    def theta(self, coords: np.ndarray) -> np.ndarray:
        return coords.copy()

    def weights_square(self, coords: np.ndarray) -> float:
        return weights_square(self.net, coords)

    def gradient(self, coords: np.ndarray, I: np.ndarray | None, y: np.ndarray, cost_only: bool = False):
        """(the batch's mean loss, its gradient without L2); a batch is taken to float64 once, not cast in
        each product."""
        X = self.X if I is None else np.asarray(self.X[:, I], dtype=float)
        if cost_only:
            return cost(self._unregularized, coords, X, y), None
        return gradient(self._unregularized, coords, X, y)


class NetworkOptimized:
    """``optimizer``'s iterations from θ₀ on (X, Y); ``costs`` holds each iteration's batch J_reg before its step.

    ``record_every`` K: the full J_reg of all m examples is also recorded at iterations 0, K, 2K, ...
    (``recorded``), the course's "cost after iteration i" line for a mini-batch run. λ is the network's
    (``net.lam``): the optimizer's must be 0 or the same, never one of two silently ignored.
    """

    def __init__(self, net: Network, X: np.ndarray, Y: np.ndarray, theta0: np.ndarray, *, alpha: float,
                 optimizer: Optimizer, seed: int = 0, record_every: int | None = None, method: str = "auto"):
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] != net.n_x:
            raise ValueError(f"X must have shape ({net.n_x}, m), not {X.shape}")
        if optimizer.lam not in (0.0, net.lam):
            raise ValueError(f"λ is the network's ({net.lam:g}); the optimizer's λ = {optimizer.lam:g} disagrees")
        self.net, self.X, self.m = net, X, X.shape[1]
        self.y = np.asarray(Y, dtype=float).reshape(1, self.m)
        self.optimizer, self.seed, self.record_every = optimizer, int(seed), record_every
        self.state = OptimizerState()
        self.method, self.path_reason = choose_path(optimizer, net.n_x, self.m, method,
                                                    self.m * self.m * 8 <= GRAM_MAX_BYTES)
        self._space = FirstLayerSpan(net, X, theta0) if self.method == "gram" else PlainCoordinates(net, X)
        self._theta = self._space.coordinates(theta0)
        self._chain = network_chain(net, optimizer, self.m, self._space.weight_mask())
        self.iteration, self.diverged, self.overflow = 0, False, None
        self._undo: tuple | None = None  # θ and the state before the last step
        self._costs: list[float] = []
        self.recorded: list[tuple[int, float]] = []
        self.alpha = alpha

    @property
    def alpha(self) -> float:
        """α₀, before decay."""
        return self._alpha

    @alpha.setter
    def alpha(self, alpha: float) -> None:
        alpha = validate_alpha(alpha)
        self._alpha = alpha

    def step(self, iterations: int) -> int:
        """Run up to ``iterations`` iterations (fewer if a step would not be finite); returns how many ran."""
        start = self.iteration
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while self.iteration - start < iterations and not self.diverged:
                if self.record_every and self.iteration % self.record_every == 0:
                    self.recorded.append((self.iteration, self.cost()))
                J = self._iterate()
                if J is None:
                    break
                self._costs.append(J)
                self.iteration += 1
        return max(self.iteration - start, 0)  # an undone step of an earlier call is not this call's

    def _stop(self, cause: str, undo: bool) -> None:
        """End the run: ``undo`` the last step first when it took θ where J is not finite, so θ, the state and
        the costs end at the last point where everything is a number."""
        if undo and self._undo is not None:
            theta, arrays, t, epoch, position, order = self._undo
            self._theta[:] = theta
            self.state.arrays, self.state.t, self.state.epoch = arrays, t, epoch
            self.state.position, self.state.order = position, order
            self._costs.pop()
            self.iteration -= 1
        self.recorded = [(i, J) for i, J in self.recorded if i < self.iteration]  # no step left from there
        self.overflow = f"the step overflowed at iteration {self.iteration}: {cause}"
        self.diverged = True

    def _batch(self) -> np.ndarray | None:
        """This iteration's examples: the next B of the epoch's seeded shuffle, or None for all m."""
        size, state = self.optimizer.batch(self.m), self.state
        if size >= self.m:
            return None
        if state.order is None:
            state.order = epoch_order(self.m, self.seed, state.epoch)
        return state.order[state.position : state.position + size]

    def _iterate(self) -> float | None:
        """One update in place; the batch's J_reg before it, or None (nothing changed) when not finite."""
        opt, state, theta, steps = self.optimizer, self.state, self._theta, self._chain
        alpha = steps.alpha(self._alpha, state.epoch)
        point = steps.lookahead(theta, state, alpha)  # θ, or Nesterov's look-ahead
        I = self._batch()
        yb = self.y if I is None else self.y[:, I]
        J, g = self._space.gradient(point, I, yb)
        if point is not theta:
            J = self._space.gradient(theta, I, yb, cost_only=True)[0]
        if steps.l2:
            J += steps.l2.penalty(self._space.weights_square(theta))
        if not (np.isfinite(J) and np.isfinite(g).all()):  # the last step went where J is not finite
            self._stop(explain(opt, alpha, self.m, state.t, None, state.arrays), undo=True)
            return None
        before = (theta.copy(), state.arrays, state.t, state.epoch, state.position, state.order)
        taken, update, new = apply_step(steps, state, theta, g, point, alpha)
        if not taken:
            self._stop(explain(opt, alpha, self.m, state.t + 1, update, new), undo=False)
            return None
        self._undo = before
        state.position += yb.size
        if state.position >= self.m:
            state.position, state.order = 0, None
            state.epoch += 1
        return float(J)

    @property
    def costs(self) -> np.ndarray:
        """Each iteration's batch J_reg before its step (the full J_reg for a full-batch run)."""
        return np.array(self._costs)

    @property
    def theta(self) -> np.ndarray:
        """The network's θ now (network.py's layout)."""
        return self._space.theta(self._theta)

    def cost(self) -> float:
        """The full J_reg at the current θ."""
        return cost(self.net, self.theta, self.X, self.y)

    def accuracy(self, X: np.ndarray | None = None, Y: np.ndarray | None = None) -> float:
        return network_accuracy(self.net, self.theta, self.X if X is None else X, self.y if Y is None else Y)


def network_trainer(net: Network, X: np.ndarray, Y: np.ndarray, theta0: np.ndarray, *, alpha: float,
                    optimizer: Optimizer | None = None, seed: int = 0, record_every: int | None = None,
                    method: str = "auto") -> NetworkDescent | NetworkOptimized:
    """What trains ``net``: NetworkDescent's fast loop for plain full-batch descent at a fixed α (its gram or
    primal path, the course's figures), NetworkOptimized for every other optimizer, batch size or decay."""
    optimizer = Optimizer(lam=net.lam) if optimizer is None else optimizer
    m = np.shape(X)[1]
    if optimizer.is_plain(m):
        if optimizer.lam not in (0.0, net.lam):
            raise ValueError(f"λ is the network's ({net.lam:g}); the optimizer's λ = {optimizer.lam:g} disagrees")
        return NetworkDescent(net, X, Y, theta0, alpha=alpha, method=method)
    return NetworkOptimized(net, X, Y, theta0, alpha=alpha, optimizer=optimizer, seed=seed,
                            record_every=record_every, method=method)
