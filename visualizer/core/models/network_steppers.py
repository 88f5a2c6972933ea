"""What steps a NetworkRun: NetworkDescent's fast loop for plain full-batch descent (the course's figures), or
NetworkOptimized's chain for every other optimizer, batch size or decay, behind one set of names.

Each gives its own coordinates to keep (``coordinates()`` / ``set_coordinates``), the optimizer's state
(``state``: the moments in those coordinates, the step count, the epoch and where it stands), and ``advance(k)``:
(the costs of the steps kept, whether the next step would overflow, how many already-given steps were undone).
Both stop at the last iteration whose J is finite, so the run's history never holds NaN or inf.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.models.descent import NetworkDescent
from visualizer.core.models.network import Network
from visualizer.core.models.optimized import NetworkOptimized, network_chain
from visualizer.core.optim.optimizers import SPAN_PRESERVING, Optimizer, OptimizerState


def _taken(kept: list) -> np.ndarray:
    costs = np.concatenate(kept) if kept else np.empty(0)
    kept.clear()
    return costs


class PlainStepper:
    """Full-batch descent at a fixed α (L2 through the network's λ): NetworkDescent, no moments."""

    plain = True

    def __init__(self, net: Network, X: np.ndarray, y: np.ndarray, theta: np.ndarray, *, alpha: float,
                 method: str, state: OptimizerState):
        self.d = NetworkDescent(net, X, y, theta, alpha=alpha, method=method)
        self.method, self.state = self.d.method, OptimizerState(epoch=state.epoch)

    def coordinates(self) -> tuple[np.ndarray, ...]:
        return self.d._theta.copy(), self.d._c0.copy()

    def set_coordinates(self, saved: tuple[np.ndarray, ...]) -> None:
        self.d._theta[:], self.d._c0[:] = saved  # in place: the descent's buffers are views of them

    @property
    def theta(self) -> np.ndarray:
        return self.d.theta

    def set_alpha(self, alpha: float) -> None:
        if alpha != self.d.alpha:
            self.d.alpha = alpha  # builds the plan again

    def advance(self, k: int) -> tuple[np.ndarray, bool, int]:
        d, saved = self.d, self.coordinates()
        ran = d.step(k)
        costs, halted = _taken(d._costs), d.diverged
        if halted:  # it stopped at a state whose z is not finite: one step less is the last good one
            self.set_coordinates(saved)
            d.diverged = False
            d.step(max(ran - 1, 0))
            costs = _taken(d._costs)
        self.state.epoch += costs.size  # full batch: one iteration, one epoch
        return costs, halted, 0

    def replay(self, k: int) -> None:
        self.d.step(k)
        self.state.epoch += k
        self.d._costs.clear()

    def forget_undo(self) -> None:
        """Nothing to forget: the fast loop takes back its own overflows within a call."""

    def exact(self) -> tuple[np.ndarray, OptimizerState | None]:
        """The coordinates after c₀ (W1₀'s coefficient), as a session keeps them; no moments."""
        return self.exact_of(self.coordinates(), self.state)

    @staticmethod
    def exact_of(coordinates: tuple[np.ndarray, ...], state: OptimizerState) -> tuple[np.ndarray, OptimizerState]:
        """A checkpoint (``coordinates()`` and its state) as ``exact`` gives the run's."""
        theta, c0 = coordinates
        return np.concatenate([c0, theta]), OptimizerState(epoch=state.epoch)

    @staticmethod
    def kept_of(theta: np.ndarray, state: OptimizerState) -> tuple[tuple[np.ndarray, ...], OptimizerState]:
        """``exact_of``'s checkpoint again."""
        return (theta[1:].copy(), theta[:1].copy()), OptimizerState(epoch=state.epoch)

    def take_exact(self, theta: np.ndarray, state: OptimizerState | None) -> None:
        """A saved run's coordinates, and its epoch when kept (older sessions: the epoch the run began with)."""
        self.set_coordinates((theta[1:], theta[:1]))
        if state is not None:
            self.state = OptimizerState(epoch=state.epoch)


class OptimizedStepper:
    """Every other optimizer: NetworkOptimized (core/optim's chain on θ, or on θ' where W1 stays in its span)."""

    plain = False

    def __init__(self, net: Network, X: np.ndarray, y: np.ndarray, theta: np.ndarray, *, alpha: float,
                 optimizer: Optimizer, seed: int, method: str, state: OptimizerState):
        self.o = NetworkOptimized(net, X, y, theta, alpha=alpha, optimizer=optimizer, seed=seed, method=method)
        self.method = self.o.method
        self.o.state = state.copy()
        self._given = 0  # costs of o's list already handed out (the last one is kept there for an undo)

    @property
    def state(self) -> OptimizerState:
        return self.o.state

    @state.setter
    def state(self, value: OptimizerState) -> None:
        self.o.state = value

    def follows(self, optimizer: Optimizer) -> bool:
        """Whether ``optimizer`` can go on in these coordinates (in place, its moments kept where its kind is)."""
        return not optimizer.is_plain(self.o.m) and (self.method == "primal" or optimizer.kind in SPAN_PRESERVING)

    def set_optimizer(self, optimizer: Optimizer, net: Network) -> None:
        o = self.o
        o.net, o.optimizer = net, optimizer
        o._chain = network_chain(net, optimizer, o.m, o._space.weight_mask())
        o.diverged, o.overflow = False, None

    def optimizer_now(self) -> Optimizer:
        return self.o.optimizer

    def coordinates(self) -> tuple[np.ndarray, ...]:
        return (self.o._theta.copy(),)

    def set_coordinates(self, saved: tuple[np.ndarray, ...]) -> None:
        self.o._theta[:] = saved[0]

    def forget_undo(self) -> None:
        """θ was set to a point stepping did not just reach: no step before it to take back."""
        self.o._undo = None

    @property
    def theta(self) -> np.ndarray:
        return self.o.theta

    def set_alpha(self, alpha: float) -> None:
        self.o.alpha = alpha
        self.o.diverged, self.o.overflow = False, None

    def advance(self, k: int) -> tuple[np.ndarray, bool, int]:
        o = self.o
        o.step(k)
        kept = o._costs
        costs = np.array(kept[self._given:], dtype=float)
        undone = max(self._given - len(kept), 0)  # its undo took back a step already handed out
        del kept[:-1]
        self._given = len(kept)
        return costs, o.diverged, undone

    def replay(self, k: int) -> None:
        """k steps that ran before (none overflows), leaving the live run's undo and costs as they were."""
        o = self.o
        undo, kept = o._undo, list(o._costs)
        o.step(k)
        o._undo, o._costs[:] = undo, kept

    def exact(self) -> tuple[np.ndarray, OptimizerState | None]:
        """As a session keeps them: on θ itself a leading 1 (c₀'s place) before θ and a 0 before each moment,
        so both paths have the plain descent's sizes; on θ' its own coordinates (c₀ first)."""
        return self.exact_of(self.coordinates(), self.o.state)

    def exact_of(self, coordinates: tuple[np.ndarray, ...], state: OptimizerState) -> tuple[np.ndarray, OptimizerState]:
        """A checkpoint (``coordinates()`` and its state) as ``exact`` gives the run's."""
        state = state.copy()
        if self.method == "gram":
            return coordinates[0].copy(), state
        state.arrays = {k: np.concatenate([[0.0], v]) for k, v in state.arrays.items()}
        return np.concatenate([[1.0], coordinates[0]]), state

    def kept_of(self, theta: np.ndarray, state: OptimizerState) -> tuple[tuple[np.ndarray, ...], OptimizerState]:
        """``exact_of``'s checkpoint again."""
        state = state.copy()
        if self.method == "gram":
            return (theta.copy(),), state
        state.arrays = {k: v[1:] for k, v in state.arrays.items()}
        return (theta[1:].copy(),), state

    def take_exact(self, theta: np.ndarray, state: OptimizerState | None) -> None:
        state = OptimizerState() if state is None else state.copy()
        if self.method == "primal":
            theta = theta[1:]
            state.arrays = {k: v[1:] for k, v in state.arrays.items()}
        self.set_coordinates((theta,))
        self.o.state, self._given = state, 0
        del self.o._costs[:]
        self.forget_undo()


def new_stepper(net: Network, X: np.ndarray, y: np.ndarray, theta: np.ndarray, *, alpha: float,
                optimizer: Optimizer, seed: int, method: str, state: OptimizerState):
    """The fast loop for plain descent, the optimizers' chain for the rest."""
    if optimizer.is_plain(X.shape[1]):
        return PlainStepper(net, X, y, theta, alpha=alpha, method=method, state=state)
    return OptimizedStepper(net, X, y, theta, alpha=alpha, optimizer=optimizer, seed=seed, method=method,
                            state=state)
