"""A network run's data changing under it, a saved network taken up again, a rewind to branch from, and the
old α's ghost path. Mixed into NetworkRun."""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.history import History
from visualizer.core.engine.trajectory import ExactState
from visualizer.core.models.descent import NetworkDescent
from visualizer.core.models.network import Network
from visualizer.core.optim.optimizers import OptimizerState


def take_costs(descent: NetworkDescent) -> np.ndarray:
    """The costs of the descent's steps since the last call, taken out of it (its list would grow for ever)."""
    kept = descent._costs
    costs = np.concatenate(kept) if kept else np.empty(0)
    kept.clear()
    return costs


class NetworkKeeping:
    def add_examples(self, X_new: np.ndarray, Y_new: np.ndarray) -> None:
        """Train on from the same θ with more examples."""
        X_new = np.asarray(X_new)
        y_new = np.asarray(Y_new, dtype=float).reshape(-1)
        if X_new.shape != (self.n_x, y_new.size):
            raise ValueError(f"new examples must have shape ({self.n_x}, {y_new.size}), not {X_new.shape}")
        self.replace_data(np.hstack([self.param.X, X_new]), np.concatenate([self.y, y_new]))

    def replace_data(self, X: np.ndarray, Y: np.ndarray, X_test=None, Y_test=None, keep_test: bool = True) -> None:
        """Train on from the same θ with other examples: a new descent, where the replayable past restarts."""
        theta = self.theta.copy()
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        self.m = self.y.size
        self._rebuild(np.asarray(X), theta)
        if not keep_test:
            self._set_test(X_test, Y_test)
        self.opt_state = OptimizerState(epoch=self.opt_state.epoch)
        self._restart_path()
        self.start_cost = self._divergence_base = self.cost

    def before_edit(self) -> dict:
        """The run as it stands, for ``undo_edit``: an edit replaces the descent, the path and the data."""
        saved = dict(vars(self))
        saved["_saved_coordinates"] = self._coordinates()
        return saved

    def undo_edit(self, saved: dict) -> bool:
        """Take back the run ``before_edit`` saved, when no step was taken since with the same optimizer."""
        if (saved["iteration"] != self.iteration or saved["history"] is not self.history
                or saved["_optimizer"] != self._optimizer):
            return False
        alpha = self._alpha
        coordinates = saved.pop("_saved_coordinates")
        for key in set(vars(self)) - set(saved):
            delattr(self, key)
        vars(self).update(saved)
        self._set_coordinates(coordinates)
        self.alpha = alpha
        return True

    def exact_state(self) -> ExactState:
        """Method "network": w0 is the θ the descent started from (network.py's layout), theta its own coordinates
        after c₀ (W1₀'s coefficient; on the Gram path W1 = c₀ W1₀ + C Xᵀ), so a saved run goes on bit for bit.
        Its last number is the output unit's bias b, as a session's b."""
        coordinates, c0 = self._coordinates()
        return ExactState("network", self._descent_start.copy(), np.concatenate([c0, coordinates]),
                          self._divergence_base, self.diverged_at, None)

    def restore(self, w, b, iteration: int, history: History, exact: ExactState | None = None) -> None:
        """Carry on a saved run from its own coordinates (``exact``) and history; the replayable past starts at
        its last iteration. ValueError when they do not fit this network on this data."""
        if exact is None or exact.method != "network" or exact.w0.size != self.net.size:
            raise ValueError(f"a saved network needs its start's {self.net.size} parameters")
        self._optimizer = self._checked(history.optimizer_changes[-1][1])
        self._alpha = history.alpha_changes[-1][1]
        self.net = Network(self.n_x, self.hidden, self.activation, self.loss.name, self._optimizer.lam)
        self._rebuild(self.param.X, exact.w0)
        size = self._descent._theta.size
        if exact.theta.size != size + 1:
            raise ValueError(f"the saved network has {exact.theta.size - 1} coordinates, this data needs {size}")
        self._set_coordinates((exact.theta[1:], exact.theta[:1]))
        self.history, self.iteration = history, int(iteration)
        self.opt_state = OptimizerState(epoch=self.iteration)
        self._restart_path()
        self._divergence_base, self.diverged_at = exact.divergence_base, exact.diverged_at

    def simulate(self, theta: np.ndarray, alpha: float, n: int, every: int = 10,
                 state: OptimizerState | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(costs, θ every ``every`` iterations) of n iterations from ``theta`` at a fixed α, in a descent of its
        own: the run is left untouched (the old α's ghost). Stops early where J stops being finite."""
        d = self._new_descent(self.param.X, theta)
        d.alpha = alpha
        thetas = []
        with np.errstate(over="ignore", invalid="ignore"):
            while d.iteration < n and not d.diverged:
                thetas.append(d.theta)
                d.step(min(every, n - d.iteration))
        return take_costs(d), np.array(thetas).reshape(-1, self.net.size)

    def rewind(self, iteration: int) -> None:
        """Go back to ``iteration`` and forget what came after; the α now in force stays in force."""
        alpha = self._alpha
        start, coordinates = self._nearest(iteration)
        if iteration != self.iteration:
            self._set_coordinates(coordinates)
            self._replay(start, iteration)
            take_costs(self._descent)
        self.iteration = iteration
        self.opt_state = OptimizerState(epoch=iteration)
        self.history.truncate(iteration)
        self.trajectory.truncate(iteration + 1)
        self._moved()
        self._checkpoint()
        self._alpha = self.history.alpha_changes[-1][1]
        self._descent.alpha, self._descent.diverged = self._alpha, False
        if alpha != self._alpha:
            self.alpha = alpha
        if self.diverged_at is not None and self.diverged_at >= iteration:
            self.diverged_at = None
        self.overflow = None
